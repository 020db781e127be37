"""One synthetic patient's year of care, as plain values (no database).

The story is drawn from its own random stream (seeded by the clinic seed and the patient's
number), so a patient's history does not change when the clinic is generated in chunks or at
a different size. Pain follows what trials report: most patients improve over a course,
some only partly, a few not at all, and some maintained backs flare up again.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from acupath.demo.names import FAMILY, GIVEN_FEMALE, GIVEN_MALE, OCCUPATIONS

CAUSES = ("posture", "strain_injury", "disc_spinal", "arthritis", "sciatica", "stress_tension")
CAUSE_WEIGHTS = (30, 22, 14, 10, 14, 10)
REGIONS, REGION_WEIGHTS = ("lumbar", "sacroiliac", "thoracic"), (75, 15, 10)
LEG_PAIN = ("none", "buttock_thigh", "posterior_leg", "lateral_leg", "below_knee")
LEG_WEIGHTS = (45, 15, 20, 12, 8)
PATTERNS = ("kidney_yang_deficiency", "kidney_yin_deficiency", "cold_damp", "blood_stasis", "qi_stagnation")
PATTERN_WEIGHTS = (20, 12, 25, 25, 18)
# Red flags that a practitioner commonly judges not relevant after questioning (recorded as such).
# Flags of the soon and routine tiers, which a practitioner may judge not relevant with a reason
# (urgent and emergency flags need a referral, which the demo does not invent).
BENIGN_FLAGS = ("structural_deformity", "minor_trauma_osteoporosis", "inflammatory")


@dataclass
class Visit:
    day: dt.date
    kind: str  # initial, treatment, review (a reassessment consultation), maintenance
    outcome: str = "attended"  # attended, no_show, cancelled
    pain_before: int | None = None
    pain_after: int | None = None
    assess: tuple[str, ...] = ()  # instruments taken at this visit


@dataclass
class Story:
    index: int
    given_name: str
    family_name: str
    sex: str
    birth_date: dt.date
    phone: str
    email: str
    occupation: tuple[str, str]
    causes: tuple[str, ...]
    region: str
    leg_pain: str
    pattern: str
    onset: dt.date
    baseline_pain: int
    baseline_odi: float
    anticoagulant: bool
    pacemaker: bool
    diabetes: bool
    needle_fear: bool
    pregnant_weeks: int | None
    red_flag: str | None
    red_flag_decided: bool
    response: str  # responder, partial, none
    visits: list[Visit] = field(default_factory=list)


def _weighted(rng: random.Random, values: tuple[str, ...], weights: tuple[int, ...]) -> str:
    return rng.choices(values, weights)[0]


def _clinic_day(day: dt.date, closed: frozenset[dt.date]) -> dt.date:
    """The next day the clinic is open (closed on Sundays and holidays)."""
    while day.weekday() == 6 or day in closed:
        day += dt.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Person:
    given_name: str
    family_name: str
    sex: str
    birth_date: dt.date
    phone: str
    email: str


def draw_person(rng: random.Random, index: int, today: dt.date) -> Person:
    sex = rng.choices(("female", "male", "other"), (54, 45, 1))[0]
    names = GIVEN_FEMALE if sex == "female" else GIVEN_MALE if sex == "male" else GIVEN_FEMALE + GIVEN_MALE
    given, family = rng.choice(names), rng.choice(FAMILY)
    age = int(min(84, max(19, rng.gauss(46, 14))))
    handle = f"{given}.{family}".lower().replace("'", "")
    return Person(
        given_name=given,
        family_name=family,
        sex=sex,
        birth_date=today - dt.timedelta(days=age * 365 + rng.randrange(365)),
        phone=f"+91 {rng.randrange(70000, 99999)} {rng.randrange(10000, 99999)}",
        email=f"{handle}{index}@example.in",
    )


def pain_curve(baseline: int, response: str, k: int, rng: random.Random) -> int:
    """Pain before the k-th treatment: an exponential approach to the patient's floor, with noise."""
    floor = {"responder": baseline * 0.35, "partial": baseline * 0.7, "none": baseline - 0.5}[response]
    value = floor + (baseline - floor) * math.exp(-k / 3.5) + rng.gauss(0, 0.7)
    return round(min(10, max(0, value)))


