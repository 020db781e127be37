"""How a patient finds the clinic: name, address, phone and a map link, for pages and messages."""

from dataclasses import dataclass
from urllib.parse import urlencode

from acupath.clinic.models import Clinic, Location

MAP_SEARCH = "https://www.openstreetmap.org/search"


def map_url(address: str) -> str:
    """An OpenStreetMap search for the address: no API key, no tracking script, works on any phone."""
    one_line = ", ".join(line.strip() for line in address.splitlines() if line.strip())
    return f"{MAP_SEARCH}?{urlencode({'query': one_line})}" if one_line else ""


@dataclass(frozen=True)
class ClinicContact:
    name: str
    address: str
    phone: str

    @property
    def map_url(self) -> str:
        return map_url(self.address)

    @property
    def address_line(self) -> str:
        return ", ".join(line.strip() for line in self.address.splitlines() if line.strip())

    def lines(self) -> list[str]:
        """The contact block of a message, one fact a line, without the empty ones."""
        return [
            line
            for line in (
                self.name,
                self.address_line,
                f"Phone: {self.phone}" if self.phone else "",
                f"Map: {self.map_url}" if self.map_url else "",
            )
            if line
        ]


def clinic_contact(clinic: Clinic | None, location: Location | None) -> ClinicContact:
    """The clinic's contact for a visit at `location` (the clinic's first location when unknown)."""
    if location is None and clinic is not None:
        location = clinic.locations.order_by("id").first()
    return ClinicContact(
        name=clinic.name if clinic else "the clinic",
        address=location.address if location else "",
        phone=clinic.phone if clinic else "",
    )
