"""The plan page's form: scalar fields as a Django form, the point rows as parallel lists.

Point rows are added and removed on the page (body chart, code box, remove buttons), so they are
posted as index-aligned lists (`point_code`, `point_side`, ...) and parsed here; whatever was
posted is shown again on an error, so nothing typed is lost.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.http import QueryDict

from acupath.planning.domain.rules import RETENTION_LIMITS
from acupath.planning.domain.safety import Exclusion, Severity
from acupath.planning.enums import PointRole, Side
from acupath.planning.models import DEPTH_MM_MAX
from acupath.planning.selectors import PointChoice
from acupath.planning.services import PlanInput, PlanPointInput

_LOW, _HIGH = RETENTION_LIMITS
ROW_FIELDS = ("code", "side", "role", "rationale", "level", "reason", "pinyin", "depth", "angle")


@dataclass
class PointRow:
    """One point on the page: what the practitioner sees and edits."""

    code: str
    side: str = Side.BOTH
    role: str = PointRole.LOCAL
    rationale: str = ""
    level: str = ""
    reason: str = ""
    pinyin: str = ""
    depth: str = ""  # mm as typed, so a bad value is shown again as it was
    angle: str = ""
    needs_reason: bool = False  # a caution keeps it out of drafts: an override reason is required
    error: str = ""  # why the rules refuse it
    note: str = ""  # the caution a reason would lift

    @classmethod
    def added(cls, point: PointChoice, side: str, level: str, refusal: Exclusion | None) -> "PointRow":
        """A row for a point added by hand, saying at once what the safety rules make of it."""
        caution = refusal is not None and refusal.severity == Severity.CAUTION
        return cls(
            code=point.code,
            side=side,
            role=point.role,
            rationale="Added by the practitioner.",
            level=level,
            pinyin=point.pinyin,
            needs_reason=caution,
            note=f"Caution ({refusal.title}): {refusal.reason}" if refusal is not None and caution else "",
            error=f"Refused ({refusal.title}): {refusal.reason}" if refusal is not None and not caution else "",
        )

    def as_input(self) -> PlanPointInput:
        return PlanPointInput(
            code=self.code,
            side=self.side,
            role=self.role,
            rationale=self.rationale,
            level=self.level,
            override_reason=self.reason,
            depth_mm=int(self.depth) if self.depth.isdigit() else None,
            angle=self.angle,
        )

    @property
    def depth_error(self) -> str:
        if self.depth and not (self.depth.isdigit() and 1 <= int(self.depth) <= DEPTH_MM_MAX):
            return f"Depth at {self.code}: whole millimetres, 1 to {DEPTH_MM_MAX} (e.g. 15)."
        return ""


def rows_from_post(data: QueryDict) -> list[PointRow]:
    columns = {name: data.getlist(f"point_{name}") for name in ROW_FIELDS}
    count = len(columns["code"])
    rows = []
    for i in range(count):
        v = {name: (col[i] if i < len(col) else "").strip() for name, col in columns.items()}
        if v["code"]:
            rows.append(
                PointRow(
                    v["code"],
                    v["side"],
                    v["role"],
                    v["rationale"],
                    v["level"],
                    v["reason"],
                    v["pinyin"],
                    v["depth"],
                    v["angle"],
                )
            )
    return rows


def rows_from_points(points: Iterable[Mapping[str, Any]]) -> list[PointRow]:
    """Rows from a draft or a saved version (both as plain dicts)."""
    return [
        PointRow(
            code=p["code"],
            side=p["side"],
            role=p["role"],
            rationale=p.get("rationale", ""),
            level=p.get("level", ""),
            reason=p.get("override_reason", ""),
            pinyin=p.get("pinyin", ""),
            depth="" if p.get("depth_mm") is None else str(p["depth_mm"]),
            angle=p.get("angle") or "",
        )
        for p in points
    ]


def mark_rows(
    rows: Sequence[PointRow],
    cautions: Mapping[str, str],
    errors: Mapping[str, str],
    need_reason: Iterable[str] = (),
) -> None:
    """Flag rows that need an override reason, and put each refusal on its row."""
    need = set(need_reason)
    for row in rows:
        row.needs_reason = row.code in cautions or row.code in need or bool(row.reason)
        row.note = cautions.get(row.code, "")
        row.error = row.depth_error or errors.get(row.code, "")


def editor_start(
    drafted: Mapping[str, Any] | None, current: Mapping[str, Any] | None, want_draft: bool
) -> tuple[str, Mapping[str, Any] | None]:
    """Where the editor starts: the draft when asked for (or when there is no plan yet), else the
    current version. Returns the source's name and its points/settings."""
    if drafted is not None and (want_draft or current is None):
        return "draft", drafted
    if current is not None:
        return "current", current
    return "empty", None


