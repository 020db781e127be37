"""Forms of the public booking page and the desk. They parse and say what is wrong; services decide."""

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone

from acupath.booking.domain.previsit import PAIN_DURATIONS, ces_questions
from acupath.booking.services import PreVisit, SlotPick
from acupath.clinic.models import AppointmentType, Clinic, Practitioner
from acupath.patients.models import Sex
from acupath.patients.services import PatientDetails

WAITLIST = "waitlist"
YES_NO = (("yes", "Yes"), ("no", "No"))
# No answer is chosen for the visitor: the first option asks for one.
SEX_CHOICES = (("", "Choose…"), *Sex.choices)


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def parse_slot(value: str, practitioners: dict[str, Practitioner]) -> SlotPick | None:
    """'2026-08-12T04:30Z~<practitioner uuid>' -> SlotPick, or None when it is not one of ours."""
    when, _, who = value.partition("~")
    practitioner = practitioners.get(who)
    try:
        start = dt.datetime.strptime(when, "%Y-%m-%dT%H:%MZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None
    return SlotPick(practitioner, start) if practitioner else None


class ServiceChoiceMixin(forms.Form):
    """Service and practitioner, offered from the clinic's online services and active practitioners."""

    type = forms.ModelChoiceField(
        label="Service",
        queryset=AppointmentType.objects.none(),
        to_field_name="public_id",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages=_required("Choose the service you would like to book."),
    )
    practitioner = forms.ModelChoiceField(
        label="Practitioner",
        queryset=Practitioner.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label="Anyone: the first free time",
    )
    slot = forms.CharField(required=False)

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = AppointmentType.objects.filter(clinic=clinic, bookable_online=True).order_by("minutes")
        cast("forms.ModelChoiceField[AppointmentType]", self.fields["type"]).queryset = types
        self.types: list[AppointmentType] = list(types)
        practitioners = Practitioner.objects.filter(clinic=clinic, active=True).order_by("display_name")
        cast("forms.ModelChoiceField[Practitioner]", self.fields["practitioner"]).queryset = practitioners
        self.practitioners = {str(p.public_id): p for p in practitioners}

    def pick(self) -> SlotPick | None:
        value = self.cleaned_data.get("slot") or ""
        return None if value == WAITLIST else parse_slot(value, self.practitioners)

    def clean_slot(self) -> str:
        value: str = self.cleaned_data.get("slot") or ""
        if value and value != WAITLIST and parse_slot(value, self.practitioners) is None:
            raise forms.ValidationError("That time is not one we offered; choose a time from the list.")
        return value


class BookingForm(ServiceChoiceMixin):
    earliest = forms.DateField(
        label="First day you could come",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, for example 2026-09-01."},
    )
    latest = forms.DateField(
        label="Last day that would still suit you",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, for example 2026-09-15."},
    )
    given_name = forms.CharField(
        label="First name",
        max_length=80,
        error_messages=_required("Enter your first name."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    family_name = forms.CharField(
        label="Family name",
        max_length=80,
        error_messages=_required("Enter your family name (surname)."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    birth_date = forms.DateField(
        label="Date of birth",
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        error_messages={
            "required": "Enter your date of birth.",
            "invalid": "Enter your date of birth as a date, for example 1985-03-21.",
        },
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=SEX_CHOICES,
        error_messages=_required("Choose one, or 'Prefer not to say'."),
    )
    phone = forms.CharField(
        label="Phone",
        max_length=30,
        error_messages=_required("Enter a phone number so the clinic can call you about your visit."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "placeholder": "+91 98450 12345"}),
    )
    email = forms.EmailField(
        label="E-mail",
        error_messages={
            "required": "Enter your e-mail address: we send your confirmation there.",
            "invalid": "Enter an e-mail address like name@example.com.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    reason = forms.CharField(
        label="Why would you like to come?",
        max_length=500,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "For example: low back pain for a month, worse when sitting"}
        ),
        error_messages={
            "required": "Tell us in a few words why you would like to come.",
            "max_length": "Please keep this under 500 characters; you can tell the practitioner more.",
        },
    )
    pain_duration = forms.ChoiceField(
        label="How long have you had this pain?",
        choices=PAIN_DURATIONS,
        widget=forms.RadioSelect,
        error_messages=_required("Choose how long the pain has lasted (or 'I am not sure')."),
    )
    consent = forms.BooleanField(
        label="I agree that the clinic keeps these details to arrange my care.",
        error_messages=_required("Tick the box so the clinic may keep your details; we cannot book without it."),
    )
    # A field people never see: automated form fillers tend to fill it in.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, clinic=clinic, **kwargs)
        self.questions = ces_questions()
        for q in self.questions:
            self.fields[f"rf_{q.code}"] = forms.ChoiceField(
                label=q.text,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages=_required(f"Answer yes or no to question {q.number}."),
            )

    def red_flag_fields(self) -> list[forms.BoundField]:
        return [self[f"rf_{q.code}"] for q in self.questions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("slot") == WAITLIST:
            for name in ("earliest", "latest"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Enter the days that would suit you, so we know which times to offer you.")
        elif not data.get("slot") and "slot" not in self.errors:
            self.add_error("slot", "Choose one of the free times, or choose to join the waitlist.")
        return data

    def details(self) -> PatientDetails:
        d = self.cleaned_data
        return PatientDetails(
            given_name=d["given_name"],
            family_name=d["family_name"],
            birth_date=d["birth_date"],
            sex=d["sex"],
            phone=d["phone"],
            email=d["email"],
        )

    def previsit(self) -> PreVisit:
        d = self.cleaned_data
        return PreVisit(
            reason=d["reason"],
            pain_duration=d["pain_duration"],
            red_flags={q.code: d[f"rf_{q.code}"] == "yes" for q in self.questions},
        )

    def waitlist_dates(self) -> tuple[dt.date, dt.date] | None:
        d = self.cleaned_data
        return (d["earliest"], d["latest"]) if d.get("slot") == WAITLIST else None


class RescheduleForm(ServiceChoiceMixin):
    """Only the practitioner and the new time: the service is the one already requested."""

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, clinic=clinic, **kwargs)
        del self.fields["type"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (not data.get("slot") or data.get("slot") == WAITLIST) and "slot" not in self.errors:
            self.add_error("slot", "Choose one of the free times shown.")
        return data


class DeclineForm(forms.Form):
    note = forms.CharField(
        label="Note to the visitor (optional)",
        required=False,
        max_length=300,
        error_messages={"max_length": "Keep the note under 300 characters."},
    )


class WaitlistAddForm(forms.Form):
    """The desk puts a known patient on the waitlist."""

    type = forms.ModelChoiceField(
        label="Service",
        queryset=AppointmentType.objects.all(),
        empty_label=None,
        error_messages=_required("Choose the service the patient is waiting for."),
    )
    practitioner = forms.ModelChoiceField(
        queryset=Practitioner.objects.filter(active=True), required=False, empty_label="Anyone"
    )
    earliest = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the first day the patient could come.", "invalid": "Enter a date."},
    )
    latest = forms.DateField(
        label="Until",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the last day that would still suit.", "invalid": "Enter a date."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"earliest": timezone.localdate()})
        super().__init__(*args, **kwargs)
