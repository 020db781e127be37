"""Tests for the planning engine, and the small point table they share.

The engine takes the catalogue as a ``Mapping[str, PointFacts]``; these tests use their own table
of the back-pain points the rules name (true regions and cautions, WHO codes), so they do not
depend on the catalogue file another module owns. The lead's integration test checks that every
code in the rules files also exists in the real catalogue.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from acupath.planning.domain.facts import (
    BackRegion,
    BodyRegion,
    Cause,
    DurationClass,
    LegPain,
    PatientFacts,
    Pattern,
    PointInfo,
)

_P, _T, _S = "pregnancy_forbidden", "thoracic_pneumothorax", "hypotension_syncope"

POINTS: dict[str, PointInfo] = {
    p.code: p
    for p in (
        PointInfo("BL17", "upper_back", frozenset({_T}), frozenset({"local_thoracic"}), 1.5),
        PointInfo("BL20", "upper_back", frozenset({_T}), frozenset({"local_thoracic"}), 1.5),
        PointInfo("BL23", "lumbar", tags=frozenset({"local_lumbar", "pattern_kidney_deficiency"})),
        PointInfo("BL25", "lumbar", tags=frozenset({"local_lumbar"})),
        PointInfo("BL26", "lumbar", tags=frozenset({"local_lumbar"})),
        PointInfo("BL31", "sacral", tags=frozenset({"local_sacral"})),
        PointInfo("BL32", "sacral", tags=frozenset({"local_sacral", "pattern_blood_stasis"})),
        PointInfo("BL36", "buttock", tags=frozenset({"distal_bladder"})),
        PointInfo("BL40", "knee", frozenset({"major_vessel"}), frozenset({"distal_bladder"})),
        PointInfo("BL52", "lumbar", frozenset({"abdominal_organs"}), tags=frozenset({"pattern_kidney_deficiency"})),
        # Level with the fourth sacral foramen: sacral, like BL31-BL34.
        PointInfo("BL54", "sacral", tags=frozenset({"local_buttock", "distal_bladder"})),
        PointInfo("BL57", "lower_leg", tags=frozenset({"distal_bladder"})),
        PointInfo("BL60", "foot", frozenset({_P}), frozenset({"distal_bladder"})),
        PointInfo("BL67", "foot", frozenset({_P})),
        PointInfo("CV4", "lower_abdomen", frozenset({"abdominal_organs"})),
        PointInfo("CV12", "upper_abdomen", frozenset({"abdominal_organs"})),
        # Over the lung only at thoracic (upper_back) levels.
        PointInfo(
            "EX-B2",
            "lumbar",
            tags=frozenset({"local_lumbar", "local_thoracic"}),
            max_safe_depth_cm=2.0,
            level_cautions={"upper_back": frozenset({_T})},
        ),
        PointInfo("EX-HN3", "face", tags=frozenset({"calming"})),
        # Depths as in the catalogue; Chen et al. 2018 measured 14.6-17.4 mm from skin to pleura.
        PointInfo("GB21", "shoulder", frozenset({_T, _P}), max_safe_depth_cm=1.0),
        PointInfo("GB30", "buttock", tags=frozenset({"local_buttock", "distal_gallbladder"})),
        PointInfo("GB31", "thigh", tags=frozenset({"distal_gallbladder"})),
        PointInfo("GB34", "lower_leg", tags=frozenset({"distal_gallbladder"})),
        PointInfo("GB41", "foot", tags=frozenset({"distal_gallbladder"})),
        PointInfo("GV3", "lumbar", frozenset({"spinal_cord"}), frozenset({"midline_governor", "local_lumbar"}), 2.5),
        PointInfo(
            "GV4",
            "lumbar",
            frozenset({"spinal_cord"}),
            tags=frozenset({"midline_governor", "pattern_kidney_deficiency"}),
            max_safe_depth_cm=2.5,
        ),
        PointInfo("GV26", "face", tags=frozenset({"acute_sprain", "midline_governor"})),
        PointInfo("HT7", "hand", tags=frozenset({"calming"})),
        PointInfo("KI3", "foot", tags=frozenset({"pattern_kidney_deficiency"})),
        PointInfo("KI7", "lower_leg", tags=frozenset({"pattern_kidney_deficiency"})),
        PointInfo("LI4", "hand", frozenset({_P}), frozenset({"distal_general"})),
        PointInfo("LR3", "foot", frozenset({_S}), frozenset({"calming", "pattern_qi_stagnation"})),
        PointInfo("SI3", "hand", tags=frozenset({"midline_governor"})),
        PointInfo("SP6", "lower_leg", frozenset({_P})),
        PointInfo("SP9", "lower_leg", tags=frozenset({"pattern_cold_damp"})),
    )
}


def facts(**overrides: Any) -> PatientFacts:
    """A plain chronic lumbar patient without leg pain, changed by `overrides`."""
    values: dict[str, Any] = {
        "causes": frozenset(),
        "region": "lumbar",
        "leg_pain": "none",
        "duration_class": "chronic",
        "pain_now": 5,
    }
    return PatientFacts(**(values | overrides))


def regions_of(code: str, level: str | None) -> set[str]:
    """The regions the safety rules see: the catalogue's and the level where it is needled."""
    base = {POINTS[code].region} if code in POINTS else set()
    return base | ({level} if level else set())


def cautions_of(code: str) -> frozenset[str]:
    return POINTS[code].cautions if code in POINTS else frozenset()


# Any patient the intake could record: gestational weeks only when pregnant (else invalid facts).
any_patient = st.builds(
    lambda pregnant, weeks, **kw: PatientFacts(pregnant=pregnant, pregnancy_weeks=weeks if pregnant else None, **kw),
    pregnant=st.booleans(),
    weeks=st.none() | st.integers(0, 42),
    causes=st.frozensets(st.sampled_from(Cause)),
    region=st.sampled_from(BackRegion),
    leg_pain=st.sampled_from(LegPain),
    pattern=st.none() | st.sampled_from(Pattern),
    duration_class=st.sampled_from(DurationClass),
    pain_now=st.integers(0, 10),
    odi_percent=st.none() | st.floats(0, 100),
    first_treatment=st.booleans(),
    needle_fear=st.booleans(),
    anticoagulant=st.booleans(),
    bleeding_disorder=st.booleans(),
    pacemaker=st.booleans(),
    diabetes=st.booleans(),
    peripheral_neuropathy=st.booleans(),
    metal_allergy=st.booleans(),
    epilepsy=st.booleans(),
    immunosuppressed=st.booleans(),
    skin_lesion_regions=st.frozensets(st.sampled_from(BodyRegion), max_size=3),
)
