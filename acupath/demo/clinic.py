"""The clinic's fixed parts: people, rooms, hours and appointment types."""

import datetime as dt
from dataclasses import dataclass

from acupath.accounts.models import Role, User
from acupath.clinic.models import AppointmentKind, AppointmentType, Clinic, Location, Practitioner, Room
from acupath.demo.names import FAMILY, GIVEN_FEMALE, GIVEN_MALE
from acupath.scheduling.models import Break, Holiday, WorkingHours

DEMO_PASSWORD = "acupath-demo"
DEMO_LOGINS = ("owner", "practitioner", "frontdesk", "patient")

PRACTITIONER_NAMES = (
    ("practitioner", "Jayanth", "Kumar"),
    ("meera", "Meera", "Iyer"),
    ("arvind", "Arvind", "Rao"),
    ("farah", "Farah", "Khan"),
    ("joseph", "Joseph", "Mathew"),
    ("nandita", "Nandita", "Hegde"),
)

# Public holidays observed by a Bengaluru clinic (fixed-date ones, plus a few of this year's).
HOLIDAYS = (
    (1, 26, "Republic Day"),
    (5, 1, "Karnataka Labour Day"),
    (8, 15, "Independence Day"),
    (10, 2, "Gandhi Jayanti"),
    (11, 1, "Kannada Rajyotsava"),
    (12, 25, "Christmas"),
)


@dataclass(frozen=True)
class ClinicSpec:
    name: str = "Jayanth Acupuncture Clinic"
    timezone: str = "Asia/Kolkata"
    locations: int = 1
    practitioners_per_location: int = 3
    rooms_per_location: int = 4


def user_make(username: str, role: str, first: str = "", last: str = "", demo_login: bool = False) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"role": role, "first_name": first, "last_name": last}
    )
    if demo_login:
        user.set_password(DEMO_PASSWORD)
    else:
        user.set_unusable_password()
    user.save()
    return user


def practitioner_name(n: int) -> tuple[str, str, str]:
    """Login, given and family name of the clinic's n-th practitioner; distinct for thousands."""
    if n < len(PRACTITIONER_NAMES):
        return PRACTITIONER_NAMES[n]
    given = GIVEN_FEMALE + GIVEN_MALE
    first, last = given[n % len(given)], FAMILY[(n // len(given)) % len(FAMILY)]
    return f"{first.lower()}.{last.lower()}{n + 1}", first, last


def clinic_build(spec: ClinicSpec, years: range) -> tuple[Clinic, list[Practitioner], dict[int, Room]]:
    """Create the clinic and its staff. Returns the practitioners and the room each one works in."""
    clinic = Clinic.objects.create(name=spec.name, timezone=spec.timezone)
    owner = user_make("owner", Role.OWNER, "Clinic", "Owner", demo_login=True)
    # The owner is the clinic's administrator: the admin site shows the audit log.
    owner.is_staff = owner.is_superuser = True
    owner.save(update_fields=["is_staff", "is_superuser"])
    user_make("frontdesk", Role.FRONTDESK, "Lakshmi", "Narayan", demo_login=True)
    for kind, code, name, minutes, online in (
        (AppointmentKind.INITIAL, "initial", "Initial consultation", 60, True),
        (AppointmentKind.TREATMENT, "treatment", "Treatment", 45, False),
        (AppointmentKind.REVIEW, "review", "Review", 30, False),
    ):
        AppointmentType.objects.create(
            clinic=clinic, kind=kind, code=code, name=name, minutes=minutes, bookable_online=online
        )
    practitioners: list[Practitioner] = []
    room_of: dict[int, Room] = {}
    for loc_no in range(spec.locations):
        location = Location.objects.create(clinic=clinic, name="Indiranagar" if loc_no == 0 else f"Branch {loc_no + 1}")
        rooms = [
            Room.objects.create(location=location, name=f"Room {i + 1}", position=i)
            for i in range(spec.rooms_per_location)
        ]
        for i in range(spec.practitioners_per_location):
            n = loc_no * spec.practitioners_per_location + i
            login, first, last = practitioner_name(n)
            user = user_make(login, Role.PRACTITIONER, first, last, demo_login=login == "practitioner")
            p = Practitioner.objects.create(
                clinic=clinic,
                location=location,
                user=user,
                display_name=f"Dr {first} {last}",
                qualifications="BAMS, Dip. Acupuncture",
            )
            practitioners.append(p)
            room_of[p.pk] = rooms[i % len(rooms)]
    WorkingHours.objects.bulk_create(
        WorkingHours(practitioner=p, weekday=d, start=dt.time(9), end=dt.time(18))
        for p in practitioners
        for d in range(6)
    )
    Break.objects.bulk_create(
        Break(practitioner=p, weekday=d, start=dt.time(13), end=dt.time(14)) for p in practitioners for d in range(6)
    )
    Holiday.objects.bulk_create(
        Holiday(clinic=clinic, day=dt.date(y, m, d), name=name) for y in years for m, d, name in HOLIDAYS
    )
    return clinic, practitioners, room_of
