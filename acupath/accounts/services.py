from django.contrib.auth import authenticate

from acupath.accounts.models import ApiToken, User
from acupath.core.audit import audit_record
from acupath.core.models import AuditAction


def token_issue(*, username: str, password: str) -> str | None:
    """Check the password and hand out a new bearer token, or None when the sign-in fails."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        return None
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash(key))
    audit_record(actor=user, action=AuditAction.SIGN_IN, entity="api_token", entity_id=user.pk, via="api")
    return key


def token_user(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    return token.user
