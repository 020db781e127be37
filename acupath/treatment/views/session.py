"""The live session on a tablet: check in, needles in (timer), needles out, close."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability, can
from acupath.clinic.models import Practitioner, Room
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.core.models import AuditAction
from acupath.knowledge.domain.codes import ASHI
from acupath.knowledge.selectors import body_chart, points_in_order
from acupath.patients.access import access_patient_by_id
from acupath.patients.models import Patient
from acupath.patients.selectors import patient_search
from acupath.planning.enums import NeedleAngle, PlanStatus, Side, Technique
from acupath.planning.models import TreatmentPlan
from acupath.treatment.access import access_session_by_id, clinic_of
from acupath.treatment.consent import ConsentRequired, session_consent
from acupath.treatment.enums import AdverseEventKind, SessionStatus
from acupath.treatment.forms import (
    REGION_CHOICES,
    AdverseEventForm,
    CloseForm,
    NeedleSettingsForm,
    PointRow,
    RemovalForm,
    StartForm,
    default_count,
    rows_from_post,
)
from acupath.treatment.models import TreatmentSession
from acupath.treatment.selectors import (
    BoardRoom,
    SafetyPreview,
    SessionView,
    board_for_clinic,
    board_for_location,
    plan_point_level,
    session_detail,
    session_safety_preview,
)
from acupath.treatment.services import (
    NeedleBatch,
    SoapNote,
    session_close,
    session_insert_needles,
    session_remove_needles,
    session_start,
)

# ---------------------------------------------------------------------------------------------
# Check in


def _session_or_404(request: AuthedRequest, session_id: uuid.UUID) -> TreatmentSession:
    try:
        return access_session_by_id(request.user, session_id, Capability.EDIT_CLINICAL)
    except NotFound:
        raise Http404("No such session") from None


def _patient_or_404(request: AuthedRequest, patient_id: str) -> Patient:
    try:
        return access_patient_by_id(request.user, patient_id, Capability.EDIT_CLINICAL)
    except NotFound:
        raise Http404("No such patient") from None


def _free_rooms(board: list[BoardRoom]) -> QuerySet[Room]:
    return Room.objects.filter(pk__in=[b.room.pk for b in board if not b.occupied])


@login_required
def session_start_view(request: AuthedRequest) -> HttpResponse:
    """Check a patient in to a room: from the patient page (?patient=) or the board (?room=)."""
    if not _can_run(request):
        raise Http404("No such page")
    source = request.POST if request.method == "POST" else request.GET
    patient = _patient_or_404(request, source["patient"]) if source.get("patient") else None
    if patient is not None and request.method == "GET":
        running = TreatmentSession.objects.filter(patient=patient, status=SessionStatus.OPEN).first()
        if running is not None:
            messages.info(request, "This patient's session is already in progress.")
            return redirect("treatment:session_page", session_id=running.public_id)
    clinic = clinic_of(request.user)
    own = Practitioner.objects.filter(user=request.user, active=True).select_related("location").first()
    # A practitioner checks patients in to the rooms where they practise; the desk sees every room.
    board = board_for_location(own.location) if own and own.location else board_for_clinic(clinic)
    practitioners = None if own else Practitioner.objects.filter(clinic=clinic, active=True)
    plan = (
        TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).prefetch_related("points").first()
        if patient
        else None
    )
    initial = {"room": source.get("room", ""), "planned_minutes": plan.retention_minutes if plan else 25}
    form = StartForm(request.POST or None, initial=initial, rooms=_free_rooms(board), practitioners=practitioners)
    if request.method == "POST" and patient is None:
        form.add_error(None, "Choose the patient first: search by name.")
    elif request.method == "POST" and form.is_valid() and patient is not None:
        d = form.cleaned_data
        try:
            session = session_start(
                actor=request.user,
                patient=patient,
                practitioner=own or d["practitioner"],
                room=d["room"],
                pain_before=d["pain_before"],
                plan=plan,
                planned_minutes=d["planned_minutes"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        except ConsentRequired:
            form.add_error(None, "Check-in needs the patient's signed consent first (see above).")
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("treatment:session_page", session_id=session.public_id)
    chosen_room = str(form["room"].value() or "")
    return render(
        request,
        "treatment/session_start.html",
        {
            "form": form,
            "patient": patient,
            "plan": plan,
            "consent": session_consent(patient) if patient else None,
            "rooms": board,
            "chosen_room": chosen_room,
            "nav": "board",
        },
        status=422 if form.errors else 200,
    )


def _can_run(request: AuthedRequest) -> bool:
    return can(request.user, Capability.EDIT_CLINICAL)


@login_required
@require_GET
def session_start_patients(request: AuthedRequest) -> HttpResponse:
    """Patients matching a name, as choices for the check-in page (htmx)."""
    if not _can_run(request):
        raise Http404("No such page")
    q = request.GET.get("q", "").strip()
    found = list(patient_search(request.user, q)[:8]) if len(q) >= 2 else []
    return render(
        request, "treatment/_patient_choices.html", {"patients": found, "q": q, "room": request.GET.get("room", "")}
    )


# ---------------------------------------------------------------------------------------------
# The session page


def _plan_rows(view: SessionView) -> list[PointRow]:
    """The plan's points as rows: all ticked before the first needle, only the missing ones after."""
    done = {(sp.point_id, sp.side) for sp in view.needled}
    first = not view.needled
    rows = []
    for n, pp in enumerate(view.plan_points):
        if not first and (pp.point_id, pp.side) in done:
            continue
        rows.append(
            PointRow(
                key=str(n),
                code=pp.point_id,
                side=pp.side,
                count=default_count(pp.side),
                use=first,
                from_plan=True,
                plan_side=pp.side,
                reason=pp.override_reason,
                region=plan_point_level(pp.level, pp.location_note),
                depth="" if pp.depth_mm is None else str(pp.depth_mm),
                angle=pp.angle,
                pinyin=pp.point.pinyin,
            )
        )
    return rows


