"""Sign-in resists guessing: the 6th try within the cool-off is refused, on the page and the API."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from acupath.accounts.lockout import LOCK, LOCKED_OUT, REFUSED_SIGN_IN
from acupath.accounts.models import Role
from acupath.core.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/sign-in/"
TOKEN = "/api/v1/auth/token"


def _fail(client, username: str, n: int) -> None:
    for _ in range(n):
        client.post(LOGIN, {"username": username, "password": "wrong-password-1"})


def test_five_failures_then_the_sixth_try_is_refused_even_with_the_right_password(client):
    user = UserFactory(username="anita")
    _fail(client, "anita", 4)
    assert client.post(LOGIN, {"username": "anita", "password": PASSWORD}).status_code == 302  # 4 failures: fine
    client.post(reverse("accounts:logout"))
    _fail(client, "anita", 5)
    answer = client.post(LOGIN, {"username": "anita", "password": PASSWORD})
    assert answer.status_code == 429
    assert answer["Retry-After"] == "900"
    assert "wait 15 minutes" in answer.content.decode()
    events = AuditEvent.objects.filter(entity_id=str(user.pk))
    assert events.filter(entity=LOCKED_OUT).count() >= 1
    assert events.filter(entity=REFUSED_SIGN_IN).count() >= 9
    assert events.filter(entity="user", action="sign_in").count() == 1
    assert not any(PASSWORD in e.summary or "wrong-password" in e.summary for e in AuditEvent.objects.all())


def test_the_address_is_locked_too_whatever_the_user_name(client):
    UserFactory(username="ravi")
    for n in range(5):
        client.post(LOGIN, {"username": f"guess{n}", "password": "wrong-password-1"})
    assert client.post(LOGIN, {"username": "ravi", "password": PASSWORD}).status_code == 429


def test_api_token_answers_429_with_retry_after(client):
    UserFactory(username="mohan")
    for _ in range(4):
        assert client.post(TOKEN, {"username": "mohan", "password": "nope"}, "application/json").status_code == 401
    # The 5th failure pauses sign-in (and says so); from the 6th try on, even the right password is refused.
    assert client.post(TOKEN, {"username": "mohan", "password": "nope"}, "application/json").status_code == 429
    answer = client.post(TOKEN, {"username": "mohan", "password": PASSWORD}, "application/json")
    assert answer.status_code == 429
    assert answer["Retry-After"] == "900"
    assert "15 minutes" in answer.json()["detail"]


def test_the_owner_unlocks_from_the_page_and_it_is_audited(client):
    user = UserFactory(username="sita")
    _fail(client, "sita", 5)
    owner = UserFactory(username="boss", role=Role.OWNER)
    client.force_login(owner)
    page = client.get(reverse("accounts:locked"))
    assert "sita" in page.content.decode()
    (lock,) = [lock for lock in page.context["locked"] if lock.username == "sita"]
    client.post(reverse("accounts:unlock", args=[lock.id]))
    client.post(reverse("accounts:logout"))
    assert client.post(LOGIN, {"username": "sita", "password": PASSWORD}).status_code == 302
    assert AuditEvent.objects.filter(entity=LOCK, entity_id=str(user.pk), actor=owner).exists()


def test_only_the_owner_sees_the_locked_list(client):
    client.force_login(UserFactory(role=Role.PRACTITIONER))
    assert client.get(reverse("accounts:locked")).status_code == 403


@pytest.mark.parametrize("password", ["acupath-demo", "password123", "psharma2026"])
def test_passwords_from_the_list_or_like_the_name_are_refused(password):
    user = UserFactory.build(username="psharma", first_name="Priya", last_name="Sharma")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_good_password_passes():
    validate_password("maple-orbit-kettle-93", UserFactory.build(username="psharma", first_name="Priya"))
