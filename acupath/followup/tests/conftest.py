import datetime as dt

import pytest
from django.core.cache import caches
from django.utils import timezone

from acupath.clinic.models import AppointmentKind
from acupath.clinic.selectors import clinic_zone
from acupath.measures.models import Assessment
from acupath.planning.models import TreatmentPlan
from acupath.scheduling.enums import AppointmentStatus
from acupath.scheduling.models import Appointment, WorkingHours
from tests.factories import AppointmentTypeFactory, PatientFactory


@pytest.fixture(autouse=True)
def fresh_shared_cache():
    """The report cache and the refresh lock live in the shared (file) cache: start empty."""
    caches["shared"].clear()
    yield
    caches["shared"].clear()


@pytest.fixture
def treatment(clinic):
    return AppointmentTypeFactory(clinic=clinic, code="treatment", kind=AppointmentKind.TREATMENT, minutes=45)


@pytest.fixture
def doc(practitioner, room):
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=practitioner, weekday=d, start=dt.time(9), end=dt.time(17)) for d in range(7)
    )
    return practitioner


@pytest.fixture
def maintained(clinic, doc, treatment):
    """Make a patient whose plan's course is done, with visits and scores as asked.

    `visits`: attended treatment visits (the plan has `sessions` of them in its course), the last
    one `last_visit_days_ago` days ago; `nrs`/`odi`: scores in time order after the plan began.
    """

    def make(
        *,
        sessions=3,
        visits=None,
        last_visit_days_ago=7,
        nrs=(),
        odi=(),
        course=None,
        name="Maint",
        practitioner=None,
        plan_days_ago=200,
    ):
        now = timezone.now()
        patient = PatientFactory(clinic=clinic, family_name=name)
        TreatmentPlan.objects.create(
            patient=patient,
            approved_at=now - dt.timedelta(days=plan_days_ago),
            sessions=sessions,
            course={"maintenance_interval_weeks": [2, 4, 6]} if course is None else course,
        )
        count = sessions if visits is None else visits
        zone = clinic_zone()
        day = timezone.localdate(now, zone) - dt.timedelta(days=last_visit_days_ago)
        last = dt.datetime.combine(day, dt.time(10), tzinfo=zone)  # counted in the clinic's days
        Appointment.objects.bulk_create(
            Appointment(
                patient=patient,
                practitioner=practitioner or doc,
                type=treatment,
                start=last - dt.timedelta(days=3 * (count - 1 - i)),
                end=last - dt.timedelta(days=3 * (count - 1 - i)) + dt.timedelta(minutes=45),
                status=AppointmentStatus.ATTENDED,
            )
            for i in range(count)
        )
        for code, values in (("nrs", nrs), ("odi", odi)):
            for i, value in enumerate(values):
                Assessment.objects.create(
                    patient=patient,
                    instrument=code,
                    taken_at=now - dt.timedelta(days=100 - i),
                    answers={},
                    score=value,
                    scorable=True,
                )
        return patient

    return make
