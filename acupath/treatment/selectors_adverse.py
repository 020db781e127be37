"""Reads of serious adverse events for the clinic owner: the alerts that still need attention."""

from dataclasses import dataclass

from acupath.treatment.models import AdverseEventAlert

ALERTS_SHOWN = 20


@dataclass
class OwnerAlerts:
    open: list[AdverseEventAlert]
    total_open: int


def owner_alerts_open(limit: int = ALERTS_SHOWN) -> OwnerAlerts:
    """Unacknowledged alerts, newest first, with their event, patient and practitioner: two queries."""
    qs = AdverseEventAlert.objects.filter(acknowledged_at__isnull=True)
    shown = list(
        qs.select_related("event__patient", "event__session__practitioner", "event__recorded_by").order_by(
            "-raised_at", "-id"
        )[:limit]
    )
    total = len(shown) if len(shown) < limit else qs.count()
    return OwnerAlerts(open=shown, total_open=total)
