"""Adverse events: recorded on the session page, reported clinic-wide for practitioners and owner."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from acupath.accounts.http import AuthedRequest
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, ServiceError
from acupath.core.forms import add_service_errors
from acupath.core.models import AuditAction
from acupath.treatment.access import can_report_adverse_events
from acupath.treatment.forms import AdverseEventForm, AdverseFilterForm
from acupath.treatment.selectors import AdverseFilters, adverse_event_report
from acupath.treatment.services import AdverseEventInput, adverse_event_record
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
            adverse_event_record(
                actor=request.user,
                patient=session.patient,
                session=session,
                data=AdverseEventInput(
                    kind=d["kind"],
                    severity=d["severity"],
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
            messages.success(request, "Adverse event recorded.")
            return redirect("treatment:session_page", session_id=session.public_id)
    if prefix == "lost":
        return _render(request, session, lost_form=form, status=422)
    return _render(request, session, adverse_form=form, status=422)


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
