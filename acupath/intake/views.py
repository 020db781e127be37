import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.clinic.models import Practitioner
from acupath.core.errors import NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.intake.domain.red_flags import evaluate_red_flags
from acupath.intake.forms import (
    ConsultationForm,
    RedFlagDecisionForm,
    consultation_initial,
    history_from,
    lifestyle_from,
)
from acupath.intake.models import Consultation
from acupath.intake.selectors import consultation_alerts, previsit_alerts, previsit_by_id, previsit_pending
from acupath.intake.services import (
    ConsultationInput,
    consultation_record,
    red_flag_decide,
)
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
    form = ConsultationForm(request.POST or None, initial=initial, patient_yes=patient_yes)
    if request.method == "POST" and form.is_valid():
        practitioner = Practitioner.objects.filter(user=request.user).first()
        try:
            consultation = consultation_record(
                actor=request.user,
                patient=patient,
                practitioner=practitioner,
                data=_input(form),
                previsit=previsit_by_id(patient, form.cleaned_data["previsit"]),
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            if alerts := evaluate_red_flags(consultation.red_flags):
                messages.error(
                    request,
                    f"Red flag: {alerts[0].action} Planning is blocked until you record a decision on each flag.",
                )
            else:
                messages.success(request, "Consultation saved.")
            return redirect("chart:patient_chart", patient_id=patient.public_id)
    return render(
        request,
        "intake/consultation_form.html",
        {"form": form, "patient": patient, "previsit": previsit, "nav": "patients"},
    )


@login_required
def red_flag_decision(request: AuthedRequest, patient_id: uuid.UUID, consultation_id: uuid.UUID) -> HttpResponse:
    patient = _patient(request, patient_id)
    consultation = Consultation.objects.filter(patient=patient, public_id=consultation_id).first()
    if consultation is None:
        raise Http404("No such consultation")
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
    # Only the flag that was posted shows its errors and what was typed; the others start empty.
    rows = [
        (view, form if view.alert.flag == posted_flag else RedFlagDecisionForm())
        for view in consultation_alerts(consultation)
    ]
    return render(
        request,
        "intake/red_flags.html",
        {
            "patient": patient,
            "consultation": consultation,
            "rows": rows,
            "open_count": sum(1 for view, _ in rows if view.review is None),
            "nav": "patients",
        },
    )
