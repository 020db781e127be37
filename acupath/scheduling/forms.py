import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone

from acupath.clinic.models import AppointmentKind, AppointmentType, Practitioner, Room
from acupath.clinic.selectors import clinic_zone
from acupath.scheduling.enums import GRID_MINUTES

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
QUARTER = "Use a time on the quarter hour (e.g. 09:00, 09:15, 09:30)."


def _time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time", "step": GRID_MINUTES * 60}, format="%H:%M")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _on_grid(t: dt.time | None) -> dt.time | None:
    if t is not None and (t.minute % GRID_MINUTES or t.second):
        raise forms.ValidationError(QUARTER)
    return t


class AppointmentForm(forms.Form):
    type = forms.ModelChoiceField(label="Appointment type", queryset=AppointmentType.objects.all(), empty_label=None)
    practitioner = forms.ModelChoiceField(queryset=Practitioner.objects.filter(active=True), empty_label=None)
    # The inputs' own formats, so a pre-filled date and time (a click on the calendar) show.
    day = forms.DateField(label="Date", widget=_date_input())
    time = forms.TimeField(label="Time", widget=_time_input())
    room = forms.ModelChoiceField(
        queryset=Room.objects.filter(active=True), required=False, empty_label="— any / none —"
    )
    note = forms.CharField(required=False, max_length=300)
    override_reason = forms.CharField(
        label="Reason to book outside the clinic's rules",
        required=False,
        max_length=200,
        help_text="only when booking outside working hours, on a holiday or during leave",
    )

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


# --- calendars ---------------------------------------------------------------------------------


class WeeklyBlockForm(forms.Form):
    """A block of the weekly rota: working hours or a recurring break, in clinic wall-clock time."""

    KINDS = [("hours", "Working hours"), ("break", "Break")]
    kind = forms.ChoiceField(label="What", choices=KINDS, initial="hours")
    weekday = forms.TypedChoiceField(label="Day", choices=WEEKDAYS, coerce=int)
    start = forms.TimeField(label="From", widget=_time_input())
    end = forms.TimeField(label="Until", widget=_time_input())

    def clean_start(self) -> dt.time | None:
        return _on_grid(self.cleaned_data.get("start"))

    def clean_end(self) -> dt.time | None:
        return _on_grid(self.cleaned_data.get("end"))


class LeaveForm(forms.Form):
    """Leave from a local date (and time) to a local date (and time); blank times mean whole days."""

    first_day = forms.DateField(label="First day", widget=_date_input())
    from_time = forms.TimeField(
        label="From", required=False, widget=_time_input(), help_text="blank: from the start of the day"
    )
    last_day = forms.DateField(label="Last day", widget=_date_input())
    until_time = forms.TimeField(
        label="Until", required=False, widget=_time_input(), help_text="blank: to the end of the day"
    )
    reason = forms.CharField(required=False, max_length=120, help_text="optional, e.g. conference")

    def clean_from_time(self) -> dt.time | None:
        return _on_grid(self.cleaned_data.get("from_time"))

    def clean_until_time(self) -> dt.time | None:
        return _on_grid(self.cleaned_data.get("until_time"))

    def span(self) -> tuple[dt.datetime, dt.datetime]:
        """The leave as two aware instants in the clinic's zone."""
        d = self.cleaned_data
        zone = clinic_zone()
        start = dt.datetime.combine(d["first_day"], d.get("from_time") or dt.time.min, tzinfo=zone)
        if d.get("until_time"):
            end = dt.datetime.combine(d["last_day"], d["until_time"], tzinfo=zone)
        else:
            end = dt.datetime.combine(d["last_day"] + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, end


class HolidayForm(forms.Form):
    day = forms.DateField(label="Date", widget=_date_input())
    name = forms.CharField(max_length=80, help_text="e.g. Independence Day")


class AppointmentTypeForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="as patients and staff see it")
    code = forms.SlugField(max_length=40, help_text="short, lower case, no spaces (e.g. treatment); programs use it")
    kind = forms.ChoiceField(choices=AppointmentKind.choices)
    minutes = forms.IntegerField(min_value=15, max_value=240, help_text=f"15 to 240, in steps of {GRID_MINUTES}")
    bookable_online = forms.BooleanField(required=False, label="Patients may book it online")

    def clean_minutes(self) -> int:
        minutes: int = self.cleaned_data["minutes"]
        if minutes % GRID_MINUTES:
            raise forms.ValidationError(f"Use a multiple of {GRID_MINUTES} minutes (e.g. 30, 45, 60).")
        return minutes


