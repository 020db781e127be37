import pytest
from django.utils import timezone

from acupath.core.errors import Conflict, ServiceError
from acupath.intake.screening import referral_outcome_record
from acupath.intake.selectors import treatment_gate
from acupath.intake.services import red_flag_decide
from acupath.planning.services import PlanInput, PlanPointInput, plan_save
from tests.consultations import consult

pytestmark = pytest.mark.django_db


def test_saddle_anaesthesia_blocks_planning_until_the_emergency_referral_clears(reference, practitioner, patient):
    consultation = consult(practitioner, patient, red_flags={"saddle_anaesthesia": True})
    [alert] = treatment_gate(patient).open_alerts
    assert alert.urgency == "emergency"
    assert "urgent referral, same day" in alert.action.lower()
    plan = PlanInput(points=(PlanPointInput("BL23", "both"),))
    with pytest.raises(Conflict, match="Numbness or tingling between the legs"):
        plan_save(actor=practitioner.user, patient=patient, consultation=consultation, data=plan)
    with pytest.raises(ServiceError, match="emergency flag"):
        red_flag_decide(
            actor=practitioner.user,
            consultation=consultation,
            flag="saddle_anaesthesia",
            decision="not_relevant",
            reason="Numbness from a cycling saddle, resolved; no bladder or bowel change.",
        )
    review = red_flag_decide(
        actor=practitioner.user,
        consultation=consultation,
        flag="saddle_anaesthesia",
        decision="refer_emergency",
        reason="Sent to the emergency department.",
    )
    with pytest.raises(Conflict, match="Treatment waits for the outcome of the emergency"):
        plan_save(actor=practitioner.user, patient=patient, consultation=consultation, data=plan)
    referral_outcome_record(
        actor=practitioner.user,
        referral=review.referral,
        outcome="cleared",
        assessed_by="Dr Rao, emergency department",
        assessed_on=timezone.localdate(),
        note="MRI normal; cycling saddle numbness.",
    )
    assert plan_save(actor=practitioner.user, patient=patient, consultation=consultation, data=plan).version == 1


def test_a_new_plan_version_supersedes_the_last(reference, practitioner, patient):
    consultation = consult(practitioner, patient)
    first = plan_save(
        actor=practitioner.user,
        patient=patient,
        consultation=consultation,
        data=PlanInput(points=(PlanPointInput("BL23", "both"),)),
    )
    second = plan_save(
        actor=practitioner.user,
        patient=patient,
        consultation=consultation,
        data=PlanInput(points=(PlanPointInput("UB40", "left"),), change_note="add BL40"),
    )
    first.refresh_from_db()
    assert (first.status, second.status, second.version) == ("superseded", "approved", 2)
    assert list(second.points.values_list("point_id", flat=True)) == ["BL40"]


def test_patient_facts_read_the_latest_consultation(practitioner, patient):
    from acupath.planning.selectors import patient_facts

    assert patient_facts(patient) is None
    consult(practitioner, patient, red_flags={"night_pain": True})
    facts = patient_facts(patient)
    assert facts is not None
    assert (facts.pregnant, facts.first_treatment, facts.unresolved_red_flags) == (False, True, ("night_pain",))
