import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.chart.selectors import age_of, patient_chart
from acupath.core.errors import NotFound
from acupath.patients.access import access_patient_by_id
from acupath.reassessment.forms import ReassessmentForm
from acupath.reassessment.selectors import reassessment_state


@login_required
def patient_chart_view(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    try:
        patient = access_patient_by_id(request.user, patient_id, Capability.VIEW_DEMOGRAPHICS)
    except NotFound:
        raise Http404("No such patient") from None
    chart = patient_chart(request.user, patient)
    context = {"c": chart, "age": age_of(patient), "nav": "patients"}
    if chart.clinical:
        context |= {"rs": reassessment_state(patient), "rform": ReassessmentForm(), "next": request.path}
    return render(request, "chart/patient.html", context)