def _attach_safety(rows: list[PointRow], preview: SafetyPreview) -> None:
    for row in rows:
        if row.code == ASHI and not row.region:
            continue  # its level is chosen on the row first; the rules then check it on submit
        row.safety = preview.for_point(row.code, row.region)
        if row.safety is not None and row.safety.refused:
            row.use = False


def _last_needles(session: TreatmentSession) -> dict[str, Any]:
    """Needle size and lot: this session's, else the practitioner's last, else common defaults."""
    if session.needle_gauge_mm:
        return {"gauge": session.needle_gauge_mm, "length_mm": session.needle_length_mm, "lot": session.needle_lot}
    last = (
        TreatmentSession.objects.filter(practitioner=session.practitioner, needle_gauge_mm__isnull=False)
        .exclude(pk=session.pk)
        .order_by("-checked_in_at")
        .values("needle_gauge_mm", "needle_length_mm", "needle_lot")
        .first()
    )
    if last:
        return {"gauge": last["needle_gauge_mm"], "length_mm": last["needle_length_mm"], "lot": last["needle_lot"]}
    return {"gauge": "0.25", "length_mm": 40, "lot": ""}


def _render(
    request: AuthedRequest,
    session: TreatmentSession,
    *,
    rows: list[PointRow] | None = None,
    settings_form: NeedleSettingsForm | None = None,
    points_error: str = "",
    removal_form: RemovalForm | None = None,
    close_form: CloseForm | None = None,
    adverse_form: AdverseEventForm | None = None,
    lost_form: AdverseEventForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    view = session_detail(session, now)
    is_open = session.status == SessionStatus.OPEN
    can_insert = is_open and not session.removal_started
    preview = SafetyPreview()
    if can_insert:
        rows = rows if rows is not None else _plan_rows(view)
        preview = session_safety_preview(session.patient, [(r.code, r.region) for r in rows])
        _attach_safety(rows, preview)
    ea_enabled = bool(session.plan and session.plan.electroacupuncture and preview.electro_allowed)
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        entity="treatment_session",
        entity_id=session.public_id,
        patient_id=session.patient.public_id,
    )
    context = {
        "v": view,
        "s": session,
        "patient": session.patient,
        "now": now,
        "is_open": is_open,
        "can_insert": can_insert,
        "rows": rows or [],
        "preview": preview,
        "points_error": points_error,
        "ea_enabled": ea_enabled,
        "regions": REGION_CHOICES,
        "sides": Side.choices,
        "angles": NeedleAngle.choices,
        "techniques": Technique.choices,
        "settings_form": settings_form or NeedleSettingsForm(initial=_last_needles(session)),
        "removal_form": removal_form or RemovalForm(initial={"count": session.needles_in}),
        "close_form": close_form or CloseForm(initial={"contact_minutes": 15}),
        "adverse_form": adverse_form or AdverseEventForm(prefix="ae"),
        "lost_form": lost_form
        or AdverseEventForm(
            prefix="lost",
            initial={"kind": AdverseEventKind.FORGOTTEN_NEEDLE, "severity": "mild", "needles": view.outstanding},
        ),
        "body_chart": body_chart("posterior") if can_insert else None,
        "nav": "board",
    }
    return render(request, "treatment/session.html", context, status=status)


@login_required
@require_GET
def session_page(request: AuthedRequest, session_id: uuid.UUID) -> HttpResponse:
    return _render(request, _session_or_404(request, session_id))