# --- course booking ----------------------------------------------------------------------------


class CourseSettingsForm(forms.Form):
    """What the proposal is built from; every field has a sensible default."""

    first_day = forms.DateField(label="From", widget=_date_input(), help_text="first day to consider")
    preferred_time = forms.TimeField(
        label="Preferred time", required=False, widget=_time_input(), help_text="blank: earliest free"
    )
    practitioner = forms.ModelChoiceField(
        queryset=Practitioner.objects.filter(active=True),
        required=False,
        empty_label="— any practitioner —",
        to_field_name="public_id",
    )
    type = forms.ModelChoiceField(
        label="Appointment type", queryset=AppointmentType.objects.all(), empty_label=None, to_field_name="public_id"
    )
    min_gap_days = forms.IntegerField(
        label="Days between sessions", min_value=1, max_value=14, help_text="at least this many days apart"
    )

    def clean_first_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["first_day"]
        if day < timezone.now().astimezone(clinic_zone()).date():
            raise forms.ValidationError("That day has passed; start from today or later.")
        return day

    def clean_preferred_time(self) -> dt.time | None:
        return _on_grid(self.cleaned_data.get("preferred_time"))


class CancelForm(forms.Form):
    reason = forms.CharField(required=False, max_length=300, help_text="optional, e.g. patient unwell")
    rebook = forms.BooleanField(required=False, initial=True, label="Then rebook the rest of the course")


@dataclass(frozen=True)
class SlotChoice:
    """One proposal row's chosen slot as posted: `<start ISO>|<practitioner id>|<room id or ->`."""

    start: dt.datetime
    practitioner_id: uuid.UUID
    room_id: uuid.UUID | None

    @property
    def value(self) -> str:
        return slot_value(self.start, self.practitioner_id, self.room_id)


def slot_value(start: dt.datetime, practitioner_id: uuid.UUID, room_id: uuid.UUID | None) -> str:
    return f"{start.isoformat()}|{practitioner_id}|{room_id or '-'}"


def parse_slot(value: str) -> SlotChoice | None:
    try:
        start_s, practitioner_s, room_s = value.split("|")
        start = dt.datetime.fromisoformat(start_s)
        if start.tzinfo is None:
            return None
        return SlotChoice(start, uuid.UUID(practitioner_s), None if room_s == "-" else uuid.UUID(room_s))
    except ValueError:
        return None


@dataclass
class PostedRow:
    number: int
    day: dt.date | None
    slot: SlotChoice | None
    keep: bool
    error: str = ""


def parse_rows(data: Mapping[str, Any]) -> list[PostedRow]:
    """The proposal table as posted: per row a day, a chosen slot and whether to keep it."""
    try:
        count = min(int(data.get("rows", 0)), 60)
    except (TypeError, ValueError):
        count = 0
    dropped = set(data.getlist("drop")) if hasattr(data, "getlist") else set()
    rows = []
    for n in range(1, count + 1):
        try:
            day = dt.date.fromisoformat(str(data.get(f"day_{n}", "")))
        except ValueError:
            day = None
        slot = parse_slot(str(data.get(f"slot_{n}", "")))
        row = PostedRow(number=n, day=day, slot=slot, keep=str(n) not in dropped)
        if row.keep and slot is None:
            row.error = "Pick a time on this day, or tick Drop."
        rows.append(row)
    return rows
