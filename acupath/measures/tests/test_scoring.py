"""Scoring of the outcome instruments, against worked examples from the published instructions."""

from __future__ import annotations

import re

import pytest

from acupath.measures.domain.instruments import (
    InstrumentCode,
    UnknownInstrumentError,
    instrument,
    load_instruments,
)
from acupath.measures.domain.scoring import AnswerError, score


def startback(agree: str, bother: object) -> list[object]:
    """Items 1-8 as a string of '1' (agree) / '0' (disagree), then item 9."""
    assert len(agree) == 8
    return [flag == "1" for flag in agree] + [bother]


# --- data file ------------------------------------------------------------------------------------


def test_instrument_catalogue_has_header_and_every_instrument() -> None:
    catalogue = load_instruments()
    assert catalogue.dataset == "instruments"
    assert isinstance(catalogue.version, int)
    assert catalogue.source
    assert catalogue.licence
    assert {i.code for i in catalogue.instruments} == set(InstrumentCode)


@pytest.mark.parametrize(
    ("code", "licensed_text"), [("odi", True), ("startback", True), ("nrs", False), ("psfs", False)]
)
def test_licensed_instruments_do_not_ship_their_text(code: str, licensed_text: bool) -> None:
    spec = instrument(code)
    assert spec.text_supplied_by_clinic is licensed_text
    assert spec.licence_note


def test_odi_items_are_section_topics_only() -> None:
    labels = [item.label for item in instrument("odi").items]
    assert labels[:3] == ["Pain intensity", "Personal care", "Lifting"]
    assert len(labels) == 10
    assert all(len(label.split()) <= 3 for label in labels)


@pytest.mark.parametrize(
    ("code", "role", "loinc"),
    [
        ("nrs", "score", "72514-3"),
        ("odi", "score", "97909-6"),
        ("startback", "score", "91351-7"),
        ("startback", "distress", "91350-9"),
        ("startback", "risk", "91352-5"),
    ],
)
def test_loinc_codes(code: str, role: str, loinc: str) -> None:
    coding = instrument(code).coding(role)
    assert coding is not None
    assert (coding.system, coding.code) == ("http://loinc.org", loinc)


@pytest.mark.parametrize(
    ("code", "setting"),
    [
        ("odi", "min_sections_answered"),
        ("nrs", "band_scheme"),
        ("rmdq", "allow_missing_items"),
        ("startback", "allow_missing_items"),
    ],
)
def test_unverified_rules_are_marked_settings(code: str, setting: str) -> None:
    assert instrument(code).setting(setting).unverified is True


def test_unknown_instrument_is_named() -> None:
    with pytest.raises(UnknownInstrumentError, match="'vas'"):
        score("vas", 5)


# --- NRS ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "band"),
    [
        (0, "none"),
        (1, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (10, "severe"),
    ],
)
def test_nrs_value_and_four_band_scheme(answer: int, band: str) -> None:
    result = score("nrs", answer)
    assert result.value == answer
    assert result.band == band
    assert result.scorable
    assert result.max_value == 10


@pytest.mark.parametrize(("answer", "band"), [(0, "none"), (9, "severe"), (10, "excruciating")])
def test_nrs_hl7_five_band_scheme_is_selectable(answer: int, band: str) -> None:
    hl7 = instrument("nrs").with_settings(band_scheme="hl7_five_band")
    assert score("nrs", answer, definition=hl7).band == band


# --- ODI ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "value", "answered"),
    [
        ([2, 2, 2, 2, 2, 2, 1, 1, 1, 1], 32.0, 10),  # 16/50
        ([2, 2, 2, 2, 2, 2, 2, 1, 1, None], 35.56, 9),  # 16/45, one section missed
        ([5] * 10, 100.0, 10),
        ([0] * 10, 0.0, 10),
        ([3, 3, 3, 3, 3, 3, 3, None, 3, None], 60.0, 8),  # 24/40, minimum answered by default
    ],
)
def test_odi_percentage_worked_examples(answers: list[int | None], value: float, answered: int) -> None:
    result = score("odi", answers)
    assert result.scorable
    assert result.value == value
    assert result.answered == answered


