"""The re-assessment prompt (on the chart and, loaded by htmx, on the session page) and its form."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.core.errors import Conflict, NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.patients.access import access_patient_by_id
from acupath.patients.models import Patient
from acupath.patients.selectors import patient_audited_read
from acupath.reassessment.forms import ReassessmentForm
from acupath.reassessment.selectors import reassessment_state
from acupath.reassessment.services import reassessment_decide


def _patient(request: AuthedRequest, patient_id: uuid.UUID, capability: Capability) -> Patient:
    try:
        return access_patient_by_id(request.user, patient_id, capability)
    except NotFound:
        raise Http404("No such patient") from None


def _next(request: AuthedRequest, patient: Patient) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return f"/patients/{patient.public_id}/"


@login_required
def reassessment_prompt(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """GET: the prompt (a partial for htmx, else a page); POST: record the decision."""
    patient = _patient(
        request, patient_id, Capability.EDIT_CLINICAL if request.method == "POST" else Capability.VIEW_CLINICAL
    )
    state = reassessment_state(patient)
    form = ReassessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if state.plan is None:
            form.add_error(None, "There is no approved plan to re-assess: write the plan first.")
        else:
            try:
                reassessment_decide(
                    actor=request.user,
                    plan=state.plan,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Re-assessment decision recorded.")
                return redirect(_next(request, patient))
    if request.method == "GET":
        patient_audited_read(request.user, patient, entity="reassessment")
    context = {"patient": patient, "rs": state, "rform": form, "next": _next(request, patient), "nav": "patients"}
    template = "reassessment/_prompt.html" if request.htmx else "reassessment/page.html"
    return render(request, template, context)
