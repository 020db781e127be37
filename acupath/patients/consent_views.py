"""Consent pages: the patient signs on the clinic's tablet; staff see and withdraw; the owner words
the text. The portal's own page (the patient signing before the visit) reuses the same form."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from acupath.accounts.http import AuthedRequest
from acupath.clinic.selectors import clinic_current
from acupath.core.errors import Conflict, NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.patients.access import access_consent_by_id, access_patient_for_consent, may_edit_consent_text
from acupath.patients.consent_forms import ConsentSignForm, ConsentTextForm, ConsentWithdrawForm
from acupath.patients.consent_models import Consent, ConsentChannel, ConsentKind, ConsentText
from acupath.patients.consent_selectors import consent_audited_read
from acupath.patients.consent_services import (
    ConsentSigning,
    ConsentWording,
    consent_record,
    consent_text_current,
    consent_text_revise,
    consent_withdraw,
)
from acupath.patients.domain.consent import text_blocks
from acupath.patients.models import Patient
from acupath.patients.selectors import patient_audited_read


def sign_consent_form(
    request: AuthedRequest, patient: Patient, channel: ConsentChannel
) -> tuple[ConsentSignForm, ConsentText, Consent | None]:
    """The signing form, bound on POST; on a valid POST the consent is recorded and returned."""
    text = consent_text_current(clinic=patient.clinic, kind=ConsentKind.ACUPUNCTURE)
    form = ConsentSignForm(request.POST or None, initial={"signed_by": patient.full_name, "text_version": text.version})
    if request.method != "POST" or not form.is_valid():
        return form, text, None
    d = form.cleaned_data
    try:
        consent = consent_record(
            actor=request.user,
            patient=patient,
            signing=ConsentSigning(
                kind=ConsentKind.ACUPUNCTURE,
                signed_by=d["signed_by"],
                signature=form.signature_value(),
                channel=channel,
                text_version=d["text_version"],
            ),
        )
    except ServiceError as exc:
        add_service_errors(form, exc)
    except Conflict as exc:
        form.add_error(None, str(exc))
    else:
        return form, text, consent
    return form, text, None


def signing_context(form: ConsentSignForm, text: ConsentText, patient: Patient) -> dict[str, Any]:
    return {
        "form": form,
        "text": text,
        "blocks": text_blocks(text.body),
        "patient": patient,
        "today": timezone.localdate(),
    }


def _patient_or_404(request: AuthedRequest, patient_id: uuid.UUID) -> Patient:
    try:
        return access_patient_for_consent(request.user, patient_id)
    except NotFound:
        raise Http404("No such patient") from None


@login_required
def consent_sign(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """The tablet page: the text, the patient's name, today's date and a signature."""
    patient = _patient_or_404(request, patient_id)
    if request.method == "GET":
        patient_audited_read(request.user, patient, entity="consent_form")
    form, text, consent = sign_consent_form(request, patient, ConsentChannel.CLINIC)
    if consent is not None:
        messages.success(request, "Thank you: the consent is signed. Please hand the tablet back.")
        return redirect("chart:consent_detail", patient_id=patient.public_id, consent_id=consent.public_id)
    context = signing_context(form, text, patient) | {
        "nav": "patients",
        "may_edit": may_edit_consent_text(request.user),
    }
    return render(request, "patients/consent_sign.html", context, status=422 if form.errors else 200)


@login_required
def consent_detail(request: AuthedRequest, patient_id: uuid.UUID, consent_id: uuid.UUID) -> HttpResponse:
    """A signed consent as the patient signed it, with its withdrawal (or the form to record one)."""
    try:
        consent = access_consent_by_id(request.user, patient_id, consent_id)
    except NotFound:
        raise Http404("No such consent") from None
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consent_withdraw(actor=request.user, consent=consent, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "The withdrawal is recorded: no further acupuncture until the patient signs again."
            )
            return redirect("chart:consent_detail", patient_id=consent.patient.public_id, consent_id=consent.public_id)
    consent_audited_read(request.user, consent)
    return render(
        request,
        "patients/consent_detail.html",
        {
            "consent": consent,
            "patient": consent.patient,
            "blocks": text_blocks(consent.text.body),
            "form": form,
            "nav": "patients",
        },
        status=422 if form.errors else 200,
    )


@login_required
def consent_text_edit(request: AuthedRequest, kind: str) -> HttpResponse:
    """The owner's page: the current wording, a new version on save, and every earlier version."""
    clinic = clinic_current()
    if not may_edit_consent_text(request.user) or kind not in ConsentKind.values or clinic is None:
        raise Http404("No such page")
    current = consent_text_current(clinic=clinic, kind=kind)
    initial = {"title": current.title, "body": current.body, "statement": current.statement}
    form = ConsentTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            text = consent_text_revise(
                actor=request.user, clinic=clinic, kind=kind, wording=ConsentWording(**form.cleaned_data)
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Version {text.version} saved: patients sign it from now on.")
            return redirect("chart:consent_text_edit", kind=kind)
    versions = list(
        ConsentText.objects.filter(clinic=clinic, kind=kind)
        .select_related("created_by")
        .defer("body")
        .order_by("-version")
    )
    return render(
        request,
        "patients/consent_text_edit.html",
        {"form": form, "current": current, "versions": versions, "kind": ConsentKind(kind), "nav": "patients"},
        status=422 if form.errors else 200,
    )
