from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from acupath.core.audit import audit_record
from acupath.core.models import AuditAction


@receiver(user_logged_in)
def _audit_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.SIGN_IN, entity="user", entity_id=user.pk)


@receiver(user_logged_out)
def _audit_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.SIGN_OUT, entity="user", entity_id=user.pk)
