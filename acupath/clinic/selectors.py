from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from django.core.cache import cache as django_cache

from acupath.clinic.models import Clinic, FunctionMeasure


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


@dataclass(frozen=True)
class ClinicSettings:
    """The clinical settings of the installation's clinic, with their defaults when none exists."""

    function_measure: str = FunctionMeasure.ODI
    reassessment_session: int = 6

    @property
    def function_measure_text(self) -> str:
        return str(FunctionMeasure(self.function_measure).label)


def clinic_settings() -> ClinicSettings:
    row = Clinic.objects.order_by("id").values("function_measure", "reassessment_session").first()
    return ClinicSettings(**row) if row else ClinicSettings()
