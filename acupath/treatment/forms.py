"""Forms of the session pages. Point rows are parsed from indexed fields (r<n>_code, r<n>_use, ...)
so rows added on the page (by code or from the body chart) come back exactly as typed on an error.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from acupath.clinic.models import Practitioner, Room
from acupath.planning.domain.facts import BodyRegion
from acupath.planning.domain.rules import RETENTION_LIMITS
from acupath.planning.enums import Side
from acupath.planning.models import DEPTH_MM_MAX
from acupath.treatment.domain.adverse import ACTION_MAX, ACTION_REQUIRED, DESCRIPTION_MAX, FOLLOW_UP_MAX
from acupath.treatment.enums import (
    AdverseEventKind,
    AdverseEventOutcome,
    AdverseEventSeverity,
    Causality,
    SeriousnessCriterion,
)
from acupath.treatment.services import NeedledPoint

NRS_CHOICES = [(n, str(n)) for n in range(11)]
REGION_CHOICES = [("", "—")] + [(r.value, r.value.replace("_", " ")) for r in BodyRegion]


RETENTION_ERRORS = {
    "min_value": f"Retention under {RETENTION_LIMITS[0]} minutes is refused; enter {RETENTION_LIMITS[0]} to "
    f"{RETENTION_LIMITS[1]}.",
    "max_value": f"Retention over {RETENTION_LIMITS[1]} minutes is refused; enter {RETENTION_LIMITS[0]} to "
    f"{RETENTION_LIMITS[1]}.",
}


class SessionForm(forms.Form):
    """A session recorded at the end of the visit: points needled, retention, pain before and after."""

    room = forms.ModelChoiceField(queryset=Room.objects.filter(active=True), required=False, empty_label="— no room —")
    pain_before = forms.IntegerField(label="Pain before", help_text="0-10", min_value=0, max_value=10)
    retention_minutes = forms.IntegerField(
        label="Needles retained (minutes)",
        min_value=RETENTION_LIMITS[0],
        max_value=RETENTION_LIMITS[1],
        initial=25,
        error_messages=RETENTION_ERRORS,
    )
    gauge_mm = forms.DecimalField(
        label="Needle gauge (mm)", max_digits=4, decimal_places=2, initial=Decimal("0.25"), min_value=Decimal("0.12")
    )
    length_mm = forms.IntegerField(label="Needle length (mm)", min_value=7, max_value=125, initial=40)
    lot = forms.CharField(label="Needle pack lot number", max_length=40)
    pain_after = forms.IntegerField(label="Pain after", help_text="0-10", min_value=0, max_value=10)
    contact_minutes = forms.IntegerField(label="One-on-one contact (minutes)", min_value=0, max_value=240, initial=15)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    extra_codes = forms.CharField(
        label="Points added today", help_text="codes separated by commas", required=False, max_length=300
    )

    def needled(self, plan_codes: list[tuple[str, str]]) -> list[tuple[str, str, int]]:
        """(code, side, needles) for each plan point ticked, plus points added by code."""
        chosen = []
        for code, side in plan_codes:
            if self.data.get(f"use_{code}_{side}"):
                chosen.append((code, side, 2 if side == "both" else 1))
        extra = self.cleaned_data.get("extra_codes", "")
        chosen += [(c.strip(), "both", 2) for c in extra.split(",") if c.strip()]
        return chosen


class StartForm(forms.Form):
    room = forms.ModelChoiceField(
        queryset=Room.objects.none(),
        required=True,
        empty_label=None,
        widget=forms.RadioSelect,
        to_field_name="public_id",
    )
    pain_before = forms.TypedChoiceField(
        label="Pain now, before needling",
        help_text="0 = no pain, 10 = worst imaginable",
        choices=NRS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "nrs"}),
    )
    planned_minutes = forms.IntegerField(
        label="Retention (minutes)",
        help_text=f"usually 20-30; {RETENTION_LIMITS[0]} to {RETENTION_LIMITS[1]}",
        min_value=RETENTION_LIMITS[0],
        max_value=RETENTION_LIMITS[1],
        initial=25,
        error_messages=RETENTION_ERRORS,
    )
    practitioner = forms.ModelChoiceField(
        queryset=Practitioner.objects.none(), required=False, to_field_name="public_id", empty_label="— choose —"
    )

    def __init__(self, *args: Any, rooms: Any, practitioners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        room_field: Any = self.fields["room"]
        room_field.queryset = rooms
        room_field.error_messages["required"] = "Choose the room the patient is in."
        room_field.error_messages["invalid_choice"] = "That room is not free any more; choose another."
        self.fields["pain_before"].error_messages["required"] = "Ask the patient for their pain now (0-10)."
        if practitioners is None:
            del self.fields["practitioner"]
        else:
            prac: Any = self.fields["practitioner"]
            prac.queryset = practitioners
            prac.required = True
            prac.error_messages["required"] = "Choose the practitioner who runs this session."


class NeedleSettingsForm(forms.Form):
    gauge = forms.DecimalField(
        label="Gauge (mm)", max_digits=4, decimal_places=2, min_value=Decimal("0.12"), max_value=Decimal("0.50")
    )
    length_mm = forms.IntegerField(label="Length (mm)", min_value=7, max_value=125)
    lot = forms.CharField(label="Needle pack lot number", max_length=40, required=False)
    ea_frequency_hz = forms.DecimalField(
        label="EA frequency (Hz)", max_digits=5, decimal_places=1, required=False, min_value=Decimal("0.5")
    )
    ea_intensity = forms.CharField(
        label="EA intensity", max_length=40, required=False, help_text="e.g. 2 mA, to tolerance"
    )
    ea_pairs = forms.IntegerField(label="EA electrode pairs", min_value=1, max_value=12, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gauge"].error_messages["required"] = "Enter the needle diameter in mm, e.g. 0.25."
        self.fields["length_mm"].error_messages["required"] = "Enter the needle length in mm, e.g. 40."


_ROW_KEY = re.compile(r"^r(\d{1,16})_code$")


@dataclass
class PointRow:
    """One point row of the needles form, as shown and as posted."""

    key: str
    code: str
    side: str = Side.BOTH
    count: int = 2
    use: bool = True
    from_plan: bool = False
    electro: bool = False
    reason: str = ""
    techniques: list[str] = field(default_factory=list)  # Technique codes
    depth: str = ""  # mm as typed, shown again as it was on an error
    angle: str = ""
    deqi: str = ""  # "", "yes", "no"
    region: str = ""
    pinyin: str = ""
    plan_side: str = ""
    error: str = ""
    safety: Any = None  # PointSafety from the preview
    messages: list[str] = field(default_factory=list)

    def as_needled(self) -> NeedledPoint:
        return NeedledPoint(
            code=self.code,
            side=self.side,
            count=self.count,
            techniques=tuple(self.techniques),
            depth_mm=int(self.depth) if self.depth.isdigit() else None,
            angle=self.angle,
            deqi={"yes": True, "no": False}.get(self.deqi),
            electro=self.electro,
            override_reason=self.reason.strip(),
            region=self.region,
        )


def default_count(side: str) -> int:
    return 2 if side == Side.BOTH else 1


def rows_from_post(data: Any) -> tuple[list[PointRow], list[str]]:
    """The rows as posted, in page order, and any row errors (a count that is not a number)."""
    rows: list[PointRow] = []
    errors: list[str] = []
    keys = sorted(int(m.group(1)) for k in data if (m := _ROW_KEY.match(k)))
    for n in keys:
        p = f"r{n}_"
        code = data.get(p + "code", "").strip()
        side = data.get(p + "side", Side.BOTH)
        raw = data.get(p + "count", "").strip()
        row = PointRow(
            key=str(n),
            code=code,
            side=side,
            use=bool(data.get(p + "use")),
            from_plan=data.get(p + "plan") == "1",
            plan_side=data.get(p + "plan_side", ""),
            electro=bool(data.get(p + "electro")),
            reason=data.get(p + "reason", "")[:300],
            techniques=[t for t in data.getlist(p + "techniques") if t][:10],
            depth=data.get(p + "depth", "").strip()[:6],
            angle=data.get(p + "angle", ""),
            deqi=data.get(p + "deqi", ""),
            region=data.get(p + "region", ""),
            pinyin=data.get(p + "pinyin", "")[:60],
        )
        if row.use and row.depth and not (row.depth.isdigit() and 1 <= int(row.depth) <= DEPTH_MM_MAX):
            row.error = f"Depth is whole millimetres, 1 to {DEPTH_MM_MAX}."
            errors.append(f"{code}: depth is whole millimetres, 1 to {DEPTH_MM_MAX} (e.g. 15).")
        try:
            row.count = int(raw)
        except ValueError:
            row.count = 0
            if row.use:
                row.error = "Enter how many needles (1-20)."
                errors.append(f"{code}: enter how many needles (1-20).")
        rows.append(row)
    return rows, errors


class RemovalForm(forms.Form):
    count = forms.IntegerField(label="Needles removed", min_value=1, max_value=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["count"].error_messages["required"] = "Count the needles taken out and enter the number."


class CloseForm(forms.Form):
    pain_after = forms.TypedChoiceField(
        label="Pain after",
        help_text="0-10",
        choices=NRS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "nrs"}),
    )
    contact_minutes = forms.IntegerField(
        label="One-on-one contact (minutes)", help_text="for billing", min_value=0, max_value=240
    )
    subjective = forms.CharField(
        label="S — what the patient reports", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    objective = forms.CharField(label="O — what you found", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    assessment = forms.CharField(label="A — your assessment", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    plan_note = forms.CharField(label="P — next steps", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pain_after"].error_messages["required"] = "Ask the patient for their pain now (0-10)."
        self.fields["contact_minutes"].error_messages["required"] = "Enter the one-on-one minutes (0 if none)."


def _seriousness_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Serious? Tick every criterion met (none: not serious)",
        choices=SeriousnessCriterion.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AdverseEventForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=AdverseEventKind.choices)
    severity = forms.ChoiceField(label="Severity", choices=AdverseEventSeverity.choices)
    occurred_at = forms.DateTimeField(
        label="Began at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    seriousness = _seriousness_field()
    causality = forms.ChoiceField(
        label="Caused by the treatment? (WHO-UMC)", choices=Causality.choices, initial=Causality.PROBABLE
    )
    outcome = forms.ChoiceField(label="Outcome so far", choices=AdverseEventOutcome.choices)
    description = forms.CharField(
        label="What happened",
        required=False,
        max_length=DESCRIPTION_MAX,
        help_text="Required for 'Other'.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    action_taken = forms.CharField(
        label="Action taken",
        max_length=ACTION_MAX,
        help_text="e.g. needles removed, laid flat with legs raised, pressure 2 minutes, referred to A&E",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    needles = forms.IntegerField(
        label="Needles not found", help_text="lost or forgotten needles only", min_value=0, max_value=200, initial=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)
        self.fields["action_taken"].error_messages["required"] = ACTION_REQUIRED


class AdverseFollowUpForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome now", choices=AdverseEventOutcome.choices)
    causality = forms.ChoiceField(label="Caused by the treatment? (WHO-UMC)", choices=Causality.choices)
    seriousness = _seriousness_field()
    note = forms.CharField(
        label="Follow-up note",
        max_length=FOLLOW_UP_MAX,
        help_text="e.g. phoned on day 2: bruise fading, no pain",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AlertAcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="Your note (optional)",
        required=False,
        max_length=300,
        help_text="e.g. spoke with the practitioner; incident reviewed at the team meeting",
    )


class AdverseFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=[("", "All types"), *AdverseEventKind.choices], required=False)
    severity = forms.ChoiceField(
        label="Severity", choices=[("", "All severities"), *AdverseEventSeverity.choices], required=False
    )
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date; swap them.")
        return data
