import uuid

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability, can
from acupath.clinic.selectors import clinic_current
from acupath.core.audit import audit_record
from acupath.core.errors import Conflict, NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.core.models import AuditAction
from acupath.patients.access import access_merge_by_id, access_patient_by_id
from acupath.patients.enums import DuplicatePolicy, PatientStatus
from acupath.patients.forms import MergeForm, PatientForm, PatientRegisterForm, initial_of
from acupath.patients.models import Patient, PatientMerge
from acupath.patients.selectors import patient_audited_read, patient_duplicates, patient_search
from acupath.patients.services import (
    DuplicateFound,
    PatientDetails,
    linked_relations,
    patient_merge,
    patient_merge_reverse,
    patient_register,
    patient_update,
)


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
    """Register a patient; likely duplicates are shown first, and registering anyway is a choice."""
    if not can(request.user, Capability.EDIT_DEMOGRAPHICS):
        raise PermissionDenied
    form = PatientRegisterForm(request.POST or None)
    candidates = []
    if request.method == "POST" and form.is_valid():
        clinic = clinic_current()
        policy = DuplicatePolicy.CONFIRMED_NEW if form.cleaned_data["confirm_new"] else DuplicatePolicy.REFUSE
        try:
            if clinic is None:
                raise ServiceError("No clinic is set up yet.")
            patient = patient_register(actor=request.user, clinic=clinic, details=form.details(), duplicates=policy)
        except DuplicateFound as found:
            candidates = found.candidates
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{patient.full_name} is registered.")
            return redirect("chart:patient_chart", patient_id=patient.public_id)
    context = {"form": form, "candidates": candidates, "nav": "patients"}
    return render(request, "patients/new.html", context)


def _patient(request: AuthedRequest, patient_id: uuid.UUID, capability: Capability) -> Patient:
    try:
        return access_patient_by_id(request.user, patient_id, capability)
    except NotFound:
        raise Http404("No such patient") from None


@login_required
def patient_edit(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    patient = _patient(request, patient_id, Capability.EDIT_DEMOGRAPHICS)
    if patient.status == PatientStatus.MERGED:
        messages.error(request, "This record was merged into another one: change the details there.")
        return redirect("chart:patient_chart", patient_id=patient.public_id)
    form = PatientForm(request.POST or None, initial=initial_of(PatientDetails.of(patient)))
    if request.method == "POST" and form.is_valid():
        try:
            patient_update(actor=request.user, patient=patient, details=form.details())
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{patient.full_name}'s details are saved.")
            return redirect("chart:patient_chart", patient_id=patient.public_id)
    else:
        patient_audited_read(request.user, patient, entity="patient_details")
    return render(request, "patients/edit.html", {"form": form, "patient": patient, "nav": "patients"})


def _linked_counts(patient: Patient) -> list[tuple[str, int]]:
    """How many records of each kind hang on `patient` (what a merge would move)."""
    counts = []
    for field in linked_relations():
        n = field.model._base_manager.filter(**{field.name: patient}).count()
        if n:
            counts.append((str(field.model._meta.verbose_name_plural), n))
    return counts


@login_required
def patient_merge_view(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    """The owner merges a likely duplicate into this record (which survives)."""
    survivor = _patient(request, patient_id, Capability.MERGE_PATIENTS)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            merged = access_patient_by_id(request.user, form.cleaned_data["merged"], Capability.MERGE_PATIENTS)
            merge = patient_merge(
                actor=request.user, survivor=survivor, merged=merged, reason=form.cleaned_data["reason"]
            )
        except NotFound:
            raise Http404("No such patient") from None
        except (Conflict, ServiceError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"{merged.full_name}'s record is merged into this one: {merge.moved_count} records moved."
            )
            return redirect("chart:patient_chart", patient_id=survivor.public_id)
    candidates = patient_duplicates(survivor.clinic, PatientDetails.of(survivor), exclude=survivor)
    rows = [(c, _linked_counts(c.patient)) for c in candidates]
    patient_audited_read(request.user, survivor, entity="patient_duplicates")
    context = {"survivor": survivor, "rows": rows, "form": form, "nav": "patients"}
    return render(request, "patients/merge.html", context)


@login_required
def merge_detail(request: AuthedRequest, merge_id: uuid.UUID) -> HttpResponse:
    try:
        merge = access_merge_by_id(request.user, merge_id)
    except NotFound:
        raise Http404("No such merge") from None
    moved = [
        (str(apps.get_model(label.rsplit(".", 1)[0])._meta.verbose_name_plural), len(pks))
        for label, pks in merge.moved.items()
    ]
    audit_record(
        actor=request.user,
        action=AuditAction.READ,
        entity="patient_merge",
        entity_id=merge.public_id,
        patient_id=merge.survivor.public_id,
    )
    return render(request, "patients/merge_detail.html", {"merge": merge, "moved": moved, "nav": "patients"})


@login_required
@require_POST
def merge_reverse(request: AuthedRequest, merge_id: uuid.UUID) -> HttpResponse:
    try:
        merge: PatientMerge = access_merge_by_id(request.user, merge_id)
        patient_merge_reverse(actor=request.user, merge=merge)
    except NotFound:
        raise Http404("No such merge") from None
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect("chart:merge_detail", merge_id=merge_id)
    messages.success(request, f"The merge is reversed: {merge.merged.full_name}'s record is back as it was.")
    return redirect("chart:patient_chart", patient_id=merge.merged.public_id)
