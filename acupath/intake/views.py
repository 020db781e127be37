import uuid

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
from acupath.intake.forms import ConsultationForm, RedFlagDecisionForm
from acupath.intake.models import Consultation
from acupath.intake.services import (
    ConsultationInput,
    History,
    Lifestyle,
    consultation_record,
    red_flag_decide,
)
from acupath.patients.access import access_patient_by_id
from acupath.patients.models import Patient


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
        history=History(
            pregnant=d["pregnant"],
            pregnancy_weeks=d["pregnancy_weeks"],
            anticoagulant=d["anticoagulant"],
            bleeding_disorder=d["bleeding_disorder"],
            pacemaker=d["pacemaker"],
            diabetes=d["diabetes"],
            needle_fear=d["needle_fear"],
            skin_lesion_sites=tuple(d["skin_lesion_sites"]),
            conditions=d["conditions"],
            surgeries=d["surgeries"],
            medications=d["medications"],
            allergies=d["allergies"],
        ),
        lifestyle=Lifestyle(
            work_posture=d["work_posture"],
            activity_level=d["activity_level"],
            sleep=d["sleep"],
            stress=d["stress"],
        ),
    )


@login_required
def consultation_new(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    patient = _patient(request, patient_id)
    initial = {"kind": "reassessment" if patient.consultations.exists() else "initial"}
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        practitioner = Practitioner.objects.filter(user=request.user).first()
        try:
            consultation = consultation_record(
                actor=request.user, patient=patient, practitioner=practitioner, data=_input(form)
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            if evaluate_red_flags(consultation.red_flags):
                messages.error(
                    request,
                    "Red flags were raised: planning is blocked until you record a decision.",
                )
            else:
                messages.success(request, "Consultation saved.")
            return redirect("chart:patient_chart", patient_id=patient.public_id)
    return render(
        request,
        "intake/consultation_form.html",
        {"form": form, "patient": patient, "nav": "patients"},
    )


@login_required
def red_flag_decision(request: AuthedRequest, patient_id: uuid.UUID, consultation_id: uuid.UUID) -> HttpResponse:
    patient = _patient(request, patient_id)
    consultation = Consultation.objects.filter(patient=patient, public_id=consultation_id).first()
    if consultation is None:
        raise Http404("No such consultation")
    alerts = evaluate_red_flags(consultation.red_flags)
    decided = {r.flag: r for r in consultation.red_flag_reviews.all()}
    form = RedFlagDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        flag = request.POST.get("flag", "")
        try:
            red_flag_decide(
                actor=request.user,
                consultation=consultation,
                flag=flag,
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
    return render(
        request,
        "intake/red_flags.html",
        {
            "patient": patient,
            "consultation": consultation,
            "alerts": alerts,
            "decided": decided,
            "form": form,
        },
    )
