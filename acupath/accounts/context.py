from typing import Any

from django.http import HttpRequest

from acupath.accounts.permissions import ROLE_CAPABILITIES


def role(request: HttpRequest) -> dict[str, Any]:
    """Expose the signed-in user's capabilities so templates show only what they may use."""
    user = getattr(request, "user", None)
    caps = ROLE_CAPABILITIES.get(getattr(user, "role", ""), frozenset()) if user and user.is_authenticated else ()
    return {"caps": {c.value for c in caps}}
