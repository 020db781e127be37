import datetime as dt

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone

from acupath.accounts.models import ApiToken, User
from acupath.core.audit import audit_record
from acupath.core.models import AuditAction

# A token's last use is kept to the minute: one write a minute per token, not one per request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenExpired(Exception):
    """The token was right but its time is up."""


def token_issue(*, request: HttpRequest, username: str, password: str, name: str = "API token") -> str | None:
    """Check the password and hand out a new bearer token, or None when the sign-in fails.

    The request goes to authenticate() so the lockout (django-axes) counts the failure and can refuse.
    """
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        return None
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key), name=name)
    audit_record(actor=user, action=AuditAction.SIGN_IN, entity="api_token", entity_id=token.pk, via="api")
    return key


def token_user(key: str) -> User | None:
    """The active user a token belongs to; raises TokenExpired for a token past its end."""
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenExpired(token.expires_at)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke(*, user: User, token_id: int) -> bool:
    """The owner of a token ends it; another user's token is not found."""
    deleted, _ = ApiToken.objects.filter(pk=token_id, user=user).delete()
    if deleted:
        audit_record(actor=user, action=AuditAction.UPDATE, entity="api_token", entity_id=token_id, summary="Revoked")
    return bool(deleted)
