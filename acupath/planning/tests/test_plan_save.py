"""plan_save: the safety check on every save, the course and advice it stores, and the versions."""

import pytest

from acupath.core.errors import Conflict, ServiceError
from acupath.core.models import AuditEvent
from acupath.planning.models import PlanPoint, TreatmentPlan
from acupath.planning.selectors import plan_draft, plan_versions
from acupath.planning.services import PlanInput, PlanPointInput, PlanRefused, plan_save
from acupath.planning.tests.helpers import consult

pytestmark = pytest.mark.django_db


def drafted_input(patient, **changes) -> PlanInput:
    draft = plan_draft(patient)
    points = tuple(
        PlanPointInput(p.code, p.side.value, p.role.value, p.rationale, level=p.level.value if p.level else "")
        for p in draft.points
    )
    return (
        PlanInput(points=points, retention_minutes=draft.retention_minutes)
        if not changes
        else PlanInput(**({"points": points, "retention_minutes": draft.retention_minutes} | changes))
    )


def save(practitioner, patient, data):
    return plan_save(actor=practitioner.user, patient=patient, consultation=None, data=data)


def test_a_plan_cannot_be_saved_without_a_consultation(reference, practitioner, patient):
    with pytest.raises(Conflict, match="consultation"):
        save(practitioner, patient, PlanInput(points=(PlanPointInput("BL40", "both"),)))


def test_skin_lesion_site_is_a_contraindication_naming_point_and_rule(reference, practitioner, patient):
    consult(practitioner, patient, skin_lesion_sites=("lumbar",))
    data = drafted_input(patient)
    assert "BL23" not in {p.code for p in data.points}
    data = PlanInput(points=(*data.points, PlanPointInput("BL23", "both", override_reason="I will needle around it")))
    with pytest.raises(PlanRefused) as refused:
        save(practitioner, patient, data)
    assert "BL23" in refused.value.by_point
    assert "Broken or inflamed skin" in refused.value.errors["points"]
    assert "cannot be overridden" in refused.value.errors["points"]


def test_an_ashi_point_needs_its_level_and_the_level_is_checked(reference, practitioner, patient):
    consult(practitioner, patient, pregnant=True, pregnancy_weeks=24)
    base = drafted_input(patient)
    with pytest.raises(PlanRefused, match="Ashi points need the body region"):
        save(practitioner, patient, PlanInput(points=(*base.points, PlanPointInput("ashi", "both", "ashi"))))
    with pytest.raises(PlanRefused, match="Lumbosacral point after the first trimester"):
        save(
            practitioner,
            patient,
            PlanInput(points=(*base.points, PlanPointInput("Ashi", "both", "ashi", level="lumbar"))),
        )
    plan = save(
        practitioner, patient, PlanInput(points=(*base.points, PlanPointInput("ASHI", "both", "ashi", level="thigh")))
    )
    ashi = plan.points.get(point_id="ASHI")
    assert (ashi.level, ashi.location_note) == ("thigh", "thigh")


def test_a_reason_is_stored_only_where_it_lifted_a_caution(reference, practitioner, patient):
    consult(practitioner, patient, pregnant=True, pregnancy_weeks=30)
    base = drafted_input(patient)
    plan = save(
        practitioner,
        patient,
        PlanInput(
            points=(
                *base.points,
                PlanPointInput("SP6", "both", "pattern", override_reason="Obstetric team asked for it."),
                PlanPointInput("KI3", "both", "distal", override_reason="no caution here"),
            )
        ),
    )
    reasons = dict(PlanPoint.objects.filter(plan=plan).values_list("point_id", "override_reason"))
    assert reasons["SP6"] == "Obstetric team asked for it."
    assert reasons["KI3"] == ""
    assert [o["code"] for o in plan.safety["overrides"]] == ["SP6"]
    assert AuditEvent.objects.filter(entity="plan_safety_override", entity_id=str(plan.public_id)).count() == 1


def test_electroacupuncture_in_pregnancy_is_a_caution_that_needs_a_reason(reference, practitioner, patient):
    consult(practitioner, patient, pregnant=True, pregnancy_weeks=30, leg_pain="posterior_leg")
    base = drafted_input(patient)
    with pytest.raises(PlanRefused) as refused:
        save(practitioner, patient, PlanInput(points=base.points, electroacupuncture=True))
    assert "Electroacupuncture in pregnancy" in refused.value.errors["electroacupuncture"]
    assert "reason is required" in refused.value.errors["electroacupuncture"]
    plan = save(
        practitioner,
        patient,
        PlanInput(points=base.points, electroacupuncture=True, electroacupuncture_reason="Limb pairs only; agreed."),
    )
    assert plan.electroacupuncture is True
    assert {
        "code": "electroacupuncture",
        "rule": "pregnancy_no_electro",
        "title": "Electroacupuncture in pregnancy",
        "severity": "caution",
    } in plan.safety["overrides"]


