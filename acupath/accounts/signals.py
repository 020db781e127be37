from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import pre_save
from django.dispatch import receiver

from acupath.accounts.models import ApiToken, User
from acupath.core.audit import audit_record
from acupath.core.models import AuditAction


@receiver(user_logged_in)
def _audit_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.SIGN_IN, entity="user", entity_id=user.pk)


@receiver(user_logged_out)
def _audit_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.SIGN_OUT, entity="user", entity_id=user.pk)


@receiver(pre_save, sender=User)
def _revoke_tokens_on_password_change_or_deactivation(sender: Any, instance: User, **kwargs: Any) -> None:
    """A new password or a deactivated account ends every API token of that user.

    Sessions end by Django itself: a session carries a hash of the password (so a new password
    signs out every other browser) and an inactive user is not signed in from a session.
    """
    if instance.pk is None:
        return
    before = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password or (before["is_active"] and not instance.is_active):
        ApiToken.objects.filter(user_id=instance.pk).delete()
