from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from acupath.accounts.models import User


class AuthedRequest(HttpRequest):
    """The request a signed-in view receives (login_required guarantees `user`)."""

    user: User
    htmx: HtmxDetails
