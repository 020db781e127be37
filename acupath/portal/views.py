import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from acupath.accounts.http import AuthedRequest
from acupath.accounts.models import Role
from acupath.clinic.models import Practitioner
from acupath.core.audit import audit_record
from acupath.core.models import AuditAction
from acupath.intake.selectors import annotate_red_flags, previsit_summary
from acupath.patients.selectors import patient_audited_read
from acupath.planning.enums import PlanStatus
from acupath.planning.models import TreatmentPlan
from acupath.portal.selectors import day_schedule, pain_charts, upcoming_for_patient
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.selectors.visits import annotate_visits
from acupath.treatment.access import can_see_owner_alerts
from acupath.treatment.consent import session_consent
from acupath.treatment.selectors_adverse import OwnerAlerts, owner_alerts_open


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    if request.user.role == Role.PATIENT:
        return _patient_home(request)
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    own = Practitioner.objects.filter(user=request.user).values_list("id", flat=True).first()
    mine_only = own is not None and request.GET.get("all") != "1"
    appointments = day_schedule(day, own if mine_only else None)
    annotate_red_flags(appointments)
    now = timezone.now()
    annotate_visits(appointments, now)
    return render(
        request,
        "portal/today.html",
        {
            "day": day,
            "today": timezone.localdate(),
            "now": now,
            "waiting": [a for a in appointments if a.status == AppointmentStatus.ARRIVED],
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "appointments": appointments,
            "mine_only": mine_only,
            "is_practitioner": own is not None,
            "alerts": _owner_alerts(request),
            "nav": "home",
        },
    )


def _owner_alerts(request: AuthedRequest) -> OwnerAlerts | None:
    """Serious adverse events the owner has not acknowledged (the panel on the owner's home page)."""
    if not can_see_owner_alerts(request.user):
        return None
    alerts = owner_alerts_open()
    if alerts.open:
        audit_record(
            actor=request.user,
            action=AuditAction.READ,
            entity="adverse_event_alerts",
            summary=f"{len(alerts.open)} open shown on home",
        )
    return alerts


def _patient_home(request: AuthedRequest) -> HttpResponse:
    patient = getattr(request.user, "patient", None)
    if patient is None:
        return render(request, "portal/patient_home.html", {"patient": None, "nav": "home"})
    patient_audited_read(request.user, patient, entity="portal_home")
    plan = TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).first()
    return render(
        request,
        "portal/patient_home.html",
        {
            "patient": patient,
            "upcoming": upcoming_for_patient(patient),
            "pain_charts": pain_charts(patient),
            "previsit": previsit_summary(patient),
            "consent": session_consent(patient),
            "advice": plan.advice if plan else [],
            "nav": "home",
        },
    )