@login_required
@require_GET
def point_row(request: AuthedRequest, session_id: uuid.UUID) -> HttpResponse:
    """One new point row (typed code, or picked on the body chart), with its safety verdict (htmx)."""
    session = _session_or_404(request, session_id)
    raw = request.GET.get("code", "").strip()
    side = request.GET.get("side", Side.BOTH)
    if side not in Side.values:
        side = Side.BOTH
    try:
        if not raw:
            raise ServiceError({"points": "Type a point code first, e.g. BL23 (UB23 and Du4 work too)."})
        [point] = points_in_order([raw])
    except ServiceError as exc:
        response = render(request, "treatment/_add_error.html", {"message": exc.errors.get("points", str(exc))})
        return reswap(retarget(response, "#add-error"), "innerHTML")
    key = "".join(ch for ch in request.GET.get("key", "") if ch.isdigit())[:16] or str(
        int(timezone.now().timestamp() * 1000)
    )
    row = PointRow(key=key, code=point.code, side=side, count=default_count(side), pinyin=point.pinyin)
    preview = session_safety_preview(session.patient, [(point.code, "")])
    _attach_safety([row], preview)
    ea_enabled = bool(session.plan and session.plan.electroacupuncture and preview.electro_allowed)
    return render(
        request,
        "treatment/_point_row.html",
        {
            "row": row,
            "sides": Side.choices,
            "regions": REGION_CHOICES,
            "angles": NeedleAngle.choices,
            "techniques": Technique.choices,
            "ea_enabled": ea_enabled,
        },
    )


def _mark_rows(rows: list[PointRow], message: str) -> None:
    """Highlight the rows a safety refusal names (`BL23: refused by ...`)."""
    for part in message.split(". "):
        for row in rows:
            if part.startswith(f"{row.code}:") or f" {row.code}:" in part:
                row.error = row.error or part.strip()


@login_required
@require_POST
def session_needles(request: AuthedRequest, session_id: uuid.UUID) -> HttpResponse:
    session = _session_or_404(request, session_id)
    rows, row_errors = rows_from_post(request.POST)
    settings_form = NeedleSettingsForm(request.POST)
    used = [r for r in rows if r.use and r.code]
    points_error = " ".join(row_errors)
    if not used and not points_error:
        points_error = "Tick the points you are needling, or add one by code or on the body chart."
    if settings_form.is_valid() and not points_error:
        d = settings_form.cleaned_data
        batch = NeedleBatch(
            points=tuple(r.as_needled() for r in used),
            gauge_mm=d["gauge"],
            length_mm=d["length_mm"],
            lot=d["lot"],
            ea_frequency_hz=d["ea_frequency_hz"],
            ea_intensity=d["ea_intensity"],
            ea_pairs=d["ea_pairs"],
        )
        try:
            session = session_insert_needles(actor=request.user, session=session, batch=batch)
        except ServiceError as exc:
            points_error = exc.errors.pop("points", "")
            add_service_errors(settings_form, exc)
            _mark_rows(rows, points_error)
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect("treatment:session_page", session_id=session.public_id)
        else:
            n = sum(r.count for r in used)
            messages.success(request, f"{n} needles in: the retention timer is running.")
            return redirect("treatment:session_page", session_id=session.public_id)
    return _render(request, session, rows=rows, settings_form=settings_form, points_error=points_error, status=422)


@login_required
@require_POST
def session_removal(request: AuthedRequest, session_id: uuid.UUID) -> HttpResponse:
    session = _session_or_404(request, session_id)
    form = RemovalForm(request.POST)
    if form.is_valid():
        try:
            session = session_remove_needles(actor=request.user, session=session, count=form.cleaned_data["count"])
        except ServiceError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect("treatment:session_page", session_id=session.public_id)
        else:
            if session.needles_in:
                messages.error(request, f"{session.needles_in} needle(s) still unaccounted for: search before closing.")
            else:
                messages.success(request, "Every needle is out and counted.")
            return redirect("treatment:session_page", session_id=session.public_id)
    return _render(request, session, removal_form=form, status=422)


@login_required
@require_POST
def session_close_view(request: AuthedRequest, session_id: uuid.UUID) -> HttpResponse:
    session = _session_or_404(request, session_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            session_close(
                actor=request.user,
                session=session,
                pain_after=d["pain_after"],
                contact_minutes=d["contact_minutes"],
                soap=SoapNote(d["subjective"], d["objective"], d["assessment"], d["plan_note"]),
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Session closed; every needle is accounted for.")
            return redirect(reverse("chart:patient_chart", kwargs={"patient_id": session.patient.public_id}))
    return _render(request, session, close_form=form, status=422)
