"""Pages: a patient's outcome measures (charts and every result), and recording an assessment."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from acupath.accounts.http import AuthedRequest
from acupath.core.errors import Forbidden, NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.measures.access import access_patient_clinical_read, access_patient_clinical_write
from acupath.measures.domain.instruments import InstrumentCode, UnknownInstrumentError, instrument
from acupath.measures.forms import AssessmentForm
from acupath.measures.selectors import (
    AssessmentRow,
    assessment_row,
    assessments_read,
    instrument_texts,
    outcome_charts_from_rows,
    previous_activities,
)
from acupath.measures.services import assessment_record
from acupath.patients.models import Patient
from acupath.patients.selectors import patient_audited_read

INSTRUMENT_TABS = [
    (InstrumentCode.NRS.value, "Pain (NRS)"),
    (InstrumentCode.ODI.value, "Oswestry (ODI)"),
    (InstrumentCode.RMDQ.value, "Roland-Morris (RMDQ)"),
    (InstrumentCode.STARTBACK.value, "STarT Back"),
    (InstrumentCode.PSFS.value, "Activities (PSFS)"),
]


def _readable(request: AuthedRequest, patient_id: uuid.UUID) -> Patient:
    try:
        return access_patient_clinical_read(request.user, patient_id)
    except NotFound:
        raise Http404("No such patient") from None


def _writable(request: AuthedRequest, patient_id: uuid.UUID) -> Patient:
    try:
        return access_patient_clinical_write(request.user, patient_id)
    except (NotFound, Forbidden):
        raise Http404("No such patient") from None


@login_required
def assessment_list(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    patient = _readable(request, patient_id)
    rows = assessments_read(request.user, patient)
    return render(
        request,
        "measures/assessments.html",
        {
            "patient": patient,
            "charts": outcome_charts_from_rows(rows),
            "tabs": INSTRUMENT_TABS,
            "nav": "patients",
        },
    )


def _change_message(row: AssessmentRow) -> str:
    text = f"{row.spec.short_name} recorded: {row.score_text}"
    if row.band_text:
        text += f" ({row.band_text})"
    change = row.change
    if row.is_baseline:
        return text + ". This is the baseline later results are compared with."
    if change is not None and change.mcid_met is not None:
        verdict = "an important improvement" if change.mcid_met else "not yet an important improvement"
        text += f"; {change.from_baseline:+g} from baseline, {verdict}"
        if change.responder:
            text += " (responder)"
    return text + "."


@login_required
def assessment_new(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    patient = _writable(request, patient_id)
    code = request.GET.get("instrument") or request.POST.get("instrument") or InstrumentCode.NRS.value
    try:
        spec = instrument(code)
    except UnknownInstrumentError:
        raise Http404("No such instrument") from None
    activities: list[str] = []
    if spec.code == InstrumentCode.PSFS:
        # A follow-up rates the same activities: reading them is a read of the last PSFS.
        activities = previous_activities(patient)
        patient_audited_read(request.user, patient, entity="assessment")
    form = AssessmentForm(request.POST or None, spec=spec, texts=instrument_texts(spec.code), activities=activities)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = assessment_record(
                actor=request.user,
                patient=patient,
                instrument=spec.code,
                answers=form.answers(),
                taken_at=form.cleaned_data["taken_at"],
                context="clinic",
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _change_message(assessment_row(assessment)))
            return redirect("measures:assessment_list", patient_id=patient.public_id)
    return render(
        request,
        "measures/assessment_form.html",
        {"patient": patient, "form": form, "spec": spec, "tabs": INSTRUMENT_TABS, "nav": "patients"},
    )
