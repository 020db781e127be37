from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from acupath.clinic.models import Clinic, Practitioner, Room
from acupath.demo.clinic import DEMO_LOGINS, DEMO_PASSWORD
from acupath.patients.models import Patient
from acupath.planning.models import PlanPoint
from acupath.treatment.models import AdverseEvent, AdverseEventAlert, TreatmentSession

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_clinic_once_and_the_logins_work():
    call_command("demo", no_serve=True)
    counts = (Patient.objects.count(), TreatmentSession.objects.count())
    call_command("demo", no_serve=True)
    assert (Patient.objects.count(), TreatmentSession.objects.count()) == counts

    clinic = Clinic.objects.get()
    assert (clinic.name, clinic.timezone) == ("Jayanth Acupuncture Clinic", "Asia/Kolkata")
    assert Practitioner.objects.count() == 3
    assert Room.objects.count() == 4
    assert counts[0] == 200
    assert counts[1] > 1000  # a year of courses and maintenance visits
    for login in DEMO_LOGINS:
        assert authenticate(RequestFactory().post("/"), username=login, password=DEMO_PASSWORD) is not None, login
    assert Patient.objects.get(user__username="patient").treatment_sessions.exists()
    # Every prescribed point is a real point of the knowledge base.
    assert not PlanPoint.objects.filter(point__active=False).exists()
    # Adverse events at about the surveys' rate (Witt 2009: 8.6% of patients), mostly bleeding.
    with_event = AdverseEvent.objects.values("patient").distinct().count()
    assert 0.04 * counts[0] <= with_event <= 0.14 * counts[0]
    kinds = Counter(AdverseEvent.objects.values_list("kind", flat=True))
    assert kinds.most_common(1)[0][0] == "bleeding_haematoma"
    assert AdverseEvent.objects.filter(is_serious=True).count() == AdverseEventAlert.objects.count()


def test_a_large_network_has_real_looking_distinct_practitioners():
    from acupath.demo.clinic import practitioner_name

    names = [practitioner_name(n) for n in range(2000)]
    assert len({login for login, _, _ in names}) == 2000
    assert not any(ch.isdigit() for _, first, last in names for ch in first + last)  # no "Practitioner 107"
