from collections.abc import Sequence

from django.db.models import Q, QuerySet

from acupath.core.errors import ServiceError
from acupath.knowledge.body_chart import BodyChart, chart_layout
from acupath.knowledge.domain.catalogue import Region, load_catalogue, strip_tones
from acupath.knowledge.domain.codes import (
    ASHI,
    EXTRA_PREFIX,
    UnknownPointCode,
    compact,
    normalise_code,
    normalise_codes,
)
from acupath.knowledge.models import Acupoint, Channel


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
    """Active points matching a code (any spelling), pinyin (tone marks optional), English, channel or region.

    `channel` takes a channel code or legacy alias (BL, UB, Du) or EX for the extra points; `q` may
    also be a channel code or a region name. Unknown channels and regions are refused, named.
    One query for the page of results (the channel is joined in), whatever matches.
    """
    qs = Acupoint.objects.filter(active=True).select_related("channel")
    if channel:
        qs = _in_channel(qs, channel, field="channel")
    if region:
        qs = qs.filter(region=_region(region, field="region"))
    q = q.strip()
    if q:
        qs = qs.filter(_matching(q))
    return qs.order_by("position")


def _in_channel(qs: QuerySet[Acupoint], raw: str, field: str) -> QuerySet[Acupoint]:
    if compact(raw) == EXTRA_PREFIX:
        return qs.filter(channel__isnull=True).exclude(code=ASHI)
    code = load_catalogue().channel_for_prefix(raw)
    if code is None:
        known = ", ".join(c.code for c in load_catalogue().channels)
        raise ServiceError({field: f"Unknown channel {raw!r}: use one of {known}, or EX for the extra points."})
    return qs.filter(channel__code=code)


def _region(raw: str, field: str) -> str:
    wanted = raw.strip().lower().replace(" ", "_")
    if wanted not in set(Region):
        known = ", ".join(r.value for r in Region)
        raise ServiceError({field: f"Unknown region {raw!r}: use one of {known}."})
    return wanted


def _matching(q: str) -> Q:
    """A code in any spelling matches only that point; other text searches names, channel and region."""
    try:
        return Q(code=normalise_code(q))
    except UnknownPointCode:
        pass
    plain = strip_tones(q).lower()
    match = (
        Q(pinyin_plain__icontains=plain)
        | Q(pinyin_plain__icontains=plain.replace(" ", "").replace("-", ""))
        | Q(english__icontains=q)
        | Q(chinese__contains=q)
    )
    if (channel := load_catalogue().channel_for_prefix(q)) is not None:
        match |= Q(channel__code=channel)
    region = plain.replace(" ", "_")
    if region in set(Region):
        match |= Q(region=region)
    return match


class PointNotLoaded(LookupError):
    """A valid code whose point is not in this database (reference data not synced)."""


def acupoint_by_code(raw: str) -> Acupoint:
    """The point for any accepted spelling of its code, retired points included (records cite them).

    Raises UnknownPointCode naming `raw` as typed, or PointNotLoaded.
    """
    code = normalise_code(raw)
    point = Acupoint.objects.select_related("channel").filter(code=code).first()
    if point is None:
        raise PointNotLoaded(f"Point {code} is not loaded in this clinic's reference data (run `acupath demo`).")
    return point


def acupoint_page(*, q: str, channel: str, region: str, offset: int, limit: int) -> tuple[list[Acupoint], int]:
    """One page of `point_search` and the total count: two queries, whatever the page size."""
    qs = point_search(q=q, channel=channel, region=region)
    return list(qs[offset : offset + limit]), qs.count()


def channels_in_order() -> list[Channel]:
    return list(Channel.objects.order_by("position"))


def body_chart(view: str = "posterior") -> BodyChart:
    """The body chart for one view, with its points and channels placed: no query (data files only)."""
    return chart_layout(view)
