"""Sign-in lockout (django-axes does the counting): the answer a locked caller gets, the audit trail
of failures and lockouts, and the owner's list of locked accounts with an unlock."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt  # type: ignore[import-untyped]
from axes.signals import user_locked_out  # type: ignore[import-untyped]
from axes.utils import reset  # type: ignore[import-untyped]
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from acupath.accounts.models import User
from acupath.core.audit import audit_record
from acupath.core.models import AuditAction

# The audit log's actions are few and fixed (core); a refused sign-in, a lockout and an unlock are
# told apart by the entity they name (docs/decisions.md).
REFUSED_SIGN_IN = "sign_in_refused"
LOCKED_OUT = "account_locked"
LOCK = "account_lock"


def _cooloff() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)


def _via(request: Any) -> str:
    return "api" if request is not None and request.path.startswith("/api/") else "web"


def _user_id(username: object) -> str:
    return str(User.objects.filter(username=username).values_list("pk", flat=True).first() or "")


def lockout_response(request: HttpRequest, response: HttpResponse, credentials: Any) -> HttpResponse:
    """Too many failures: JSON 429 for programs, the sign-in page's own words for people."""
    minutes = settings.LOGIN_COOLOFF_MINUTES
    message = (
        f"Too many failed sign-ins. Sign-in is paused for {minutes} minutes; try again after that, "
        "or ask the clinic owner to unlock the account."
    )
    answer: HttpResponse
    if _via(request) == "api":
        answer = JsonResponse({"detail": message}, status=429)
    else:
        answer = render(request, "accounts/locked.html", {"minutes": minutes}, status=429)
    answer["Retry-After"] = str(minutes * 60)
    return answer


@receiver(user_login_failed)
def _audit_refused_sign_in(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    # The credentials carry the password: only the account's id is kept, never what was typed.
    audit_record(
        actor=None,
        action=AuditAction.SIGN_IN,
        entity=REFUSED_SIGN_IN,
        entity_id=_user_id(credentials.get("username")),
        summary="Wrong user name or password, or sign-in paused",
        via=_via(request),
    )


@receiver(user_locked_out)
def _audit_lockout(sender: Any, request: Any, username: Any = None, ip_address: Any = None, **kwargs: Any) -> None:
    audit_record(
        actor=None,
        action=AuditAction.SIGN_IN,
        entity=LOCKED_OUT,
        entity_id=_user_id(username),
        summary=f"Sign-in paused for {settings.LOGIN_COOLOFF_MINUTES} minutes after repeated failures",
        via=_via(request),
    )


@dataclass(frozen=True)
class LockedAccount:
    id: int
    username: str
    address: str
    failures: int
    until: dt.datetime


def locked_accounts() -> list[LockedAccount]:
    """Sign-ins paused now: by user name, by address or both (one query)."""
    since = timezone.now() - _cooloff()
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.LOGIN_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")
    return [
        LockedAccount(a.pk, a.username or "", a.ip_address or "", a.failures_since_start, a.attempt_time + _cooloff())
        for a in attempts
    ]


def account_unlock(*, actor: User, attempt_id: int) -> bool:
    """The owner lifts a lockout: the user name and the address may sign in again at once."""
    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        return False
    with transaction.atomic():
        if attempt.username:
            reset(username=attempt.username)
        if attempt.ip_address:
            reset(ip=attempt.ip_address)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            entity=LOCK,
            entity_id=_user_id(attempt.username),
            summary="Sign-in lockout lifted by the owner",
        )
    return True
