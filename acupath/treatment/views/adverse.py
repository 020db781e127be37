"""Adverse events: recorded on the session page, read and followed up on their own page, reported
clinic-wide for practitioners and the owner, and acknowledged by the owner when serious."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.core.models import AuditAction
from acupath.treatment.access import (
    access_adverse_event_by_id,
    access_alert_of_event,
    can_report_adverse_events,
    can_see_owner_alerts,
)
from acupath.treatment.forms import AdverseEventForm, AdverseFilterForm, AdverseFollowUpForm, AlertAcknowledgeForm
from acupath.treatment.models import AdverseEvent
from acupath.treatment.selectors import AdverseFilters, adverse_event_report
from acupath.treatment.services import (
    AdverseEventInput,
    FollowUpInput,
    adverse_alert_acknowledge,
    adverse_event_follow_up,
    adverse_event_record,
)
from acupath.treatment.views.session import _render, _session_or_404


@login_required
@require_POST
def adverse_event_new(request: AuthedRequest, session_id: uuid.UUID) -> HttpResponse:
    """Record an adverse event of this session (prefix "ae"), or a lost needle (prefix "lost")."""
    session = _session_or_404(request, session_id)
    prefix = "lost" if request.POST.get("form") == "lost" else "ae"
    form = AdverseEventForm(request.POST, prefix=prefix)
    if form.is_valid():
        d = form.cleaned_data
        try:
            event = adverse_event_record(
                actor=request.user,
                patient=session.patient,
                session=session,
                data=AdverseEventInput(
                    kind=d["kind"],
                    severity=d["severity"],
                    seriousness=frozenset(d["seriousness"]),
                    causality=d["causality"],
                    outcome=d["outcome"],
                    action_taken=d["action_taken"],
                    description=d["description"],
                    occurred_at=d["occurred_at"],
                    needles=d["needles"],
                ),
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Serious adverse event recorded; the clinic owner has been alerted."
                if event.is_serious
                else "Adverse event recorded.",
            )
            return redirect("treatment:session_page", session_id=session.public_id)
    if prefix == "lost":
        return _render(request, session, lost_form=form, status=422)
    return _render(request, session, adverse_form=form, status=422)


def _event_or_404(request: AuthedRequest, event_id: uuid.UUID, capability: Capability) -> AdverseEvent:
    try:
        return access_adverse_event_by_id(request.user, event_id, capability)
    except NotFound:
        raise Http404("No such adverse event") from None


def _event_page(
    request: AuthedRequest,
    event: AdverseEvent,
    *,
    follow_up_form: AdverseFollowUpForm | None = None,
    ack_form: AlertAcknowledgeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        entity="adverse_event",
        entity_id=event.public_id,
        patient_id=event.patient.public_id,
    )
    alert = getattr(event, "alert", None)
    initial = {"outcome": event.outcome, "causality": event.causality, "seriousness": event.seriousness}
    context = {
        "e": event,
        "alert": alert,
        "is_owner": can_see_owner_alerts(request.user),
        "can_edit": can_report_adverse_events(request.user),
        "follow_up_form": follow_up_form or AdverseFollowUpForm(initial=initial),
        "ack_form": ack_form or AlertAcknowledgeForm(),
        "nav": "board",
    }
    return render(request, "treatment/adverse_event.html", context, status=status)


@login_required
@require_GET
def adverse_event_page(request: AuthedRequest, event_id: uuid.UUID) -> HttpResponse:
    return _event_page(request, _event_or_404(request, event_id, Capability.VIEW_CLINICAL))


@login_required
@require_POST
def adverse_event_follow_up_view(request: AuthedRequest, event_id: uuid.UUID) -> HttpResponse:
    event = _event_or_404(request, event_id, Capability.EDIT_CLINICAL)
    form = AdverseFollowUpForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        data = FollowUpInput(
            outcome=d["outcome"], causality=d["causality"], seriousness=frozenset(d["seriousness"]), note=d["note"]
        )
        try:
            updated = adverse_event_follow_up(actor=request.user, event=event, data=data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            became_serious = updated.is_serious and not event.is_serious
            messages.success(
                request,
                "Follow-up recorded; the event is now serious and the clinic owner has been alerted."
                if became_serious
                else "Follow-up recorded.",
            )
            return redirect("treatment:adverse_event_page", event_id=event.public_id)
    return _event_page(request, event, follow_up_form=form, status=422)


@login_required
@require_POST
def adverse_alert_acknowledge_view(request: AuthedRequest, event_id: uuid.UUID) -> HttpResponse:
    """The owner acknowledges a serious event (from the home page's panel or the event page)."""
    event = _event_or_404(request, event_id, Capability.VIEW_CLINICAL)
    try:
        alert = access_alert_of_event(request.user, event)
    except NotFound:
        raise Http404("No such alert") from None
    form = AlertAcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            adverse_alert_acknowledge(actor=request.user, alert=alert, note=form.cleaned_data["note"])
        except ServiceError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect("treatment:adverse_event_page", event_id=event.public_id)
        else:
            messages.success(request, "Acknowledged. The event stays on the patient's record and in the report.")
            if request.POST.get("next") == "home":
                return redirect("home")
            return redirect("treatment:adverse_event_page", event_id=event.public_id)
    return _event_page(request, event, ack_form=form, status=422)


@login_required
@require_GET
def adverse_report(request: AuthedRequest) -> HttpResponse:
    if not can_report_adverse_events(request.user):
        raise Http404("No such page")
    form = AdverseFilterForm(request.GET or None)
    filters = AdverseFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = AdverseFilters(d["kind"], d["severity"], d["date_from"], d["date_to"])
    report = adverse_event_report(filters)
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        entity="adverse_event_report",
        summary=f"{len(report.events)} shown",
    )
    return render(request, "treatment/adverse_report.html", {"form": form, "report": report, "nav": "board"})
