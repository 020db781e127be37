"""Reading a patient's assessments: in time order, each with its baseline and change, and as charts.

One query for a patient's whole assessment history (it is small: tens of rows a year), so the
count is fixed whatever the data size. Change from baseline comes only from
``domain.series.compare_series``, which calls ``domain.change.change_from_baseline``.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from acupath.clinic.selectors import clinic_zone
from acupath.core.audit import audit_record
from acupath.core.models import AuditAction
from acupath.measures.charts import Reading, Segment, instrument_chart_svg
from acupath.measures.domain.change import Change
from acupath.measures.domain.instruments import Direction, Instrument, InstrumentCode, instrument, load_instruments
from acupath.measures.domain.scoring import Score
from acupath.measures.domain.series import (
    BASELINE_STATUS_TEXT,
    BaselineStatus,
    Compared,
    Taken,
    compare_series,
    important_level,
)
from acupath.measures.models import Assessment, InstrumentText
from acupath.patients.models import Patient

CHART_ORDER = (
    InstrumentCode.NRS,
    InstrumentCode.ODI,
    InstrumentCode.RMDQ,
    InstrumentCode.PSFS,
    InstrumentCode.STARTBACK,
)


CONTEXTS = {
    "consultation": "Consultation",
    "session": "Treatment session",
    "review": "Review",
    "clinic": "Recorded in clinic",
    "api": "Through the API",
    "portal": "Patient portal",
}


def nrs_important_level(baseline: float) -> float | None:
    """The pain score at or below which the fall from `baseline` is clinically important.

    Uses the NRS minimal clinically important difference from the instrument data
    (absolute points, Farrar 2001 / Ostelo 2008); None when none is defined.
    """
    return important_level("nrs", baseline)


@dataclass(frozen=True)
class AssessmentRow:
    """One stored assessment with what it means: its baseline and the change from it."""

    assessment: Assessment
    is_baseline: bool
    baseline_at: dt.datetime | None
    change: Change | None
    spec: Instrument
    baseline_status: BaselineStatus | None = None

    @property
    def late_baseline(self) -> bool:
        return self.baseline_status is BaselineStatus.LATE

    @property
    def baseline_text(self) -> str:
        """ "Baseline" or "Late baseline" (with what makes it late), for the baseline row itself."""
        if self.baseline_status is None:
            return ""
        return BASELINE_STATUS_TEXT[self.baseline_status]

    @property
    def baseline_note(self) -> str:
        if self.baseline_status is BaselineStatus.LATE:
            return (
                f"First {self.spec.short_name} of this episode, taken after the initial consultation: "
                "later change is measured from here, and any improvement before it is not counted."
            )
        return ""

    @property
    def no_common_activities(self) -> bool:
        """A PSFS follow-up that rates none of the baseline's activities: nothing to compare."""
        return (
            self.assessment.instrument == InstrumentCode.PSFS
            and not self.is_baseline
            and self.baseline_at is not None
            and self.assessment.scorable
            and self.change is None
        )

    @property
    def score_text(self) -> str:
        a = self.assessment
        if not a.scorable:
            return f"not scorable: {a.reason or 'too few answers'}"
        value = f"{a.score:g}"
        if a.instrument == InstrumentCode.ODI:
            return f"{value}%"
        return f"{value} / {self.spec.range.max:g}"

    @property
    def band_text(self) -> str:
        a = self.assessment
        if a.risk:
            return f"{a.risk.capitalize()} risk"
        scheme = self.spec.active_band_scheme
        if not a.band or scheme is None:
            return ""
        return next((b.display for b in scheme.bands if b.code == a.band), a.band)

    @property
    def context_text(self) -> str:
        return CONTEXTS.get(self.assessment.context, self.assessment.context or "—")

    @property
    def change_text(self) -> str:
        """Signed change from the baseline in the instrument's units ("-3", "+12.5")."""
        if self.is_baseline:
            return "late baseline" if self.late_baseline else "baseline"
        if self.no_common_activities:
            return "no activity in common with the baseline"
        if self.change is None:
            return ""
        if self.change.baseline_risk is not None or self.change.current_risk is not None:
            return (
                f"{(self.change.baseline_risk or '?').capitalize()} → {(self.change.current_risk or '?').capitalize()}"
            )
        return f"{self.change.from_baseline:+g}".replace("-", "−")

    @property
    def percent_text(self) -> str:
        c = self.change
        # Only where a percent threshold is part of the instrument's rule (not the PSFS, STarT Back).
        if c is None or c.percent is None or self.spec.mcid is None or self.spec.mcid.percent is None:
            return ""
        if round(c.percent) == 0:
            return "no change"
        return f"{abs(c.percent):.0f}% {'better' if c.percent > 0 else 'worse'}"

    @property
    def verdict(self) -> tuple[str, str] | None:
        """(badge class, words) for the change, or None when there is nothing to judge."""
        c = self.change
        if c is None or c.mcid_met is None:
            return None
        if c.responder:
            return ("ok", "Responder: important improvement" if c.mcid_met else "Responder (30% better)")
        if c.worsened_by_mcid:
            return ("danger", "Worse by an important amount")
        percent_rule = self.spec.mcid is not None and self.spec.mcid.percent
        relative = bool(percent_rule) and c.percent is not None and c.percent >= float(percent_rule or 0)
        if c.mdc_met is False and (c.mcid_met or relative) and c.mdc is not None:
            return ("", f"Within measurement error: under the {c.mdc:g}-point detectable change")
        if c.mcid_met:
            return ("ok", "Important improvement")
        return ("", "Not yet an important change")

    @property
    def compared_text(self) -> str:
        """PSFS: which activities the change is measured on."""
        c = self.change
        if c is None or not c.activities_compared:
            return ""
        return "Compared on: " + ", ".join(c.activities_compared)


