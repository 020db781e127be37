"""The patient's consent in the portal: read the clinic's text and sign before the visit, see what
was signed, and withdraw. Their own record only (the portal user's linked patient)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from acupath.accounts.http import AuthedRequest
from acupath.accounts.models import Role
from acupath.patients.access import access_patient_for_consent
from acupath.patients.consent_models import ConsentChannel
from acupath.patients.consent_views import sign_consent_form, signing_context
from acupath.patients.selectors import patient_audited_read
from acupath.treatment.consent import session_consent


@login_required
def portal_consent(request: AuthedRequest) -> HttpResponse:
    own = getattr(request.user, "patient", None)
    if request.user.role != Role.PATIENT or own is None:
        raise Http404("No such page")
    patient = access_patient_for_consent(request.user, own.public_id)
    if request.method == "GET":
        patient_audited_read(request.user, patient, entity="consent_form", via="portal")
    form, text, consent = sign_consent_form(request, patient, ConsentChannel.PORTAL)
    if consent is not None:
        messages.success(request, "Thank you: your consent is signed. Your practitioner will see it at your visit.")
        return redirect("portal_consent")
    status = session_consent(patient)
    context = signing_context(form, text, patient) | {"status": status, "nav": "consent"}
    return render(request, "portal/consent.html", context, status=422 if form.errors else 200)
