"""Sweep many generated consultations through plan_draft: every drafted point is a catalogue row."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from acupath.core.errors import Conflict
from acupath.intake.domain.patterns import load_patterns
from acupath.intake.enums import BackRegion, Cause, LegPain
from acupath.knowledge.models import Acupoint
from acupath.planning.domain.facts import BodyRegion
from acupath.planning.domain.prescribe import NO_POINTS_LEFT
from acupath.planning.selectors import plan_draft
from acupath.planning.tests.helpers import consult
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

consultations = st.fixed_dictionaries(
    {
        "causes": st.lists(st.sampled_from(Cause.values), min_size=1, max_size=3, unique=True).map(tuple),
        "region": st.sampled_from(BackRegion.values),
        "leg_pain": st.sampled_from(LegPain.values),
        "pain_now": st.integers(0, 10),
        "weeks": st.sampled_from([0, 2, 5, 8, 14, 40]),
        # Every pattern intake offers, including those the prescription rules do not cover.
        "pattern": st.sampled_from(["", *(p.code for p in load_patterns())]),
        "pregnant": st.booleans(),
        "pregnancy_weeks": st.none() | st.integers(1, 41),
        "pacemaker": st.booleans(),
        "anticoagulant": st.booleans(),
        "bleeding_disorder": st.booleans(),
        "needle_fear": st.booleans(),
        "skin_lesion_sites": st.lists(st.sampled_from([r.value for r in BodyRegion]), max_size=2).map(tuple),
        "red_flag": st.sampled_from([None, None, None, "night_pain", "saddle_anaesthesia"]),
    }
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=consultations)
def test_every_drafted_point_exists_in_the_knowledge_base(reference, practitioner, clinic, case):
    case = dict(case)
    if not case["pregnant"]:
        case["pregnancy_weeks"] = None
    flag = case.pop("red_flag")
    patient = PatientFactory(clinic=clinic)
    consult(practitioner, patient, red_flags={flag: True} if flag else {}, **case)
    try:
        draft = plan_draft(patient)
    except Conflict as blocked:
        assert flag is not None
        assert blocked.data["blocked_by"]["red_flags"] == [flag]
        return
    assert flag is None
    codes = {p.code for p in draft.points} | {e.code for e in draft.excluded}
    known = set(Acupoint.objects.filter(code__in=codes, active=True).values_list("code", flat=True))
    assert codes == known, f"not in the knowledge base: {codes - known}"
    # Every unblocked consultation gets at least one point, or is told plainly why none is left
    # (e.g. first-trimester pregnancy with a bleeding disorder: lumbar points and BL40 both out).
    if not draft.points:
        assert any(w.rule == NO_POINTS_LEFT for w in draft.warnings)
        assert (case["pregnant"] and (case["anticoagulant"] or case["bleeding_disorder"])) or case["skin_lesion_sites"]
    if case["pacemaker"] or case["pregnant"]:
        assert draft.electroacupuncture is False
