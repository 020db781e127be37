from collections.abc import Sequence

from django.db.models import Q, QuerySet

from acupath.core.errors import ServiceError
from acupath.knowledge.domain.catalogue import strip_tones
from acupath.knowledge.domain.codes import UnknownPointCode, normalise_code, normalise_codes
from acupath.knowledge.models import Acupoint


def points_in_order(raw_codes: Sequence[str], field: str = "points") -> list[Acupoint]:
    """The points named by `raw_codes` (any accepted spelling), in the same order.

    Unknown codes are refused all at once, each named, never silently dropped.
    """
    try:
        codes = normalise_codes(list(raw_codes))
    except UnknownPointCode as exc:
        raise ServiceError({field: str(exc)}) from None
    found = {p.code: p for p in Acupoint.objects.filter(code__in=set(codes), active=True)}
    if missing := sorted({c for c in codes if c not in found}):
        raise ServiceError({field: f"Point(s) not loaded in this clinic's reference data: {', '.join(missing)}."})
    return [found[c] for c in codes]


def point_search(*, q: str = "", channel: str = "", region: str = "") -> QuerySet[Acupoint]:
    """Points matching a code (any spelling), pinyin (tone marks optional), English, channel or region."""
    qs = Acupoint.objects.filter(active=True).select_related("channel")
    if channel:
        qs = qs.filter(channel__code=channel.upper()) if channel.upper() != "EX" else qs.filter(channel__isnull=True)
    if region:
        qs = qs.filter(region=region)
    if q:
        try:
            return qs.filter(code=normalise_code(q))
        except UnknownPointCode:
            plain = strip_tones(q).lower()
            qs = qs.filter(Q(pinyin_plain__icontains=plain) | Q(english__icontains=q) | Q(chinese__contains=q))
    return qs.order_by("position")
