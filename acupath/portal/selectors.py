import datetime as dt
from typing import Any

from django.utils import timezone

from acupath.clinic.selectors import clinic_zone
from acupath.measures.selectors import OutcomeChart, outcome_charts
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment
from acupath.treatment.models import TreatmentSession


def day_schedule(day: dt.date, practitioner_id: int | None = None) -> list[Appointment]:
    """Appointments of one clinic day (in the clinic's zone), optionally for one practitioner."""
    zone = clinic_zone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    qs = (
        Appointment.objects.filter(start__gte=start, start__lt=start + dt.timedelta(days=1))
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("patient", "practitioner", "room", "type", "session__room")
        .only(
            "public_id",
            "start",
            "end",
            "status",
            "arrived_at",
            "departed_at",
            "departure_note",
            "session__public_id",
            "session__room__name",
            "practitioner__location_id",
            "practitioner__clinic_id",
            "patient__public_id",
            "patient__given_name",
            "patient__family_name",
            "practitioner__display_name",
            "room__name",
            "type__name",
        )
        .order_by("start", "id")
    )
    if practitioner_id is not None:
        qs = qs.filter(practitioner_id=practitioner_id)
    return list(qs)


def upcoming_for_patient(patient: Any, limit: int = 10) -> list[Appointment]:
    return list(
        Appointment.objects.filter(patient=patient, start__gte=timezone.now())
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("practitioner", "type", "room")
        .order_by("start")[:limit]
    )


def pain_charts(patient: Any) -> list[OutcomeChart]:
    """The patient's own pain chart (NRS over time, sessions marked), for their home page."""
    sessions = TreatmentSession.objects.filter(patient=patient).values_list("checked_in_at", flat=True)
    return [c for c in outcome_charts(patient, sessions) if c.code == "nrs"]
