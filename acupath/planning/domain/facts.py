"""Input value types of the planning engine: what we know about the patient and about each point.

Pure Python (no Django). The engine never imports the acupoint catalogue: callers pass a
``Mapping[str, PointFacts]`` so that the catalogue (``acupath.knowledge``) and these rules can
change independently, and tests can use a small table of their own.

The point vocabularies below (``BodyRegion``, ``PointCaution``, ``PointTag``) mirror the
catalogue's; they are here so the rules files can be validated without loading the catalogue.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

# Ashi ("that's it!") points are tender spots found by palpation, not numbered points. They carry the
# one Ashi pseudo-code of the whole system (shared with the catalogue and the database) and the body
# region where they are needled, so the safety rules still see them.
from acupath.knowledge.domain.catalogue import Angle, Region
from acupath.knowledge.domain.codes import ASHI

__all__ = [
    "ASHI",
    "Angle",
    "BackRegion",
    "BodyRegion",
    "Cause",
    "DurationClass",
    "FactFlag",
    "LegPain",
    "PatientFacts",
    "Pattern",
    "PointCaution",
    "PointFacts",
    "PointInfo",
    "PointTag",
    "ProposedPoint",
    "Role",
    "Side",
    "Technique",
]


class Cause(StrEnum):
    POSTURE = "posture"
    STRAIN_INJURY = "strain_injury"
    DISC_SPINAL = "disc_spinal"
    ARTHRITIS = "arthritis"
    SCIATICA = "sciatica"
    STRESS_TENSION = "stress_tension"


class BackRegion(StrEnum):
    """Where the back pain is."""

    LUMBAR = "lumbar"
    THORACIC = "thoracic"
    SACROILIAC = "sacroiliac"


class LegPain(StrEnum):
    NONE = "none"
    BUTTOCK_THIGH = "buttock_thigh"
    POSTERIOR_LEG = "posterior_leg"
    LATERAL_LEG = "lateral_leg"
    BELOW_KNEE = "below_knee"


class Pattern(StrEnum):
    """TCM pattern (differentiation) codes, clinical reference section 4."""

    COLD_DAMP = "cold_damp"
    BLOOD_STASIS = "blood_stasis"
    QI_STAGNATION = "qi_stagnation"
    KIDNEY_YANG_DEFICIENCY = "kidney_yang_deficiency"
    KIDNEY_YIN_DEFICIENCY = "kidney_yin_deficiency"
    KIDNEY_QI_DEFICIENCY = "kidney_qi_deficiency"
    LIVER_KIDNEY_YIN_DEFICIENCY = "liver_kidney_yin_deficiency"
    BLADDER_MERIDIAN = "bladder_meridian"
    GALLBLADDER_MERIDIAN = "gallbladder_meridian"
    GOVERNOR_VESSEL = "governor_vessel"


class DurationClass(StrEnum):
    """ACP 2017: acute < 4 weeks, subacute 4-12 weeks, chronic > 12 weeks."""

    ACUTE = "acute"
    SUBACUTE = "subacute"
    CHRONIC = "chronic"


# The catalogue's regions are the body regions the rules speak of (one list, kept with the points).
BodyRegion = Region


class PointCaution(StrEnum):
    THORACIC_PNEUMOTHORAX = "thoracic_pneumothorax"
    MAJOR_VESSEL = "major_vessel"
    PREGNANCY_FORBIDDEN = "pregnancy_forbidden"
    HYPOTENSION_SYNCOPE = "hypotension_syncope"
    EYE_ORBIT = "eye_orbit"
    SPINAL_CORD = "spinal_cord"
    ABDOMINAL_ORGANS = "abdominal_organs"


class PointTag(StrEnum):
    LOCAL_LUMBAR = "local_lumbar"
    LOCAL_SACRAL = "local_sacral"
    LOCAL_THORACIC = "local_thoracic"
    LOCAL_BUTTOCK = "local_buttock"
    DISTAL_BLADDER = "distal_bladder"
    DISTAL_GALLBLADDER = "distal_gallbladder"
    DISTAL_GENERAL = "distal_general"
    MIDLINE_GOVERNOR = "midline_governor"
    ACUTE_SPRAIN = "acute_sprain"
    PATTERN_KIDNEY_DEFICIENCY = "pattern_kidney_deficiency"
    PATTERN_COLD_DAMP = "pattern_cold_damp"
    PATTERN_BLOOD_STASIS = "pattern_blood_stasis"
    PATTERN_QI_STAGNATION = "pattern_qi_stagnation"
    CALMING = "calming"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    MIDLINE = "midline"


class Role(StrEnum):
    LOCAL = "local"
    DISTAL = "distal"
    PATTERN = "pattern"
    CALMING = "calming"
    ASHI = "ashi"


class Technique(StrEnum):
    """How a point is worked: the coded list recorded per point in plans and at needling.

    Safety rules may withhold or refuse some of them (bloodletting and cupping with
    anticoagulants, direct moxibustion with diabetes or neuropathy).
    """

    MANUAL = "manual"  # plain manual needling
    EVEN = "even"  # even (neutral) method
    REINFORCING = "reinforcing"  # tonifying method
    REDUCING = "reducing"  # reducing (draining) method
    ELECTROACUPUNCTURE = "electroacupuncture"
    MOXIBUSTION_INDIRECT = "moxibustion_indirect"  # moxa stick, warming needle, over a medium
    MOXIBUSTION_DIRECT = "moxibustion_direct"  # moxa cone on the skin
    CUPPING = "cupping"
    BLOODLETTING = "bloodletting"  # pricking to bleed, e.g. BL40 for blood stasis


class FactFlag(StrEnum):
    """Boolean facts that rule conditions may test (names of `PatientFacts` fields)."""

    PREGNANT = "pregnant"
    ANTICOAGULANT = "anticoagulant"
    BLEEDING_DISORDER = "bleeding_disorder"
    PACEMAKER = "pacemaker"
    FIRST_TREATMENT = "first_treatment"
    NEEDLE_FEAR = "needle_fear"
    DIABETES = "diabetes"
    PERIPHERAL_NEUROPATHY = "peripheral_neuropathy"
    METAL_ALLERGY = "metal_allergy"
    EPILEPSY = "epilepsy"
    IMMUNOSUPPRESSED = "immunosuppressed"


class PointFacts(Protocol):
    """What the engine needs to know about a catalogue point (read-only, structural)."""

    @property
    def code(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def cautions(self) -> Collection[str] | None: ...  # None: not assessed yet (safety warns)
    @property
    def tags(self) -> Collection[str] | None: ...
    @property
    def max_safe_depth_cm(self) -> float | None: ...
    @property
    def level_cautions(self) -> Mapping[str, Collection[str]]: ...  # region -> cautions there only


@dataclass(frozen=True, slots=True)
class PointInfo:
    """A plain `PointFacts`, for tests and for callers that hold no catalogue objects."""

    code: str
    region: str
    cautions: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    max_safe_depth_cm: float | None = None
    level_cautions: Mapping[str, Collection[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientFacts:
    """The consultation findings the plan is drafted from. Validated on construction."""

    causes: frozenset[Cause]
    region: BackRegion
    leg_pain: LegPain
    duration_class: DurationClass
    pain_now: int  # NRS 0-10
    pattern: Pattern | None = None
    odi_percent: float | None = None
    first_treatment: bool = False
    needle_fear: bool = False
    pregnant: bool = False
    pregnancy_weeks: int | None = None
    anticoagulant: bool = False
    bleeding_disorder: bool = False
    pacemaker: bool = False  # pacemaker, ICD or other active implanted electronic device
    diabetes: bool = False
    peripheral_neuropathy: bool = False
    metal_allergy: bool = False  # nickel or another needle metal
    epilepsy: bool = False
    immunosuppressed: bool = False
    skin_lesion_regions: frozenset[BodyRegion] = frozenset()
    unresolved_red_flags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Coerce plain strings (from forms, JSON, tests) to the enums, so a typo fails here
        # rather than silently matching no rule later.
        _set = object.__setattr__
        _set(self, "causes", frozenset(Cause(c) for c in self.causes))
        _set(self, "region", BackRegion(self.region))
        _set(self, "leg_pain", LegPain(self.leg_pain))
        _set(self, "duration_class", DurationClass(self.duration_class))
        _set(self, "pattern", None if self.pattern is None else Pattern(self.pattern))
        _set(self, "skin_lesion_regions", frozenset(BodyRegion(r) for r in self.skin_lesion_regions))
        _set(self, "unresolved_red_flags", tuple(self.unresolved_red_flags))
        if isinstance(self.pain_now, bool) or not 0 <= self.pain_now <= 10:
            raise ValueError(f"pain_now must be an NRS score 0-10, got {self.pain_now!r}")
        if self.odi_percent is not None and not 0 <= self.odi_percent <= 100:
            raise ValueError(f"odi_percent must be 0-100, got {self.odi_percent!r}")
        if self.pregnancy_weeks is not None:
            if not self.pregnant:
                raise ValueError("pregnancy_weeks given for a patient who is not pregnant")
            if not 0 <= self.pregnancy_weeks <= 45:
                raise ValueError(f"pregnancy_weeks must be 0-45, got {self.pregnancy_weeks!r}")

    def flag(self, name: FactFlag) -> bool:
        return bool(getattr(self, name.value))


@dataclass(frozen=True, slots=True)
class ProposedPoint:
    """A point someone wants to needle: from a draft, a plan edit, or a session about to start.

    `region` is the level where a point that spans levels (EX-B2 Jiaji, Ashi) is needled; the
    safety check applies region rules to it as well as to the catalogue region (safe side).
    """

    code: str
    side: Side
    depth_mm: float | None = None  # as entered in the plan or at needling
    electro: bool = False
    added_by_hand: bool = False
    override_reason: str | None = None
    region: BodyRegion | None = None
    techniques: frozenset[Technique] = field(default_factory=frozenset)
    # At needling the depth must be entered where a depth rule can refuse it.
    require_depth: bool = False

    @property
    def has_override_reason(self) -> bool:
        return bool(self.override_reason and self.override_reason.strip())