def test_odi_too_few_sections_is_not_scorable_never_zero() -> None:
    result = score("odi", [0, 0, 0, 0, 0, 0, 0, None, None, None])
    assert result.scorable is False
    assert result.value is None
    assert result.band is None
    assert result.reason is not None
    assert "7 of 10" in result.reason
    assert result.answered == 7


def test_odi_minimum_sections_is_a_local_setting() -> None:
    lenient = instrument("odi").with_settings(min_sections_answered=6)
    result = score("odi", [1, 1, 1, 1, 1, 1, 1, None, None, None], definition=lenient)
    assert result.value == 20.0


def test_odi_all_unanswered_is_not_scorable_even_at_minimum_one() -> None:
    lenient = instrument("odi").with_settings(min_sections_answered=1)
    assert score("odi", [None] * 10, definition=lenient).scorable is False


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (0, "minimal"),
        (20, "minimal"),
        (20.01, "moderate"),
        (40, "moderate"),
        (40.01, "severe"),
        (60, "severe"),
        (60.01, "crippled"),
        (80, "crippled"),
        (80.01, "bed_bound"),
        (100, "bed_bound"),
    ],
)
def test_odi_band_edges(percent: float, band: str) -> None:
    assert instrument("odi").band_for(percent) == band


@pytest.mark.parametrize(
    ("answers", "band"),
    [
        ([1] * 10, "minimal"),
        ([2, 1, 1, 1, 1, 1, 1, 1, 1, 1], "moderate"),
        ([4] * 10, "crippled"),
        ([5, 4, 4, 4, 4, 4, 4, 4, 4, 4], "bed_bound"),
    ],
)
def test_odi_score_carries_its_band(answers: list[int], band: str) -> None:
    assert score("odi", answers).band == band


# --- RMDQ -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("yes_count", "value"), [(0, 0.0), (7, 7.0), (24, 24.0)])
def test_rmdq_counts_statements_that_apply(yes_count: int, value: float) -> None:
    answers = [True] * yes_count + [False] * (24 - yes_count)
    result = score("rmdq", answers)
    assert result.value == value
    assert result.answered == 24


def test_rmdq_missing_items_when_allowed_make_it_not_scorable() -> None:
    lenient = instrument("rmdq").with_settings(allow_missing_items=True)
    result = score("rmdq", [True] * 23 + [None], definition=lenient)
    assert (result.scorable, result.value, result.answered) == (False, None, 23)


# --- STarT Back ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agree", "bother", "total", "distress", "risk"),
    [
        ("00000000", "not_at_all", 0, 0, "low"),
        ("11100000", "not_at_all", 3, 0, "low"),  # total 3: low
        ("11110000", "not_at_all", 4, 0, "medium"),  # total 4: no longer low
        ("00001110", "moderately", 3, 3, "low"),  # moderately scores 0
        ("00001110", "very_much", 4, 4, "high"),  # very_much scores 1
        ("00001110", "extremely", 4, 4, "high"),
        ("00001110", "slightly", 3, 3, "low"),
        ("11001110", "not_at_all", 5, 3, "medium"),  # distress 3: medium
        ("10001111", "not_at_all", 5, 4, "high"),  # distress 4: high
        ("10001100", "very_much", 4, 3, "medium"),
        ("11111111", "extremely", 9, 5, "high"),
    ],
)
def test_startback_total_distress_and_risk(agree: str, bother: str, total: int, distress: int, risk: str) -> None:
    result = score("startback", startback(agree, bother))
    assert result.value == total
    assert result.distress_subscale == distress
    assert result.risk == risk
    assert result.max_value == 9


