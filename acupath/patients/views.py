from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability, can
from acupath.clinic.selectors import clinic_current
from acupath.core.audit import audit_record
from acupath.core.errors import ServiceError
from acupath.core.forms import add_service_errors
from acupath.core.models import AuditAction
from acupath.patients.forms import PatientForm
from acupath.patients.selectors import patient_search
from acupath.patients.services import PatientDetails, patient_register


@login_required
def patient_list(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, Capability.EDIT_DEMOGRAPHICS):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()
    page = Paginator(patient_search(request.user, q), 25).get_page(request.GET.get("page"))
    audit_record(actor=request.user, action=AuditAction.READ, entity="patient_list", summary=f"{len(page)} shown")
    template = "patients/_results.html" if request.htmx else "patients/list.html"
    return render(request, template, {"page": page, "q": q, "nav": "patients"})


@login_required
def patient_new(request: AuthedRequest) -> HttpResponse:
    if not can(request.user, Capability.EDIT_DEMOGRAPHICS):
        raise PermissionDenied
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        clinic = clinic_current()
        try:
            if clinic is None:
                raise ServiceError("No clinic is set up yet.")
            patient = patient_register(actor=request.user, clinic=clinic, details=PatientDetails(**form.cleaned_data))
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{patient.full_name} is registered.")
            return redirect("chart:patient_chart", patient_id=patient.public_id)
    return render(request, "patients/new.html", {"form": form, "nav": "patients"})
