"""Loading the versioned reference files into the database, idempotently."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import transaction

from acupath.knowledge.domain.catalogue import load_catalogue, strip_tones
from acupath.knowledge.domain.codes import ASHI
from acupath.knowledge.models import Acupoint, Channel

ASHI_ROW = {
    "channel": None,
    "number": 0,
    "pinyin": "Āshì",
    "pinyin_plain": "Ashi",
    "chinese": "阿是",
    "english": "Tender point, recorded by where it is found",
    "region": "",
    "location": "Wherever palpation finds a tender spot that reproduces the pain; record where.",
    "depth_min_cm": None,
    "depth_max_cm": None,
    "angle": "",
    "max_safe_depth_cm": None,
    "cautions": [],
    "tags": ["local_lumbar"],
    "aliases": ["Ashi"],
}


@dataclass(frozen=True)
class SyncReport:
    channels: int
    points: int
    created: int
    updated: int
    deactivated: int

    def __str__(self) -> str:
        return (
            f"{self.channels} channels, {self.points} points "
            f"({self.created} new, {self.updated} changed, {self.deactivated} retired)"
        )


def _point_fields(record: Any, position: int, channels: Mapping[str, Channel]) -> dict[str, Any]:
    depth = record.depth
    return {
        "channel": channels.get(record.channel),
        "number": record.number,
        "position": position,
        "pinyin": record.pinyin,
        "pinyin_plain": strip_tones(record.pinyin),
        "chinese": record.chinese,
        "english": record.english,
        "region": str(record.region),
        "location": record.location,
        "depth_min_cm": depth.min_cm if depth else None,
        "depth_max_cm": depth.max_cm if depth else None,
        "angle": str(depth.angle) if depth else "",
        "max_safe_depth_cm": record.max_safe_depth_cm,
        "cautions": [str(c) for c in record.cautions or ()],
        "tags": [str(t) for t in record.tags or ()],
        "aliases": list(record.aliases),
        "active": True,
    }


@transaction.atomic
def reference_sync() -> SyncReport:
    """Upsert channels and points from the data files; retire (never delete) removed points."""
    catalogue = load_catalogue()
    for position, ch in enumerate(catalogue.channels):
        Channel.objects.update_or_create(
            code=ch.code,
            defaults={
                "name": ch.name,
                "pinyin": ch.pinyin,
                "chinese": ch.chinese,
                "point_count": ch.point_count,
                "position": position,
            },
        )
    channels = {c.code: c for c in Channel.objects.all()}
    wanted = {p.code: _point_fields(p, i, channels) for i, p in enumerate(catalogue.points)}
    wanted[ASHI] = ASHI_ROW | {"position": len(wanted), "active": True}
    existing = {p.code: p for p in Acupoint.objects.all()}
    created = [Acupoint(code=code, **fields) for code, fields in wanted.items() if code not in existing]
    changed = []
    for code, point in existing.items():
        fields = wanted.get(code)
        if fields is None:
            fields = {"active": False}
        if any(getattr(point, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(point, k, v)
            changed.append(point)
    Acupoint.objects.bulk_create(created)
    names = sorted({k for f in wanted.values() for k in f} | {"active"})
    Acupoint.objects.bulk_update(changed, names)
    retired = sum(1 for p in changed if p.code not in wanted)
    return SyncReport(len(channels), len(wanted), len(created), len(changed) - retired, retired)


@cache
def planning_point_facts() -> Mapping[str, Any]:
    """What the planning engine needs to know of each point, straight from the data files."""
    return {p.code: p for p in load_catalogue().points}
