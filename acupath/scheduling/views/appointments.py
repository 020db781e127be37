import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from acupath.accounts.http import AuthedRequest
from acupath.accounts.permissions import Capability
from acupath.clinic.models import Practitioner
from acupath.core.errors import Conflict, NotFound, ServiceError
from acupath.core.forms import add_service_errors
from acupath.patients.access import access_patient_by_id
from acupath.planning.enums import PlanStatus
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.forms import AppointmentForm
from acupath.scheduling.selectors import booking_warnings
from acupath.scheduling.services import appointment_book
from acupath.scheduling.services.appointments import RuleConflict


@login_required
def appointment_new(request: AuthedRequest, patient_id: uuid.UUID) -> HttpResponse:
    try:
        patient = access_patient_by_id(request.user, patient_id, Capability.BOOK_APPOINTMENTS)
    except NotFound:
        raise Http404("No such patient") from None
    own = Practitioner.objects.filter(user=request.user).first()
    form = AppointmentForm(request.POST or None, initial={"practitioner": own})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            booked = appointment_book(
                actor=request.user,
                patient=patient,
                practitioner=d["practitioner"],
                type=d["type"],
                start=form.start(),
                room=d["room"],
                plan=TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).first(),
                note=d["note"],
                within_hours=True,
                override_reason=d["override_reason"],
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
        except RuleConflict as exc:
            form.add_error("override_reason", str(exc))
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Appointment booked.")
            for warning in booking_warnings(patient, booked.type.kind):
                messages.warning(request, warning)
            return redirect("chart:patient_chart", patient_id=patient.public_id)
    return render(request, "scheduling/appointment_form.html", {"form": form, "patient": patient, "nav": "patients"})