def draw_story(seed: int, index: int, today: dt.date, first_visit: dt.date) -> Story:
    rng = random.Random(f"{seed}:{index}")
    person = draw_person(rng, index, today)
    n_causes = rng.choices((1, 2, 3), (55, 35, 10))[0]
    causes = tuple(sorted({_weighted(rng, CAUSES, CAUSE_WEIGHTS) for _ in range(n_causes)}))
    leg = _weighted(rng, LEG_PAIN, LEG_WEIGHTS)
    if "sciatica" in causes and leg == "none":
        leg = rng.choice(("posterior_leg", "lateral_leg", "below_knee"))
    age = (today - person.birth_date).days // 365
    pregnant_weeks = (
        rng.randrange(8, 30) if person.sex == "female" and 22 <= age <= 38 and rng.random() < 0.04 else None
    )
    red_flag = rng.choice(BENIGN_FLAGS) if rng.random() < 0.04 else None
    baseline = max(3, min(9, round(rng.gauss(6.3, 1.5))))
    return Story(
        index=index,
        given_name=person.given_name,
        family_name=person.family_name,
        sex=person.sex,
        birth_date=person.birth_date,
        phone=person.phone,
        email=person.email,
        occupation=rng.choice(OCCUPATIONS),
        causes=causes,
        region=_weighted(rng, REGIONS, REGION_WEIGHTS),
        leg_pain=leg,
        pattern=_weighted(rng, PATTERNS, PATTERN_WEIGHTS),
        onset=first_visit - dt.timedelta(days=int(rng.expovariate(1 / 200)) + 3),
        baseline_pain=baseline,
        baseline_odi=float(min(80, max(8, rng.gauss(baseline * 5.5, 8)))),
        anticoagulant=age > 55 and rng.random() < 0.12,
        pacemaker=age > 65 and rng.random() < 0.05,
        diabetes=age > 40 and rng.random() < 0.12,
        needle_fear=rng.random() < 0.1,
        pregnant_weeks=pregnant_weeks,
        red_flag=red_flag,
        # The most recent few stay undecided so the demo shows planning held by a red flag.
        red_flag_decided=red_flag is not None and (today - first_visit).days > 3,
        response=rng.choices(("responder", "partial", "none"), (62, 24, 14))[0],
    )


def schedule_visits(
    story: Story,
    *,
    first_visit: dt.date,
    sessions: int,
    phases: tuple[tuple[int, int], ...],
    maintenance_weeks: tuple[int, ...],
    today: dt.date,
    horizon: dt.date,
    closed: frozenset[dt.date],
    reassess_at: int = 6,
) -> list[Visit]:
    """Initial consultation, the course by its phases, reassessment, then tapering maintenance.

    Pain and function are scored at the clinic's re-assessment session (``reassess_at``, the
    Clinic setting) so the decision there has its responder status, and again at the course end."""
    rng = random.Random(f"visits:{story.index}:{first_visit}")
    visits = [Visit(_clinic_day(first_visit, closed), "initial", assess=("nrs", "odi", "startback"))]
    day = visits[0].day
    k = 0
    for weeks, per_week in phases:
        gap = max(2, 7 // per_week)
        for _ in range(weeks * per_week):
            if k >= sessions:
                break
            day = _clinic_day(day + dt.timedelta(days=gap if k else 0), closed)
            k += 1
            visit = Visit(day, "treatment")
            visit.pain_before = pain_curve(story.baseline_pain, story.response, k, rng)
            visit.pain_after = max(0, visit.pain_before - rng.choice((0, 1, 1, 2, 2, 3)))
            roll = rng.random()
            if roll < 0.04:
                visit.outcome = "no_show"
            elif roll < 0.08:
                visit.outcome = "cancelled"
            if k in (reassess_at, sessions):
                visit.assess = ("nrs", "odi")
            visits.append(visit)
    # Maintenance after the course, tapering out, then every last interval, with the odd flare-up.
    flare_at = rng.randrange(2, 6) if rng.random() < 0.25 else None
    pain = visits[-1].pain_before if visits[-1].pain_before is not None else story.baseline_pain
    gaps = list(maintenance_weeks) or [4]
    m = 0
    while True:
        day = _clinic_day(day + dt.timedelta(weeks=gaps[min(m, len(gaps) - 1)]), closed)
        if day > horizon:
            break
        m += 1
        flare = flare_at is not None and m >= flare_at
        before = min(10, pain + (3 + rng.randrange(2) if flare else rng.choice((-1, 0, 0, 1))))
        before = max(0, before)
        after = max(0, before - rng.choice((1, 1, 2)))
        visit = Visit(
            day, "maintenance", pain_before=before, pain_after=after, assess=("nrs",) if m % 2 or flare else ()
        )
        visits.append(visit)
        if flare:
            break  # a flare-up leads to a re-assessment (drawn by the generator as a new episode)
    return [v for v in visits if v.day <= horizon and (v.day <= today or v.outcome == "attended")]
