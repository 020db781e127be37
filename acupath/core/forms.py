from django import forms

from acupath.core.errors import ServiceError


def add_service_errors(form: forms.Form, exc: ServiceError) -> None:
    """Show a service's refusal on the form fields it names, keeping everything typed."""
    for field, message in exc.errors.items():
        form.add_error(field if field in form.fields else None, message)
