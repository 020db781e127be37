"""Adverse events for the synthetic clinic, at the rates the large surveys report.

Witt et al. 2009 (229,230 patients, about 10 treatments each): 8.6% of patients had at least one
adverse event; bleeding or haematoma made up 58% of the events, pain 1.7% of patients, vegetative
symptoms 0.7%; 2.2% of patients had one that needed treatment (here: moderate). Serious events
(death, organ injury, hospitalisation) were about 0.024% of patients in the German cohorts
(Melchart/Endres, 190,924 patients). Tiredness and aggravation follow White et al. 2001 and
MacPherson 2005 (clinical reference §5.8). Each patient draws from a stream of its own, so adding
events changes nothing else of the demo.
"""

import datetime as dt
import random
from typing import Any

from acupath.treatment.enums import AdverseEventKind as Kind
from acupath.treatment.enums import AdverseEventOutcome as Outcome
from acupath.treatment.enums import Causality, SeriousnessCriterion
from acupath.treatment.models import SERIOUS_FIELDS

Row = dict[str, Any]

PATIENTS_WITH_EVENT = 0.086  # Witt 2009
NEEDING_TREATMENT = 0.022 / 0.086  # of those: moderate severity
SERIOUS_PER_PATIENT = 0.00024  # Melchart/Endres cohort

# Share of events by kind (Witt 2009 for the first three; the rest from White 2001 / MacPherson 2005).
KINDS: tuple[tuple[str, int], ...] = (
    (Kind.BLEEDING_HAEMATOMA, 58),
    (Kind.NEEDLE_SITE_PAIN, 16),
    (Kind.VEGETATIVE, 7),
    (Kind.TIREDNESS, 7),
    (Kind.AGGRAVATION, 7),
    (Kind.SYNCOPE, 3),
    (Kind.LOCAL_INFECTION, 1),
    (Kind.NERVE_INJURY, 1),
)
STORY: dict[str, tuple[str, str, str]] = {  # description, action taken, causality
    Kind.BLEEDING_HAEMATOMA: (
        "Small bruise at the needle site after removal.",
        "Pressed 2 minutes; explained it will fade.",
        Causality.CERTAIN,
    ),
    Kind.NEEDLE_SITE_PAIN: (
        "Sharp pain on insertion that lingered.",
        "Needle withdrawn and reinserted nearby.",
        Causality.CERTAIN,
    ),
    Kind.VEGETATIVE: (
        "Felt dizzy and slightly nauseous during retention.",
        "Needles removed, laid flat, water; settled in 10 minutes.",
        Causality.PROBABLE,
    ),
    Kind.TIREDNESS: (
        "Very drowsy after the session.",
        "Rested 15 minutes before leaving; advised not to drive.",
        Causality.PROBABLE,
    ),
    Kind.AGGRAVATION: (
        "Back pain worse for a day after treatment.",
        "Reassured; lighter stimulation next time.",
        Causality.POSSIBLE,
    ),
    Kind.SYNCOPE: (
        "Fainted briefly during retention.",
        "All needles removed, laid flat with legs raised; recovered.",
        Causality.PROBABLE,
    ),
    Kind.LOCAL_INFECTION: (
        "Red, warm spot at a needle site two days later.",
        "Referred to the GP; antiseptic advice.",
        Causality.POSSIBLE,
    ),
    Kind.NERVE_INJURY: (
        "Tingling in the foot after needling BL40.",
        "Needle removed; reviewed next visit.",
        Causality.POSSIBLE,
    ),
    Kind.PNEUMOTHORAX: (
        "Breathless and chest pain after upper-back needling.",
        "Needles removed; ambulance called; admitted.",
        Causality.PROBABLE,
    ),
}


def adverse_event_rows(
    rng: random.Random,
    patient_id: int,
    sessions: list[Row],
    recorded_by_id: int,
    owner_id: int | None,
    now: dt.datetime,
) -> tuple[Row | None, Row | None]:
    """An adverse event (or none) for one of the patient's sessions, and its owner alert when serious."""
    if not sessions or rng.random() >= PATIENTS_WITH_EVENT:
        return None, None
    session = rng.choice(sessions)
    serious = rng.random() < SERIOUS_PER_PATIENT / PATIENTS_WITH_EVENT
    kind = Kind.PNEUMOTHORAX if serious else rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    description, action, causality = STORY[kind]
    onset = session["needles_in_at"] + dt.timedelta(minutes=rng.randrange(2, 25))
    recent = now - onset < dt.timedelta(days=3)
    criteria = {SeriousnessCriterion.HOSPITALISATION} if serious else set()
    event: Row = {
        "patient_id": patient_id,
        "session_id": session["id"],
        "kind": kind,
        "severity": "severe" if serious else ("moderate" if rng.random() < NEEDING_TREATMENT else "mild"),
        "occurred_at": onset,
        "description": description,
        "action_taken": action,
        "causality": causality,
        "outcome": Outcome.RECOVERING if recent or (serious and rng.random() < 0.3) else Outcome.RECOVERED,
        "is_serious": serious,
        **{name: criterion in criteria for criterion, name in SERIOUS_FIELDS.items()},
        "recorded_by_id": recorded_by_id,
        "created_by_id": recorded_by_id,
        "updated_by_id": recorded_by_id,
        "created_at": onset + dt.timedelta(minutes=30),
    }
    if not serious:
        return event, None
    acknowledged = owner_id is not None and now - onset > dt.timedelta(days=2)
    alert: Row = {
        "raised_at": event["created_at"],
        "acknowledged_at": event["created_at"] + dt.timedelta(hours=3) if acknowledged else None,
        "acknowledged_by_id": owner_id if acknowledged else None,
        "acknowledgement_note": "Reviewed with the practitioner." if acknowledged else "",
    }
    return event, alert
