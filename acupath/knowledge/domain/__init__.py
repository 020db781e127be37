"""Pure reference-data logic for the knowledge app: the acupoint catalogue and point codes.

Nothing in this package imports Django, so it can be used by domain rules and tests directly.
"""

from acupath.knowledge.domain.catalogue import (
    Angle,
    Catalogue,
    CatalogueError,
    Caution,
    ChannelRecord,
    DatasetHeader,
    Depth,
    PointRecord,
    Region,
    Tag,
    load_catalogue,
    strip_tones,
)
from acupath.knowledge.domain.codes import ASHI, UnknownPointCode, normalise_code, normalise_codes

__all__ = [
    "ASHI",
    "Angle",
    "Catalogue",
    "CatalogueError",
    "Caution",
    "ChannelRecord",
    "DatasetHeader",
    "Depth",
    "PointRecord",
    "Region",
    "Tag",
    "UnknownPointCode",
    "load_catalogue",
    "normalise_code",
    "normalise_codes",
    "strip_tones",
]