def test_electroacupuncture_with_a_pacemaker_is_refused_whatever_the_reason(reference, practitioner, patient):
    consult(practitioner, patient, pacemaker=True)
    data = PlanInput(
        points=drafted_input(patient).points, electroacupuncture=True, electroacupuncture_reason="low current"
    )
    with pytest.raises(PlanRefused, match="Pacemaker or implanted device"):
        save(practitioner, patient, data)
    assert not TreatmentPlan.objects.exists()


def test_changed_sessions_rebuild_the_phases_and_reassessments(reference, practitioner, patient):
    consult(practitioner, patient, weeks=30, pain_now=4)
    plan = save(practitioner, patient, drafted_input(patient, sessions=9, per_week=2))
    assert (plan.sessions, plan.per_week) == (9, 2)
    assert plan.course["phases"] == [[4, 2], [1, 1]]
    assert plan.course["weeks"] == 5
    assert plan.course["reassess_after"][-1] == 9
    assert all(n <= 9 for n in plan.course["reassess_after"])


def test_unchanged_course_keeps_the_drafted_phases(reference, practitioner, patient):
    consult(practitioner, patient, weeks=30, pain_now=4)
    drafted = plan_draft(patient).course
    plan = save(practitioner, patient, drafted_input(patient))
    assert plan.course["phases"] == [list(p) for p in drafted.phases]
    assert plan.course["maintenance_interval_weeks"] == list(drafted.maintenance_interval_weeks)


def test_advice_given_by_code_takes_the_files_wording_and_unknown_codes_are_refused(reference, practitioner, patient):
    consult(practitioner, patient)
    plan = save(practitioner, patient, drafted_input(patient, advice=({"code": "walking"},)))
    assert plan.advice[0]["code"] == "walking"
    assert len(plan.advice[0]["text"]) > 10
    with pytest.raises(ServiceError, match="gremlins"):
        save(practitioner, patient, drafted_input(patient, advice=({"code": "gremlins"},)))


def test_versions_record_who_changed_what(reference, practitioner, owner, patient):
    consult(practitioner, patient)
    first = drafted_input(patient)
    save(practitioner, patient, first)
    changed = tuple(
        PlanPointInput(p.code, "left", p.role, p.rationale, level=p.level) if p.code == "BL40" else p
        for p in first.points
        if p.code != "GV3"
    )
    plan_save(
        actor=owner,
        patient=patient,
        consultation=None,
        data=PlanInput(points=(*changed, PlanPointInput("KI3", "both", "distal")), retention_minutes=25),
    )
    newest, oldest = plan_versions(patient)
    assert newest.plan.created_by == owner
    assert oldest.plan.created_by == practitioner.user
    assert newest.added == ["KI3 (both)"]
    assert newest.removed == ["GV3 (midline)"]
    assert "BL40 side both → left" in newest.changed
    assert any(c.startswith("retention") for c in newest.changed)


def test_two_editors_saving_at_once_get_a_conflict_not_an_error(reference, practitioner, patient, monkeypatch):
    from django.db import IntegrityError

    consult(practitioner, patient)
    data = drafted_input(patient)

    def clash(*args, **kwargs):
        raise IntegrityError("plan_version_unique")

    monkeypatch.setattr(TreatmentPlan.objects, "create", clash)
    with pytest.raises(Conflict, match="saved a moment ago"):
        save(practitioner, patient, data)


def test_a_point_under_a_caution_and_a_contraindication_is_refused_without_asking_for_a_reason(
    reference, practitioner, patient
):
    # BL60 is traditionally forbidden in pregnancy (caution) and lies on the foot, where she has a lesion.
    consult(practitioner, patient, pregnant=True, pregnancy_weeks=20, skin_lesion_sites=("foot",))
    base = drafted_input(patient)
    with pytest.raises(PlanRefused) as refused:
        save(practitioner, patient, PlanInput(points=(*base.points, PlanPointInput("BL60", "both", "distal"))))
    assert "Broken or inflamed skin" in refused.value.by_point["BL60"]
    assert "cannot be overridden" in refused.value.by_point["BL60"]
    assert "BL60" not in refused.value.need_reason
