from functools import cache
from zoneinfo import ZoneInfo

from django.core.cache import cache as django_cache

from acupath.clinic.models import Clinic


def clinic_current() -> Clinic | None:
    """The clinic this installation serves (a network adds a clinic per request later)."""
    return Clinic.objects.order_by("id").first()


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def clinic_zone() -> ZoneInfo:
    """The clinic's time zone; cached briefly because every request needs it."""
    name = django_cache.get("clinic_tz")
    if name is None:
        name = Clinic.objects.order_by("id").values_list("timezone", flat=True).first() or "UTC"
        django_cache.set("clinic_tz", name, 300)
    return _zone(name)
