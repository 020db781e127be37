"""The plan page: draft from the consultation, edit on the body chart or by code, approve."""

import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import reswap, retarget

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.core.errors import Conflict, NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.knowledge.selectors import body_chart
from acupath.patients.access import access_patient_by_id
from acupath.patients.models import Patient
from acupath.planning.enums import NeedleAngle, Side
from acupath.planning.forms import (
    PlanForm,
    PointRow,
    draft_cautions,
    editor_start,
    excluded_groups,
    initial_values,
    mark_rows,
    rows_from_points,
    rows_from_post,
)
from acupath.planning.selectors import (
    LEVEL_CHOICES,
    NEEDLING_LEVELS,
    PlanWorkspace,
    advice_catalogue,
    course_summary,
    draft_payload,
    plan_payload,
    plan_workspace,
    point_by_code,
    point_check,
)
from acupath.planning.services import PlanRefused, plan_save


def _patient(request: AuthedRequest, patient_id: uuid.UUID) -> Patient:
    try:
        return access_patient_by_id(request.user, patient_id, Capability.EDIT_CLINICAL)
    except NotFound:
        raise Http404("No such patient") from None


@login_required
def plan_new(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    patient = _patient(request, patient_id)
    if request.htmx and "add_code" in request.GET:
        return _added_row(request, patient)
    ws = plan_workspace(patient, actor=request.user if request.method == "GET" else None)
    drafted = draft_payload(ws.draft) if ws.draft else None
    current = ws.current
    advice_choices = [(code, item["title"]) for code, item in advice_catalogue().items()]
    row_errors: dict[str, str] = {}
    need_reason: frozenset[str] = frozenset()
    start: Mapping[str, Any] | None
    if request.method == "POST":
        form = PlanForm(request.POST, advice_choices=advice_choices)
        rows = rows_from_post(request.POST)
        bad_depths = [row.depth_error for row in rows if row.depth_error]
        if bad_depths:
            form.add_error(None, " ".join(bad_depths))
        if form.is_valid() and not ws.stopped and not bad_depths:
            try:
                plan_save(
                    actor=request.user,
                    patient=patient,
                    consultation=ws.consultation,
                    data=form.plan_input(rows),
                )
            except PlanRefused as exc:
                add_service_errors(form, exc)
                row_errors, need_reason = exc.by_point, exc.need_reason
            except ServiceError as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Plan saved and approved.")
                return redirect("chart:patient_chart", patient_id=patient.public_id)
        source, start = "posted", drafted
    else:
        source, start = editor_start(
            drafted, plan_payload(current) if current else None, bool(request.GET.get("draft"))
        )
        rows = rows_from_points(start["points"]) if start else []
        form = PlanForm(initial=initial_values(start or drafted), advice_choices=advice_choices)
    cautions = draft_cautions(drafted)
    mark_rows(rows, cautions, row_errors, need_reason)
    return render(
        request,
        "planning/plan_form.html",
        {
            "patient": patient,
            "ws": ws,
            "form": form,
            "rows": rows,
            "source": source,
            "drafted": drafted,
            "course": course_summary((start or {}).get("course") or {}),
            "stratified": (drafted or {}).get("stratified_care"),
            "excluded": excluded_groups(drafted),
            "side_choices": Side.choices,
            "angle_choices": NeedleAngle.choices,
            "levels": LEVEL_CHOICES,
            "body_chart": body_chart("posterior"),
            "nav": "patients",
        },
    )


def _added_row(request: AuthedRequest, patient: Patient) -> HttpResponse:
    """One new point row for the editor, or the reason it cannot be added (shown by the box)."""
    raw = request.GET.get("add_code", "").strip()
    side = request.GET.get("add_side", Side.BOTH)
    level = request.GET.get("add_level", "")
    level = level if level in NEEDLING_LEVELS else ""
    try:
        point = point_by_code(raw)
    except ServiceError as exc:
        response = render(request, "planning/_add_error.html", {"message": exc.errors.get("add_code", str(exc))})
        return reswap(retarget(response, "#add-error"), "innerHTML")
    side = side if side in Side.values else Side.BOTH
    row = PointRow.added(point, side, level, point_check(patient, point.code, level))
    return render(
        request,
        "planning/_point_row.html",
        {
            "row": row,
            "side_choices": Side.choices,
            "angle_choices": NeedleAngle.choices,
            "levels": LEVEL_CHOICES,
            "added": True,
        },
    )


__all__ = ["PlanWorkspace", "plan_new"]
