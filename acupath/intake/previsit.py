"""The patient's pre-visit questionnaire in the portal (/my/before-your-visit/).

The patient tells us about their back, their health and lifestyle, and answers the red-flag
questions before the visit. A yes to a cauda equina question tells them at once to seek help
today; every yes is pre-marked on the practitioner's consultation form.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from acupath.accounts.http import AuthedRequest
from acupath.core.errors import NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.intake.access import access_own_patient_record
from acupath.intake.forms import PrevisitForm, previsit_initial
from acupath.intake.selectors import previsit_pending, previsit_summary
from acupath.intake.services import previsit_submit
from acupath.patients.models import Patient
from acupath.patients.selectors import patient_audited_read


def _own(request: AuthedRequest) -> Patient:
    try:
        return access_own_patient_record(request.user)
    except NotFound:
        raise Http404("The pre-visit questionnaire is for patients signed in to their own record.") from None


@login_required
def previsit_form(request: AuthedRequest) -> HttpResponse:
    patient = _own(request)
    pending = previsit_pending(patient)
    if pending is not None:
        patient_audited_read(request.user, patient, entity="previsit_answers")
    form = PrevisitForm(request.POST or None, initial=previsit_initial(pending) if pending else None)
    if request.method == "POST" and form.is_valid():
        try:
            previsit_submit(actor=request.user, patient=patient, data=form.to_input())
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("previsit:done")
    return render(
        request,
        "intake/previsit_form.html",
        {"form": form, "patient": patient, "pending": pending, "nav": "home"},
    )


@login_required
def previsit_done(request: AuthedRequest) -> HttpResponse:
    patient = _own(request)
    summary = previsit_summary(patient)
    if summary.pending is None:
        return redirect("previsit:form")
    patient_audited_read(request.user, patient, entity="previsit_answers")
    return render(request, "intake/previsit_done.html", {"patient": patient, "s": summary, "nav": "home"})
