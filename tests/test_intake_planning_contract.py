"""The body sites intake records for broken skin are exactly the regions planning's safety rule reads."""

from acupath.intake.enums import SkinSite
from acupath.planning.domain.facts import BodyRegion


def test_every_skin_site_is_a_catalogue_region_and_back():
    assert set(SkinSite.values) == {region.value for region in BodyRegion}
