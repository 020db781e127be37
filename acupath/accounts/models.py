import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    OWNER = "owner", "Owner / admin"
    PRACTITIONER = "practitioner", "Practitioner"
    FRONTDESK = "frontdesk", "Front desk"
    PATIENT = "patient", "Patient"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.FRONTDESK)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid")]


def token_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=80, default="API token")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=token_expiry)
    # Written at most once a minute (see token_user), so reads stay reads.
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token of {self.user_id} from {self.created_at:%Y-%m-%d}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)
