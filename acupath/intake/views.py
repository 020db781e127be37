import uuid
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.clinic.models import Practitioner
from acupath.core.errors import NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.core.pdf import pdf_response
from acupath.intake.domain.red_flags import computed_flags, evaluate_red_flags
from acupath.intake.forms import (
    ConsultationForm,
    RedFlagDecisionForm,
    ReferralOutcomeForm,
    consultation_initial,
    history_from,
    lifestyle_from,
)
from acupath.intake.letters import referral_letter as referral_letter_pdf
from acupath.intake.models import Consultation, Referral
from acupath.intake.screening import red_flag_decide, referral_outcome_record
from acupath.intake.selectors import (
    episode_alerts,
    flag_title,
    previsit_alerts,
    previsit_by_id,
    previsit_pending,
    referral_findings,
    referral_read,
    referrals_of,
    treatment_gate,
)
from acupath.intake.services import ConsultationInput, consultation_record
from acupath.measures.baseline_forms import BaselineSet
from acupath.patients.access import access_patient_by_id
from acupath.patients.models import Patient
from acupath.patients.selectors import patient_audited_read


def _patient(request: AuthedRequest, patient_id: uuid.UUID) -> Patient:
    try:
        return access_patient_by_id(request.user, patient_id, Capability.EDIT_CLINICAL)
    except NotFound:
        raise Http404("No such patient") from None


def _input(form: ConsultationForm) -> ConsultationInput:
    d = form.cleaned_data
    return ConsultationInput(
        kind=d["kind"],
        causes=tuple(d["causes"]),
        onset_date=d["onset_date"],
        region=d["region"],
        leg_pain=d["leg_pain"],
        pain_now=d["pain_now"],
        pattern=d["pattern"],
        worse_with=d["worse_with"],
        better_with=d["better_with"],
        tongue=d["tongue"],
        pulse=d["pulse"],
        notes=d["notes"],
        red_flags=form.red_flag_answers(),
        red_flag_clarifications=form.red_flag_clarifications(),
        history=history_from(d),
        lifestyle=lifestyle_from(d),
    )