# --- PSFS -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "mean"),
    [([3, 4, 8], 5.0), ([3, 4], 3.5), ([1, 2, 2], 1.67), ([10], 10.0), ([0, 0, 0, 0, 1], 0.2)],
)
def test_psfs_mean_of_activity_scores(scores: list[int], mean: float) -> None:
    answers = [{"activity": f"Activity {n}", "score": s} for n, s in enumerate(scores, start=1)]
    result = score("psfs", answers)
    assert result.value == mean
    assert result.answered == len(scores)


# --- answer shapes --------------------------------------------------------------------------------

ODI_OK: list[object] = [1] * 10
WALK = {"activity": "Walking", "score": 5}
BOTHER_OPTIONS = "one of not_at_all, slightly, moderately, very_much, extremely"
PSFS_OBJECT = 'an object {"activity": text, "score": an integer 0-10}'


def _replace(answers: list[object], index: int, value: object) -> list[object]:
    changed = list(answers)
    changed[index] = value
    return changed


@pytest.mark.parametrize(
    ("code", "answers", "message"),
    [
        ("nrs", 11, "NRS item 1 (Pain intensity): expected an integer 0-10, got 11"),
        ("nrs", -1, "NRS item 1 (Pain intensity): expected an integer 0-10, got -1"),
        ("nrs", True, "NRS item 1 (Pain intensity): expected an integer 0-10, got true"),
        ("nrs", 5.0, "NRS item 1 (Pain intensity): expected an integer 0-10, got 5.0"),
        ("nrs", "5", "NRS item 1 (Pain intensity): expected an integer 0-10, got '5'"),
        ("nrs", None, "NRS item 1 (Pain intensity): expected an integer 0-10, got null"),
        (
            "odi",
            [1] * 9,
            "ODI answers: expected a list of exactly 10 answers, one per section, got a list of 9",
        ),
        (
            "odi",
            [1] * 11,
            "ODI answers: expected a list of exactly 10 answers, one per section, got a list of 11",
        ),
        ("odi", 16, "ODI answers: expected a list of exactly 10 answers, one per section, got 16"),
        (
            "odi",
            _replace(ODI_OK, 2, 7),
            "ODI section 3 (Lifting): expected an integer 0-5 or null, got 7",
        ),
        (
            "odi",
            _replace(ODI_OK, 0, -1),
            "ODI section 1 (Pain intensity): expected an integer 0-5 or null, got -1",
        ),
        (
            "odi",
            _replace(ODI_OK, 4, True),
            "ODI section 5 (Sitting): expected an integer 0-5 or null, got true",
        ),
        (
            "odi",
            _replace(ODI_OK, 9, "2"),
            "ODI section 10 (Travelling): expected an integer 0-5 or null, got '2'",
        ),
        (
            "rmdq",
            [False] * 23,
            "RMDQ answers: expected a list of exactly 24 answers, one per item, got a list of 23",
        ),
        (
            "rmdq",
            _replace([False] * 24, 3, None),
            "RMDQ item 4 (Not doing usual jobs around the house): expected true or false, got null",
        ),
        (
            "rmdq",
            _replace([False] * 24, 0, 1),
            "RMDQ item 1 (Stays at home most of the time): expected true or false, got 1",
        ),
        (
            "startback",
            [False] * 8,
            "STarT Back answers: expected a list of exactly 9 answers, one per item, got a list of 8",
        ),
        (
            "startback",
            startback("00000000", "very much"),
            f"STarT Back item 9 (Bothersomeness): expected {BOTHER_OPTIONS}, got 'very much'",
        ),
        (
            "startback",
            startback("00000000", True),
            f"STarT Back item 9 (Bothersomeness): expected {BOTHER_OPTIONS}, got true",
        ),
        (
            "startback",
            _replace(startback("00000000", "slightly"), 1, "agree"),
            "STarT Back item 2 (Shoulder or neck pain): expected true or false, got 'agree'",
        ),
        (
            "startback",
            _replace(startback("00000000", "slightly"), 4, None),
            "STarT Back item 5 (Fear of being physically active): expected true or false, got null",
        ),
        ("psfs", [], "PSFS answers: expected a list of 1 to 5 activities, got a list of 0"),
        ("psfs", [WALK] * 6, "PSFS answers: expected a list of 1 to 5 activities, got a list of 6"),
        (
            "psfs",
            [WALK, {"activity": "Lifting", "score": 11}],
            "PSFS activity 2 (Lifting): expected an integer 0-10, got 11",
        ),
        (
            "psfs",
            [{"activity": "Sitting", "score": True}],
            "PSFS activity 1 (Sitting): expected an integer 0-10, got true",
        ),
        (
            "psfs",
            [{"activity": "  ", "score": 3}],
            "PSFS activity 1 (activity name): expected non-empty text of at most 200 characters, got '  '",
        ),
        (
            "psfs",
            [{"activity": "Sitting"}],
            f"PSFS activity 1: expected {PSFS_OBJECT}, got an object",
        ),
        (
            "psfs",
            [5],
            f"PSFS activity 1: expected {PSFS_OBJECT}, got 5",
        ),
    ],
)
def test_answer_shape_errors_name_the_item(code: str, answers: object, message: str) -> None:
    with pytest.raises(AnswerError, match=f"^{re.escape(message)}$"):
        score(code, answers)


