"""/api/v1/acupoints and /api/v1/channels: reference data, readable by any signed-in user.

Reference data is not patient data: no access rule beyond being signed in (token or session),
which the API's global authentication already enforces (anonymous callers get 401).
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from acupath.knowledge.domain.codes import UnknownPointCode
from acupath.knowledge.models import Acupoint, Channel
from acupath.knowledge.schemas import AcupointOut, AcupointPage, ChannelOut
from acupath.knowledge.selectors import PointNotLoaded, acupoint_by_code, acupoint_page, channels_in_order

router = Router(tags=["reference"])


class AcupointQuery(Schema):
    q: str = ""
    channel: str = ""
    region: str = ""
    offset: int = 0
    limit: int = 50


@router.get("/acupoints", response=AcupointPage)
def list_acupoints(request: HttpRequest, params: Query[AcupointQuery]) -> dict[str, Any]:
    limit = max(1, min(params.limit, 400))
    items, count = acupoint_page(
        q=params.q, channel=params.channel, region=params.region, offset=max(0, params.offset), limit=limit
    )
    return {"items": items, "count": count}


@router.get("/acupoints/{code}", response=AcupointOut)
def get_acupoint(request: HttpRequest, code: str) -> Acupoint:
    try:
        return acupoint_by_code(code)
    except (UnknownPointCode, PointNotLoaded) as exc:
        raise HttpError(404, str(exc)) from None


@router.get("/channels", response=list[ChannelOut])
def list_channels(request: HttpRequest) -> list[Channel]:
    return channels_in_order()