@login_required
def consultation_new(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    patient = _patient(request, patient_id)
    previsit = previsit_pending(patient)
    initial: dict[str, Any] = {"kind": "reassessment" if patient.consultations.exists() else "initial"}
    if previsit is not None:
        initial |= consultation_initial(previsit)
        patient_audited_read(request.user, patient, entity="previsit_answers")
    patient_yes = frozenset(a.flag for a in previsit_alerts(previsit))
    computed = computed_flags(patient.birth_date, timezone.localdate())
    form = ConsultationForm(request.POST or None, initial=initial, patient_yes=patient_yes, computed=computed)
    # The baseline questionnaires (measures' own forms) go with an initial consultation.
    kind = request.POST.get("kind") if request.method == "POST" else initial["kind"]
    baseline = BaselineSet(request.POST or None) if kind == "initial" else None
    baseline_ok = baseline is None or baseline.is_valid()
    if request.method == "POST" and form.is_valid() and baseline_ok:
        practitioner = Practitioner.objects.filter(user=request.user).first()
        data = _input(form)
        if baseline is not None:
            data = replace(data, baseline=baseline.answers())
        try:
            consultation = consultation_record(
                actor=request.user,
                patient=patient,
                practitioner=practitioner,
                data=data,
                previsit=previsit_by_id(patient, form.cleaned_data["previsit"]),
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            if alerts := evaluate_red_flags(consultation.red_flags):
                messages.error(
                    request,
                    f"Red flag: {alerts[0].action} Planning is stopped until you record a decision on each flag.",
                )
                return redirect(
                    "chart:red_flag_decision", patient_id=patient.public_id, consultation_id=consultation.public_id
                )
            messages.success(request, "Consultation saved.")
            return redirect("chart:patient_chart", patient_id=patient.public_id)
    return render(
        request,
        "intake/consultation_form.html",
        {"form": form, "patient": patient, "previsit": previsit, "baseline": baseline, "nav": "patients"},
    )


def _consultation(patient: Patient, consultation_id: uuid.UUID) -> Consultation:
    consultation = Consultation.objects.filter(patient=patient, public_id=consultation_id).first()
    if consultation is None:
        raise Http404("No such consultation")
    return consultation


def _screening_page(
    request: AuthedRequest,
    patient: Patient,
    consultation: Consultation,
    *,
    posted_flag: str = "",
    form: RedFlagDecisionForm | None = None,
    posted_referral: str = "",
    outcome_form: ReferralOutcomeForm | None = None,
) -> HttpResponse:
    # Only the flag or referral that was posted shows its errors and what was typed; the others start empty.
    rows = [
        (view, form if form is not None and view.alert.flag == posted_flag else RedFlagDecisionForm())
        for view in episode_alerts(consultation)
    ]
    referrals = [
        (
            r,
            outcome_form if outcome_form is not None and str(r.public_id) == posted_referral else ReferralOutcomeForm(),
            referral_findings(r),
        )
        for r in referrals_of(consultation)
    ]
    clarified = [(flag_title(code), text) for code, text in consultation.red_flag_clarifications.items()]
    return render(
        request,
        "intake/red_flags.html",
        {
            "patient": patient,
            "consultation": consultation,
            "rows": rows,
            "referrals": referrals,
            "clarified": clarified,
            "gate": treatment_gate(patient),
            "open_count": sum(1 for view, _ in rows if view.review is None),
            "nav": "patients",
        },
    )


@login_required
def red_flag_decision(request: AuthedRequest, patient_id: uuid.UUID, consultation_id: uuid.UUID) -> HttpResponse:
    """The consultation's red flags (all of the back problem's), their decisions, the referrals they
    made with their outcomes and letters, and whether planning is stopped."""
    patient = _patient(request, patient_id)
    consultation = _consultation(patient, consultation_id)
    patient_audited_read(request.user, patient, entity="consultation")
    posted_flag = request.POST.get("flag", "") if request.method == "POST" else ""
    form = RedFlagDecisionForm(request.POST or None)
    if posted_flag and form.is_valid():
        try:
            red_flag_decide(
                actor=request.user,
                consultation=consultation,
                flag=posted_flag,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Decision recorded.")
            return redirect(
                "chart:red_flag_decision",
                patient_id=patient.public_id,
                consultation_id=consultation_id,
            )
    return _screening_page(request, patient, consultation, posted_flag=posted_flag, form=form)


@login_required
def referral_outcome(request: AuthedRequest, patient_id: uuid.UUID, referral_id: uuid.UUID) -> HttpResponse:
    """Record what the medical assessment found (POST); the page is the consultation's red-flag page."""
    patient = _patient(request, patient_id)
    referral = Referral.objects.filter(patient=patient, public_id=referral_id).select_related("patient").first()
    if referral is None:
        raise Http404("No such referral")
    consultation = _consultation(patient, referral.consultation.public_id)
    form = ReferralOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            referral_outcome_record(
                actor=request.user,
                referral=referral,
                outcome=d["outcome"],
                assessed_by=d["assessed_by"],
                assessed_on=d["assessed_on"],
                note=d["note"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Referral outcome recorded.")
            return redirect(
                "chart:red_flag_decision", patient_id=patient.public_id, consultation_id=consultation.public_id
            )
    if request.method != "POST":
        return redirect("chart:red_flag_decision", patient_id=patient.public_id, consultation_id=consultation.public_id)
    patient_audited_read(request.user, patient, entity="consultation")
    return _screening_page(request, patient, consultation, posted_referral=str(referral.public_id), outcome_form=form)


@login_required
def referral_letter(request: AuthedRequest, patient_id: uuid.UUID, referral_id: uuid.UUID) -> HttpResponse:
    """The referral letter to the GP or the emergency department, to print (PDF)."""
    patient = _patient(request, patient_id)
    referral = (
        Referral.objects.filter(patient=patient, public_id=referral_id)
        .select_related("patient__clinic", "consultation__practitioner")
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    referral_read(request.user, referral)
    return pdf_response(referral_letter_pdf(referral), f"referral-{referral.created_at:%Y-%m-%d}.pdf")
