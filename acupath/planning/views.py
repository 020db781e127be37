import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.core.errors import Conflict, NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.intake.selectors import consultation_latest, red_flags_open
from acupath.knowledge.models import Acupoint
from acupath.patients.access import access_patient_by_id
from acupath.planning.enums import PlanStatus, PointRole, Side
from acupath.planning.forms import PlanForm
from acupath.planning.models import TreatmentPlan
from acupath.planning.services import PlanInput, PlanPointInput, plan_save


def _role(tags: list[str]) -> str:
    if any(t.startswith("local") for t in tags):
        return PointRole.LOCAL
    if any(t.startswith("distal") for t in tags):
        return PointRole.DISTAL
    if "calming" in tags:
        return PointRole.CALMING
    return PointRole.PATTERN


@login_required
def plan_new(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    try:
        patient = access_patient_by_id(request.user, patient_id, Capability.EDIT_CLINICAL)
    except NotFound:
        raise Http404("No such patient") from None
    consultation = consultation_latest(patient)
    blocked = red_flags_open(consultation)
    # The reference list: every point the knowledge base tags for back-pain care.
    reference = list(Acupoint.objects.filter(active=True).exclude(tags=[]).order_by("position"))
    current = TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).first()
    chosen = {pp.point_id: pp.side for pp in current.points.all()} if current else {}
    initial: dict[str, Any] = {"points": list(chosen)}
    if current:
        initial |= {
            "retention_minutes": current.retention_minutes,
            "sessions": current.sessions,
            "per_week": current.per_week,
            "electroacupuncture": current.electroacupuncture,
            "notes": current.notes,
        }
    form = PlanForm(
        request.POST or None,
        initial=initial,
        point_choices=[(p.code, f"{p.code} {p.pinyin}") for p in reference],
    )
    if request.method == "POST" and form.is_valid() and not blocked:
        d = form.cleaned_data
        by_code = {p.code: p for p in reference}
        picked = [
            PlanPointInput(
                code=c, side=form.side_for(c), role=_role(by_code[c].tags) if c in by_code else PointRole.LOCAL
            )
            for c in d["points"]
        ]
        picked += [PlanPointInput(code=c.strip(), side=Side.BOTH) for c in d["extra_codes"].split(",") if c.strip()]
        try:
            plan_save(
                actor=request.user,
                patient=patient,
                consultation=consultation,
                data=PlanInput(
                    points=tuple(picked),
                    retention_minutes=d["retention_minutes"],
                    electroacupuncture=d["electroacupuncture"],
                    sessions=d["sessions"],
                    per_week=d["per_week"],
                    notes=d["notes"],
                ),
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Plan saved and approved.")
            return redirect("chart:patient_chart", patient_id=patient.public_id)
    sides = {c: form.data.get(f"side_{c}", chosen.get(c, Side.BOTH)) for c in (p.code for p in reference)}
    rows = [(p, sides[p.code]) for p in reference]
    return render(
        request,
        "planning/plan_form.html",
        {
            "form": form,
            "patient": patient,
            "rows": rows,
            "side_choices": Side.choices,
            "blocked": blocked,
            "current": current,
            "consultation": consultation,
            "nav": "patients",
        },
    )
