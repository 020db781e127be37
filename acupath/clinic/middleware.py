from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from acupath.clinic.selectors import clinic_zone


class ClinicTimezoneMiddleware:
    """Show every time in the clinic's own zone; storage stays UTC."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(clinic_zone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
