"""Reads for the booking pages: what can be booked online, which times are free, the desk's lists."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from acupath.booking import conf
from acupath.booking.enums import RequestStatus, WaitlistStatus
from acupath.booking.models import OnlineRequest, WaitlistEntry
from acupath.clinic.models import AppointmentType, Clinic, Practitioner, Room
from acupath.clinic.selectors import clinic_zone
from acupath.patients.models import Patient, PatientStatus
from acupath.scheduling.selectors import diary_load, rooms_for


def verified_email(clinic: Clinic, email: str) -> str | None:
    """The e-mail if the clinic holds it on a confirmed patient record (recorded by staff, or an online
    request the clinic confirmed); a request only typed in online leaves its record pending. One query."""
    address = email.strip().lower()
    if not address:
        return None
    known = Patient.objects.filter(clinic=clinic, email=address, status=PatientStatus.ACTIVE).exists()
    return address if known else None


def bookable_types(clinic: Clinic) -> list[AppointmentType]:
    return list(AppointmentType.objects.filter(clinic=clinic, bookable_online=True).order_by("minutes", "name"))


def online_practitioners(clinic: Clinic) -> list[Practitioner]:
    return list(Practitioner.objects.filter(clinic=clinic, active=True).order_by("display_name"))


@dataclass(frozen=True)
class SlotChoice:
    start: dt.datetime  # in the clinic zone
    end: dt.datetime
    practitioner: Practitioner
    room: Room | None

    @property
    def value(self) -> str:
        """What the form posts back: the UTC instant and who, never the room (chosen at booking)."""
        return slot_value(self.start, self.practitioner)


def slot_value(start: dt.datetime, practitioner: Practitioner) -> str:
    return f"{start.astimezone(dt.UTC):%Y-%m-%dT%H:%MZ}~{practitioner.public_id}"


@dataclass(frozen=True)
class SlotDay:
    day: dt.date
    slots: list[SlotChoice]


def _window(week: int, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of picker week `week` (0 = from now), cut to the booking horizon."""
    zone = clinic_zone()
    today = timezone.localdate(now, zone)
    first = dt.datetime.combine(today + dt.timedelta(days=7 * week), dt.time(0), tzinfo=zone)
    last = first + dt.timedelta(days=7)
    start = max(first, now + conf.min_notice())
    end = min(last, now + conf.horizon())
    return start, end


def week_count() -> int:
    # The picker pages week by week through the whole horizon, so a patient can look as far ahead as allowed.
    return max(1, -(-conf.horizon().days // 7))


def free_slots(
    *,
    appointment_type: AppointmentType,
    practitioners: Sequence[Practitioner],
    start: dt.datetime,
    end: dt.datetime,
    ignoring: Sequence[int] = (),
) -> list[SlotChoice]:
    """Free times of `appointment_type` with any of `practitioners`, each with a free room.

    When several practitioners are free at one time, the first in `practitioners` is offered.
    `ignoring` lists appointments to treat as free (the one a visitor is moving).
    """
    if end <= start or not practitioners:
        return []
    by_id = {str(p.pk): p for p in practitioners}
    rooms = rooms_for(practitioners)
    room_by_id = {str(r.pk): r for r in rooms}
    slots = diary_load(
        practitioners=practitioners,
        appointment_type=appointment_type,
        start=start,
        end=end,
        rooms=rooms,
        ignoring=ignoring,
    ).slots()
    seen: set[dt.datetime] = set()
    out: list[SlotChoice] = []
    for slot in slots:
        if slot.start in seen:
            continue
        seen.add(slot.start)
        room = room_by_id.get(slot.room_id) if slot.room_id else None
        out.append(SlotChoice(slot.start, slot.end, by_id[slot.practitioner_id], room))
    return out


def week_slots(
    *,
    appointment_type: AppointmentType,
    practitioners: Sequence[Practitioner],
    week: int,
    now: dt.datetime | None = None,
    ignoring: Sequence[int] = (),
) -> list[SlotDay]:
    """The picker's week: free times grouped by local day (a fixed number of queries)."""
    start, end = _window(week, now or timezone.now())
    days: dict[dt.date, list[SlotChoice]] = {}
    chosen = free_slots(
        appointment_type=appointment_type, practitioners=practitioners, start=start, end=end, ignoring=ignoring
    )
    for choice in chosen:
        days.setdefault(choice.start.date(), []).append(choice)
    return [SlotDay(day, slots) for day, slots in days.items()]


def slot_if_free(
    *, appointment_type: AppointmentType, practitioner: Practitioner, start: dt.datetime
) -> SlotChoice | None:
    """The slot at exactly `start` with `practitioner`, with a free room, if it is still free."""
    end = start + dt.timedelta(minutes=appointment_type.minutes)
    for choice in free_slots(appointment_type=appointment_type, practitioners=[practitioner], start=start, end=end):
        if choice.start == start:
            return choice
    return None


def desk_requests() -> QuerySet[OnlineRequest]:
    """Requests the front desk must act on: urgent referrals not yet contacted, then those to confirm.

    One query: each row carries its patient, appointment, practitioner and room, and whether an
    active patient with the same birth date and e-mail already exists (a returning patient).
    """
    returning = Patient.objects.filter(
        status=PatientStatus.ACTIVE,
        birth_date=OuterRef("patient__birth_date"),
        email=Lower(OuterRef("patient__email")),
    ).exclude(email="")
    return (
        OnlineRequest.objects.filter(status__in=(RequestStatus.PENDING, RequestStatus.REFERRED))
        .exclude(status=RequestStatus.REFERRED, contacted_at__isnull=False)
        .select_related(
            "patient", "type", "practitioner", "appointment", "appointment__practitioner", "appointment__room"
        )
        .annotate(
            returning=Exists(returning),
            rank=Case(
                When(status=RequestStatus.REFERRED, then=Value(0)),
                When(red_flag_urgency="urgent", then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("rank", "appointment__start", "created_at")
    )


def desk_waitlist() -> QuerySet[WaitlistEntry]:
    """Everyone waiting for a time, soonest deadline first (one query)."""
    return (
        WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, latest__gte=timezone.localdate())
        .select_related("patient", "type", "practitioner", "request")
        .order_by("latest", "created_at")
    )
