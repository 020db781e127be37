"""Fixtures for the treatment tests: a consulted patient with an approved plan, and a session."""

from decimal import Decimal

import pytest
from django.utils import timezone

from acupath.planning.enums import PlanStatus
from acupath.planning.models import PlanPoint, TreatmentPlan
from acupath.treatment.services import NeedleBatch, NeedledPoint, session_insert_needles, session_start
from tests.consents import sign_consent
from tests.consultations import consult


@pytest.fixture
def consulted(reference, patient, practitioner):
    consult(practitioner, patient)
    sign_consent(patient)
    return patient


PLANNED_DEPTH_MM = {"GV3": 15, "GV4": 15}


def make_plan(patient, points, electroacupuncture=False, retention_minutes=25, version=1):
    """An approved plan written straight to the tables (planning's own services are tested there)."""
    TreatmentPlan.objects.filter(patient=patient, status=PlanStatus.APPROVED).update(status=PlanStatus.SUPERSEDED)
    plan = TreatmentPlan.objects.create(
        patient=patient,
        version=version,
        approved_at=timezone.now(),
        retention_minutes=retention_minutes,
        electroacupuncture=electroacupuncture,
    )
    PlanPoint.objects.bulk_create(
        PlanPoint(
            plan=plan,
            point_id=code,
            side=side,
            role="local",
            override_reason=reason,
            position=i,
            # Points over the spinal canal are planned with a depth, as the needling check needs it.
            depth_mm=PLANNED_DEPTH_MM.get(code),
            angle="oblique" if code in PLANNED_DEPTH_MM else "",
        )
        for i, (code, side, reason) in enumerate((*p, "")[:3] for p in points)
    )
    return plan


@pytest.fixture
def plan(consulted):
    return make_plan(consulted, [("BL23", "both"), ("BL40", "both"), ("GV4", "midline")], electroacupuncture=True)


BATCH = {"gauge_mm": Decimal("0.25"), "length_mm": 40, "lot": "HW2611-0001"}


def needles(*points, **kw):
    return NeedleBatch(points=tuple(NeedledPoint(*p) if isinstance(p, tuple) else p for p in points), **(BATCH | kw))


@pytest.fixture
def started(plan, practitioner, room):
    return session_start(
        actor=practitioner.user, patient=plan.patient, practitioner=practitioner, room=room, pain_before=6
    )


@pytest.fixture
def running(started, practitioner):
    return session_insert_needles(
        actor=practitioner.user,
        session=started,
        batch=needles(("ub-23", "both", 2), ("Du4", "midline", 1)),
    )
