"""JSON shapes of the reference data: acupoints and channels."""

from ninja import Schema

from acupath.knowledge import labels
from acupath.knowledge.domain.codes import ASHI
from acupath.knowledge.models import Acupoint


class DepthOut(Schema):
    min_cm: float
    max_cm: float
    angle: str


class CodedText(Schema):
    code: str
    label: str


class AcupointOut(Schema):
    code: str  # WHO form: BL23, EX-B2 (ASHI for the tender-point pseudo-code)
    pinyin: str
    pinyin_plain: str
    chinese: str
    english: str
    channel: str | None  # channel code, EX for extra points, null for ASHI
    number: int
    region: str
    location: str
    depth: DepthOut | None
    max_safe_depth_cm: float | None
    cautions: list[CodedText]
    tags: list[CodedText]
    aliases: list[str]

    @staticmethod
    def resolve_channel(obj: Acupoint) -> str | None:
        if obj.channel is not None:
            return obj.channel.code
        return None if obj.code == ASHI else "EX"

    @staticmethod
    def resolve_depth(obj: Acupoint) -> DepthOut | None:
        if obj.depth_min_cm is None or obj.depth_max_cm is None:
            return None
        return DepthOut(min_cm=obj.depth_min_cm, max_cm=obj.depth_max_cm, angle=obj.angle)

    @staticmethod
    def resolve_cautions(obj: Acupoint) -> list[CodedText]:
        return [CodedText(code=c, label=labels.CAUTIONS.get(c, c)) for c in obj.cautions]

    @staticmethod
    def resolve_tags(obj: Acupoint) -> list[CodedText]:
        return [CodedText(code=t, label=labels.TAGS.get(t, t)) for t in obj.tags]


class AcupointPage(Schema):
    items: list[AcupointOut]
    count: int


class ChannelOut(Schema):
    code: str
    name: str
    pinyin: str
    chinese: str
    point_count: int