def _score(a: Assessment, spec: Instrument) -> Score:
    """The stored result, as the pure rules take it (never rescored: settings may have changed)."""
    return Score(
        value=a.score,
        scorable=a.scorable,
        reason=a.reason or None,
        band=a.band or None,
        risk=a.risk or None,
        distress_subscale=a.distress_subscale,
        answered=0,  # not used by the change rules
        max_value=spec.range.max,
        activities=_activities(a),
    )


def _activities(a: Assessment) -> tuple[tuple[str, int], ...]:
    """A stored PSFS's (activity, score) pairs; empty for the other instruments."""
    if a.instrument != InstrumentCode.PSFS or not isinstance(a.answers, list):
        return ()
    return tuple(
        (str(e["activity"]).strip(), int(e["score"]))
        for e in a.answers
        if isinstance(e, dict) and isinstance(e.get("activity"), str) and isinstance(e.get("score"), int)
    )


def _rows(assessments: Sequence[Assessment]) -> list[AssessmentRow]:
    starts = [a.taken_at for a in assessments if a.starts_episode]
    by_instrument: dict[str, list[Assessment]] = {}
    for a in assessments:
        by_instrument.setdefault(a.instrument, []).append(a)
    rows: list[AssessmentRow] = []
    for code, items in by_instrument.items():
        spec = instrument(code)
        compared: list[Compared] = compare_series(code, [Taken(a.taken_at, _score(a, spec)) for a in items], starts)
        # compare_series keeps time order; items are already in (taken_at, id) order, so zip lines up.
        rows += [
            AssessmentRow(a, c.is_baseline, c.baseline_at, c.change, spec, c.baseline_status)
            for a, c in zip(items, compared, strict=True)
        ]
    rows.sort(key=lambda r: (r.assessment.taken_at, r.assessment.id))
    return rows


def assessment_rows(patient: Patient) -> list[AssessmentRow]:
    """Every assessment of the patient, oldest first, each with its baseline and change (1 query)."""
    assessments = list(Assessment.objects.filter(patient=patient).order_by("taken_at", "id"))
    return _rows(assessments)


def assessment_row(assessment: Assessment) -> AssessmentRow:
    """One assessment with its change, as the API answers a POST (1 query)."""
    for row in assessment_rows(assessment.patient):
        if row.assessment.id == assessment.id:
            return row
    raise LookupError(assessment.public_id)  # pragma: no cover - the row was just written


def assessments_read(user: Any, patient: Patient, via: str = "web") -> list[AssessmentRow]:
    """The patient's assessments for someone who may see them; the read is audited."""
    rows = assessment_rows(patient)
    audit_record(
        actor=user,
        action=AuditAction.READ,
        entity="assessment",
        patient_id=patient.public_id,
        summary=f"list of {len(rows)}",
        via=via,
    )
    return rows