# --- boundary cases added with the assessment pages ----------------------------------------------


@pytest.mark.parametrize(
    ("answer", "band"), [(1, "mild"), (3, "mild"), (4, "moderate"), (6, "moderate"), (7, "severe")]
)
def test_nrs_hl7_five_band_inner_edges(answer: int, band: str) -> None:
    hl7 = instrument("nrs").with_settings(band_scheme="hl7_five_band")
    assert score("nrs", answer, definition=hl7).band == band


@pytest.mark.parametrize(
    ("answers", "value", "band"),
    [
        ([2] * 10, 40.0, "moderate"),  # 20/50 exactly on the moderate/severe edge
        ([3] * 10, 60.0, "severe"),
        ([4] * 10, 80.0, "crippled"),
        ([2, 2, 2, 2, 2, 2, 2, 2, 3, None], 42.22, "severe"),  # 19/45, just past 40
        ([1, 1, 1, 1, 1, 1, 1, 1, 2, None], 22.22, "moderate"),  # 10/45, just past 20
    ],
)
def test_odi_bands_from_real_answers_at_the_edges(answers: list[int | None], value: float, band: str) -> None:
    result = score("odi", answers)
    assert (result.value, result.band) == (value, band)


def test_odi_exactly_the_minimum_sections_is_scorable_one_fewer_is_not() -> None:
    eight = [1, 1, 1, 1, 1, 1, 1, 1, None, None]
    seven = [1, 1, 1, 1, 1, 1, 1, None, None, None]
    assert score("odi", eight).scorable is True
    assert score("odi", eight).value == 20.0
    assert score("odi", seven).scorable is False


def test_startback_missing_item_when_allowed_gives_no_risk_group() -> None:
    lenient = instrument("startback").with_settings(allow_missing_items=True)
    result = score("startback", [True] * 8 + [None], definition=lenient)
    assert (result.scorable, result.value, result.risk, result.distress_subscale) == (False, None, None, None)
    assert result.reason is not None and "9" in result.reason


def test_psfs_activity_name_length_edge() -> None:
    assert score("psfs", [{"activity": "x" * 200, "score": 4}]).value == 4.0
    with pytest.raises(AnswerError, match="at most 200 characters"):
        score("psfs", [{"activity": "x" * 201, "score": 4}])


def test_psfs_five_activities_is_the_maximum_and_scores_the_mean() -> None:
    answers = [{"activity": f"A{n}", "score": s} for n, s in enumerate([0, 10, 5, 5, 5], start=1)]
    assert score("psfs", answers).value == 5.0