def initial_values(start: Mapping[str, Any] | None) -> dict[str, Any]:
    base = start or {}
    course = base.get("course") or {}
    return {
        "retention_minutes": base.get("retention_minutes", 25),
        "electroacupuncture": base.get("electroacupuncture", False),
        "sessions": course.get("sessions", 10),
        "per_week": course.get("per_week", 2),
        "advice": [a["code"] for a in base.get("advice", [])],
    }


def draft_cautions(drafted: Mapping[str, Any] | None) -> dict[str, str]:
    """Points the draft kept out under a caution: adding one back needs a reason."""
    return {
        e["code"]: f"Caution ({e.get('title') or e['rule']}): {e['reason']}"
        for e in (drafted or {}).get("excluded", [])
        if e["severity"] == "caution"
    }


@dataclass
class ExcludedGroup:
    """Points one rule kept out, for the safety panel: one line per rule, not per point."""

    rule: str
    title: str
    severity: str
    reason: str
    points: list[tuple[str, str]]  # (code, pinyin)


def excluded_groups(drafted: Mapping[str, Any] | None) -> list[ExcludedGroup]:
    groups: dict[tuple[str, str], ExcludedGroup] = {}
    for e in (drafted or {}).get("excluded", []):
        key = (e["rule"], e["reason"])
        group = groups.setdefault(
            key, ExcludedGroup(e["rule"], e.get("title") or e["rule"], e["severity"], e["reason"], [])
        )
        group.points.append((e["code"], e.get("pinyin", "")))
    return list(groups.values())


class PlanForm(forms.Form):
    retention_minutes = forms.IntegerField(
        label="Needle retention (minutes)",
        min_value=RETENTION_LIMITS[0],
        max_value=RETENTION_LIMITS[1],
        help_text=f"usually 20-30; {RETENTION_LIMITS[0]} to {RETENTION_LIMITS[1]}",
        error_messages={
            "min_value": f"Retention under {_LOW} minutes is refused; enter {_LOW} to {_HIGH}.",
            "max_value": f"Retention over {_HIGH} minutes is refused; enter {_LOW} to {_HIGH}.",
        },
    )
    sessions = forms.IntegerField(label="Sessions in the course", min_value=1, max_value=30)
    per_week = forms.IntegerField(label="Sessions a week, to start", min_value=1, max_value=5)
    electroacupuncture = forms.BooleanField(label="Electroacupuncture", required=False)
    electroacupuncture_reason = forms.CharField(
        label="Reason to use electroacupuncture despite the caution", required=False, max_length=300
    )
    advice = forms.MultipleChoiceField(label="Self-care advice", required=False, widget=forms.CheckboxSelectMultiple)
    change_note = forms.CharField(
        label="What changed and why",
        help_text="shown in the version history",
        required=False,
        max_length=300,
    )
    notes = forms.CharField(label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    # The "add a point" box is part of the page's form: a code typed there but never added must
    # not be silently dropped when the plan is approved.
    add_code = forms.CharField(label="Add a point by code", required=False, max_length=20)

    def __init__(self, *args: Any, advice_choices: Sequence[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["advice"]).choices = advice_choices

    def clean_add_code(self) -> str:
        code = str(self.cleaned_data.get("add_code", "")).strip()
        if code:
            raise forms.ValidationError(
                f"'{code}' is typed in the box but not added to the plan: press Add, or clear the box."
            )
        return code

    def plan_input(self, rows: Sequence[PointRow]) -> PlanInput:
        d = self.cleaned_data
        return PlanInput(
            points=tuple(row.as_input() for row in rows),
            retention_minutes=d["retention_minutes"],
            electroacupuncture=d["electroacupuncture"],
            electroacupuncture_reason=d["electroacupuncture_reason"],
            sessions=d["sessions"],
            per_week=d["per_week"],
            advice=tuple({"code": code} for code in d["advice"]),
            notes=d["notes"],
            change_note=d["change_note"],
        )
