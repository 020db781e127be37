"""The details a clinic keeps on a synthetic patient: address, contacts, referrer, identifier, consents.

Drawn from the patient's own random stream, so the demo is the same on every machine. Aadhaar
numbers are made valid (Verhoeff check digit) but start 9999, a range no real card uses here.
"""

import datetime as dt
import random
from typing import Any

from stdnum import verhoeff

from acupath.demo.names import FAMILY, GIVEN_FEMALE, GIVEN_MALE
from acupath.patients.domain.duplicates import phone_key
from acupath.patients.enums import ContactChannel, IdentifierType, Language

STREETS = (
    "MG Road", "Residency Road", "11th Main, Jayanagar", "CMH Road, Indiranagar", "80 Feet Road, Koramangala",
    "Sampige Road, Malleshwaram", "Bannerghatta Road", "Old Airport Road", "Hosur Road", "Kanakapura Road",
)  # fmt: skip
AREAS = (("Bengaluru", "5600"), ("Bengaluru", "5600"), ("Bengaluru", "5600"), ("Mysuru", "5700"), ("Tumakuru", "5721"))
PRACTICES = (
    "Jayanagar Family Clinic", "Manipal Hospital, Old Airport Road", "St John's Medical College Hospital",
    "Sakra Spine Centre", "Koramangala Physiotherapy",
)  # fmt: skip
LANGUAGES = (
    (Language.KANNADA, 35), (Language.ENGLISH, 30), (Language.HINDI, 15), (Language.TAMIL, 10),
    (Language.TELUGU, 6), (Language.MALAYALAM, 4),
)  # fmt: skip
NOTES = (
    "Prefers the ground-floor room (knee trouble).", "Pays by UPI.", "Comes with a daughter; call her about changes.",
    "Works shifts: offer early mornings.", "Hard of hearing on the left: speak on the right.",
)  # fmt: skip


def _aadhaar(rng: random.Random) -> str:
    body = "9999" + "".join(str(rng.randrange(10)) for _ in range(7))
    return body + verhoeff.calc_check_digit(body)


def patient_details(rng: random.Random, sex: str, family: str, phone: str, registered: dt.datetime) -> dict[str, Any]:
    """Column values for the patient row (attribute names), beyond name, birth date, sex and contact."""
    city, pin = rng.choice(AREAS)
    partner = rng.choice(GIVEN_MALE if sex == "female" else GIVEN_FEMALE)
    language = rng.choices([lang for lang, _ in LANGUAGES], [w for _, w in LANGUAGES])[0]
    channel = rng.choices((ContactChannel.WHATSAPP, ContactChannel.SMS, ContactChannel.EMAIL, ContactChannel.PHONE),
                          (50, 15, 25, 10))[0]  # fmt: skip
    values: dict[str, Any] = {
        "phone_key": phone_key(phone),
        "address": f"{rng.randrange(1, 400)}, {rng.choice(STREETS)}",
        "city": city,
        "postal_code": f"{pin}{rng.randrange(10, 99)}",
        "emergency_name": f"{partner} {family}",
        "emergency_relationship": rng.choice(("wife" if sex == "male" else "husband", "son", "daughter", "sister")),
        "emergency_phone": f"+91 {rng.randrange(70000, 99999)} {rng.randrange(10000, 99999)}",
        "language": language,
        "contact_channel": channel,
        "reminders_whatsapp_since": registered if channel == ContactChannel.WHATSAPP or rng.random() < 0.2 else None,
        "reminders_sms_since": registered if channel == ContactChannel.SMS else None,
        "reminders_email_since": registered if channel == ContactChannel.EMAIL or rng.random() < 0.3 else None,
        "desk_notes": rng.choice(NOTES) if rng.random() < 0.15 else "",
    }
    if rng.random() < 0.45:
        values |= {"identifier_type": IdentifierType.AADHAAR, "identifier": _aadhaar(rng)}
    if rng.random() < 0.35:
        doctor = f"Dr {rng.choice(GIVEN_FEMALE + GIVEN_MALE)} {rng.choice(FAMILY)}"
        values |= {"referrer_name": doctor, "referrer_practice": rng.choice(PRACTICES),
                   "referrer_contact": f"{doctor[3:].lower().replace(' ', '.')}@example.in"}  # fmt: skip
    return values