def previous_activities(patient: Patient) -> list[str]:
    """The activities of the patient's latest PSFS, so a follow-up rates the same ones."""
    latest = (
        Assessment.objects.filter(patient=patient, instrument=InstrumentCode.PSFS)
        .order_by("-taken_at", "-id")
        .values_list("answers", flat=True)
        .first()
    )
    if not isinstance(latest, list):
        return []
    return [str(entry.get("activity", "")) for entry in latest if isinstance(entry, dict)]


def startback_risk_latest(patient: Patient) -> str | None:
    """The risk group of the patient's latest scorable STarT Back (low, medium, high), or None."""
    risk = (
        Assessment.objects.filter(patient=patient, instrument=InstrumentCode.STARTBACK, scorable=True)
        .order_by("-taken_at", "-id")
        .values_list("risk", flat=True)
        .first()
    )
    return risk or None


def instrument_texts(code: str) -> dict[tuple[int, str], str]:
    """The clinic's licensed wording of an instrument, keyed by (item, option); empty when none."""
    return {
        (item, option): text
        for item, option, text in InstrumentText.objects.filter(instrument=code).values_list("item", "option", "text")
    }


# --- charts ------------------------------------------------------------------------------------


@dataclass
class OutcomeChart:
    """One instrument on the patient page: a chart (or, for STarT Back, a risk table) and rows."""

    code: str
    title: str
    direction_note: str
    mcid_note: str
    svg: str
    rows: list[AssessmentRow]  # newest first
    latest: AssessmentRow
    latest_scored: AssessmentRow | None  # the summary shows this one when the latest form is not scorable
    licence_notice: str = ""
    kind: str = "line"  # line, or risk for STarT Back
    legend: list[tuple[str, str]] = field(default_factory=list)  # (swatch: score/target/session, words)
    note: str = ""
    late_note: str = ""  # the latest episode's baseline was taken after its initial consultation


def _y_axis(spec: Instrument) -> tuple[tuple[float, float], list[float]]:
    low, high = spec.range.min, spec.range.max
    step = {100.0: 20.0, 24.0: 4.0}.get(high, 2.0)
    labels = [low + step * i for i in range(int((high - low) / step) + 1)]
    return (low, high), labels


def _thresholds(rows: Sequence[AssessmentRow], spec: Instrument) -> list[Segment]:
    """The MCID target of each episode, drawn from its baseline to the episode's last score."""
    segments: list[Segment] = []
    baseline: AssessmentRow | None = None
    last_at: dt.datetime | None = None
    for row in rows:
        if row.is_baseline:
            if baseline is not None and last_at is not None:
                segments += _segment(spec, baseline, last_at)
            baseline = row
        if row.assessment.scorable:
            last_at = row.assessment.taken_at
    if baseline is not None and last_at is not None:
        segments += _segment(spec, baseline, last_at)
    return segments


def _segment(spec: Instrument, baseline: AssessmentRow, end: dt.datetime) -> list[Segment]:
    value = baseline.assessment.score
    level = None if value is None else important_level(spec.code, value)
    if level is None or end <= baseline.assessment.taken_at:
        return []
    return [Segment(baseline.assessment.taken_at, end, level)]


def _mcid_note(spec: Instrument) -> str:
    mcid = spec.mcid
    if mcid is None or mcid.absolute is None:
        return ""
    way = "fall" if spec.direction is Direction.HIGHER_IS_WORSE else "rise"
    unit = " points" if spec.code != InstrumentCode.ODI else " points (percentage points)"
    text = f"Important change (MCID): a {way} of {mcid.absolute:g}{unit} from the baseline"
    if mcid.percent is not None:
        combine = load_instruments().responder_rule.combine
        text += f"; responder: {mcid.absolute:g} points {'or' if combine == 'any' else 'and'} {mcid.percent:g}%"
    if mcid.unverified:
        text += " (a configurable default; the source is unverified)"
    if spec.mdc is not None:
        text += f". A responder must also improve by the minimal detectable change, {spec.mdc.absolute:g} points"
        if spec.mdc.single_activity is not None:
            text += f" ({spec.mdc.single_activity:g} when one activity is compared)"
        if spec.mdc.unverified:
            text += " (a configurable default; the source is unverified)"
    return text + "."


