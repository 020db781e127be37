import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from acupath.clinic.models import AppointmentType, Practitioner, Room
from acupath.scheduling.enums import GRID_MINUTES


class AppointmentForm(forms.Form):
    type = forms.ModelChoiceField(label="Appointment type", queryset=AppointmentType.objects.all(), empty_label=None)
    practitioner = forms.ModelChoiceField(queryset=Practitioner.objects.filter(active=True), empty_label=None)
    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label="Time", widget=forms.TimeInput(attrs={"type": "time", "step": GRID_MINUTES * 60}))
    room = forms.ModelChoiceField(
        queryset=Room.objects.filter(active=True), required=False, empty_label="— any / none —"
    )
    note = forms.CharField(required=False, max_length=300)

    def clean_time(self) -> dt.time:
        t: dt.time = self.cleaned_data["time"]
        if t.minute % GRID_MINUTES:
            raise forms.ValidationError("Choose a time on the quarter hour (e.g. 10:00, 10:15).")
        return t

    def start(self) -> dt.datetime:
        """The chosen local date and time as an aware instant in the clinic's zone."""
        naive = dt.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"])
        return timezone.make_aware(naive, timezone.get_current_timezone())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("time") and self.start() < timezone.now():
            self.add_error("time", "That time has passed; choose a time from now on.")
        return data
