"""Record a whole session after the fact (one form): start, needles in, all out, close."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.clinic.models import Practitioner
from acupath.core.errors import Conflict, NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.patients.access import access_patient_by_id
from acupath.planning.enums import PlanStatus
from acupath.planning.models import TreatmentPlan
from acupath.treatment.forms import SessionForm
from acupath.treatment.services import (
    NeedleBatch,
    NeedledPoint,
    session_close,
    session_insert_needles,
    session_remove_needles,
    session_start,
)


@login_required
def session_new(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """Record a whole session after the fact: start, needles in, all out, close, in one go."""
    try:
        patient = access_patient_by_id(request.user, patient_id, Capability.EDIT_CLINICAL)
    except NotFound:
        raise Http404("No such patient") from None
    plan = (
        TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED)
        .prefetch_related("points__point")
        .first()
    )
    plan_points = list(plan.points.all()) if plan else []
    practitioner = Practitioner.objects.filter(user=request.user).first()
    initial = {"retention_minutes": plan.retention_minutes} if plan else {}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        needled = form.needled([(pp.point_id, pp.side) for pp in plan_points])
        if practitioner is None:
            form.add_error(None, "Only a practitioner can record a session.")
        elif not needled:
            form.add_error(None, "Tick the points that were needled, or add them by code.")
        else:
            try:
                with transaction.atomic():
                    end = timezone.now()
                    start = end - dt.timedelta(minutes=d["retention_minutes"] + 10)
                    session = session_start(
                        actor=request.user,
                        patient=patient,
                        practitioner=practitioner,
                        room=d["room"],
                        pain_before=d["pain_before"],
                        plan=plan,
                        planned_minutes=d["retention_minutes"],
                        at=start,
                    )
                    session = session_insert_needles(
                        actor=request.user,
                        session=session,
                        batch=NeedleBatch(
                            points=tuple(NeedledPoint(code=c, side=s, count=n) for c, s, n in needled),
                            gauge_mm=d["gauge_mm"],
                            length_mm=d["length_mm"],
                            lot=d["lot"],
                        ),
                        at=start + dt.timedelta(minutes=5),
                    )
                    session_remove_needles(
                        actor=request.user,
                        session=session,
                        count=session.needles_inserted,
                        at=start + dt.timedelta(minutes=5 + d["retention_minutes"]),
                    )
                    session_close(
                        actor=request.user,
                        session=session,
                        pain_after=d["pain_after"],
                        contact_minutes=d["contact_minutes"],
                        note=d["note"],
                        at=end,
                    )
            except ServiceError as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Session recorded; every needle is accounted for.")
                return redirect("chart:patient_chart", patient_id=patient.public_id)
    ticked = (
        {k for k in form.data if k.startswith("use_")}
        if form.is_bound
        else {f"use_{pp.point_id}_{pp.side}" for pp in plan_points}
    )
    return render(
        request,
        "treatment/session_form.html",
        {
            "form": form,
            "patient": patient,
            "plan": plan,
            "plan_points": plan_points,
            "ticked": ticked,
            "nav": "patients",
        },
    )