def _licence_notice(spec: Instrument) -> str:
    return spec.copyright_notice or ""


def outcome_charts(patient: Patient, session_times: Iterable[dt.datetime] = ()) -> list[OutcomeChart]:
    """One chart per instrument the patient has scores for, with the sessions marked.

    ``session_times`` are the patient's treatment-session start times; the caller (the chart
    composer, above treatment in the layers) passes them in, as measures may not import treatment.
    One query here, whatever the history size.
    """
    return outcome_charts_from_rows(assessment_rows(patient), session_times)


def outcome_charts_from_rows(
    rows: Sequence[AssessmentRow], session_times: Iterable[dt.datetime] = ()
) -> list[OutcomeChart]:
    """The charts for assessment rows already read (e.g. by ``assessments_read``)."""
    if not rows:
        return []
    sessions = sorted(session_times)
    zone = clinic_zone()
    charts: list[OutcomeChart] = []
    for code in CHART_ORDER:
        mine = [r for r in rows if r.assessment.instrument == code]
        if mine:
            charts.append(_chart(mine[0].spec, mine, sessions, zone))
    return charts


def _chart(spec: Instrument, rows: list[AssessmentRow], sessions: list[dt.datetime], zone: dt.tzinfo) -> OutcomeChart:
    better = "lower is better" if spec.direction is Direction.HIGHER_IS_WORSE else "higher is better"
    unit = "%" if spec.code == InstrumentCode.ODI else f" / {spec.range.max:g}"
    title = f"{spec.name} ({spec.short_name})"
    newest_first = list(reversed(rows))
    chart = OutcomeChart(
        code=spec.code,
        title=title,
        direction_note=f"{spec.range.min:g}-{spec.range.max:g}{'%' if unit == '%' else ''}, {better}",
        mcid_note=_mcid_note(spec),
        svg="",
        rows=newest_first,
        latest=newest_first[0],
        latest_scored=next((r for r in newest_first if r.assessment.scorable), None),
        licence_notice=_licence_notice(spec),
    )
    latest_baseline = next((r for r in newest_first if r.is_baseline), None)
    if latest_baseline is not None and latest_baseline.late_baseline:
        taken = latest_baseline.assessment.taken_at.astimezone(zone)
        chart.late_note = (
            f"Late baseline: the first {spec.short_name} of this episode was taken on {taken:%-d %b %Y}, "
            "after the initial consultation. Change is measured from that score; any improvement "
            "before it is not counted."
        )
    if spec.code == InstrumentCode.STARTBACK:
        chart.kind = "risk"
        return chart
    scored = [r for r in rows if r.assessment.scorable and r.assessment.score is not None]
    if not scored:
        return chart
    if len(scored) < 2:
        chart.note = "Only the baseline so far: the chart appears with the second score."
        return chart
    first, last = scored[0].assessment.taken_at, scored[-1].assessment.taken_at
    # The chart spans the scores; sessions after the last score are counted under it instead, as
    # a prompt that the instrument is due again.
    marks = [t for t in sessions if first <= t <= last]
    later = sum(1 for t in sessions if t > last)
    if later:
        chart.note = f"{later} treatment session{'s' if later != 1 else ''} since the last {spec.short_name} score."
    y_range, y_labels = _y_axis(spec)
    threshold_label = ""
    segments = _thresholds(rows, spec)
    if segments:
        way = "at or below" if spec.direction is Direction.HIGHER_IS_WORSE else "at or above"
        levels = sorted({f"{s.level:g}" for s in segments})
        threshold_label = f"Important improvement: {way} {' / '.join(levels)}"
    chart.legend = [("score", f"{spec.short_name} score")]
    if segments:
        chart.legend.append(("target", threshold_label))
    if marks:
        chart.legend.append(("session", f"Treatment session ({len(marks)})"))
    chart.svg = instrument_chart_svg(
        readings=[Reading(r.assessment.taken_at, float(r.assessment.score or 0)) for r in scored],
        y_range=y_range,
        y_labels=y_labels,
        score_label=f"{spec.short_name} score ({better})",
        threshold_label=threshold_label,
        thresholds=segments,
        session_marks=marks,
        tz=zone,
    )
    return chart
