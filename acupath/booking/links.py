"""Signed links in e-mails: manage a request (cancel, reschedule) and claim a waitlist offer.

The token carries only the record's public id, signed with the installation's secret key and a
timestamp (django.core.signing), so it cannot be forged or edited and stops working after its age.
"""

import datetime as dt
import uuid

from django.core import signing

MANAGE_SALT = "acupath.booking.manage"
CLAIM_SALT = "acupath.booking.claim"


class LinkInvalid(Exception):
    """The link was altered, is incomplete or was never issued by this clinic."""


class LinkExpired(Exception):
    """The link was genuine but is older than it may be."""


def make_token(public_id: uuid.UUID, salt: str) -> str:
    return signing.dumps(str(public_id), salt=salt)


def read_token(token: str, salt: str, max_age: dt.timedelta) -> uuid.UUID:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise LinkInvalid from None
