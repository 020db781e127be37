from typing import Any

from django import forms

from acupath.patients.enums import ContactChannel, IdentifierType, Language, Sex
from acupath.patients.services import PatientDetails


def _choose(choices: list[tuple[str, str]], prompt: str) -> list[tuple[str, str]]:
    return [("", prompt), *choices]


class PatientForm(forms.Form):
    """Everything the desk keeps on a patient. Sex has no preselected answer: it must be chosen."""

    given_name = forms.CharField(label="Given name", max_length=80)
    family_name = forms.CharField(label="Family name", max_length=80)
    birth_date = forms.DateField(label="Date of birth", widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(
        label="Sex",
        choices=_choose(Sex.choices, "Choose…"),
        error_messages={"required": "Choose the patient's sex, or 'Prefer not to say'."},
    )
    phone = forms.CharField(max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    email = forms.EmailField(label="E-mail", required=False)
    address = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    city = forms.CharField(label="Town or city", max_length=80, required=False)
    postal_code = forms.CharField(label="PIN / postcode", max_length=12, required=False)
    emergency_name = forms.CharField(label="Emergency contact", max_length=120, required=False)
    emergency_relationship = forms.CharField(
        label="Relationship", max_length=60, required=False, widget=forms.TextInput(attrs={"placeholder": "e.g. wife"})
    )
    emergency_phone = forms.CharField(
        label="Emergency phone", max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    referrer_name = forms.CharField(label="Referred by", max_length=120, required=False)
    referrer_practice = forms.CharField(label="Referrer's practice", max_length=160, required=False)
    referrer_contact = forms.CharField(
        label="Referrer's contact", max_length=160, required=False, help_text="address, phone or e-mail for letters"
    )
    identifier_type = forms.ChoiceField(
        label="Identifier", choices=_choose(IdentifierType.choices, "None"), required=False
    )
    identifier = forms.CharField(label="Number", max_length=40, required=False)
    language = forms.ChoiceField(
        label="Preferred language", choices=_choose(Language.choices, "Not asked"), required=False
    )
    contact_channel = forms.ChoiceField(
        label="Contact by", choices=_choose(ContactChannel.choices, "Not asked"), required=False
    )
    reminders_email = forms.BooleanField(label="Reminders by e-mail", required=False)
    reminders_sms = forms.BooleanField(label="Reminders by SMS", required=False)
    reminders_whatsapp = forms.BooleanField(label="Reminders by WhatsApp", required=False)
    desk_notes = forms.CharField(
        label="Notes for the desk",
        required=False,
        help_text="not clinical: e.g. needs the ground-floor room, pays by UPI",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def details(self) -> PatientDetails:
        return PatientDetails(**{k: v for k, v in self.cleaned_data.items() if k != "confirm_new"})


class PatientRegisterForm(PatientForm):
    confirm_new = forms.BooleanField(
        label="None of these is the patient: register a new record", required=False, widget=forms.CheckboxInput
    )


def initial_of(details: PatientDetails) -> dict[str, Any]:
    return {name: getattr(details, name) for name in PatientForm.base_fields}


class MergeForm(forms.Form):
    merged = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why these are one person", max_length=300, required=False, widget=forms.TextInput(attrs={"size": 40})
    )
