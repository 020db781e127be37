"""The online pre-visit screen: which cauda equina answers stop an online booking."""

import pytest

from acupath.booking.domain.previsit import PAIN_DURATIONS, ces_questions, triage

NO = {q.code: False for q in ces_questions()}


def test_the_online_screen_asks_exactly_the_cauda_equina_questions_in_catalogue_order():
    codes = [q.code for q in ces_questions()]
    assert codes[:4] == ["bladder_dysfunction", "saddle_anaesthesia", "bowel_dysfunction", "bilateral_leg_weakness"]
    assert {"sexual_dysfunction", "bilateral_leg_pain"} <= set(codes)
    assert "cancer_history" not in codes


@pytest.mark.parametrize(
    ("yes", "emergency", "urgency"),
    [
        ((), False, ""),
        (("bladder_dysfunction",), True, "emergency"),
        (("saddle_anaesthesia",), True, "emergency"),
        (("bowel_dysfunction",), True, "emergency"),
        (("bilateral_leg_weakness",), True, "emergency"),
        # Sexual change alone is unlikely to be CES (GIRFT): urgent, not an emergency...
        (("sexual_dysfunction",), False, "urgent"),
        (("bilateral_leg_pain",), False, "urgent"),
        # ...but with another cauda equina feature it escalates to same-day referral.
        (("sexual_dysfunction", "bilateral_leg_pain"), True, "emergency"),
    ],
)
def test_triage_of_cauda_equina_answers(yes, emergency, urgency):
    result = triage(NO | dict.fromkeys(yes, True))
    assert result.emergency is emergency
    assert result.urgency == urgency


def test_triage_refuses_questions_that_are_not_cauda_equina():
    with pytest.raises(ValueError, match="cancer_history"):
        triage({"cancer_history": True})


def test_pain_durations_follow_the_intake_duration_classes():
    assert [code for code, _ in PAIN_DURATIONS] == ["acute", "subacute", "chronic", "unsure"]
