"""Tokens that end: a name, an expiry, a last use, listed and revoked by their owner."""

import datetime as dt

import pytest
from django.utils import timezone

from acupath.accounts.models import ApiToken
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _token(client, user, name="laptop") -> str:
    answer = client.post(
        "/api/v1/auth/token", {"username": user.username, "password": PASSWORD, "name": name}, "application/json"
    )
    assert answer.status_code == 200, answer.content
    return answer.json()["token"]


def _get(client, key, path="/api/v1/auth/tokens"):
    return client.get(path, headers={"Authorization": f"Bearer {key}"})


def test_a_token_lasts_30_days_and_lists_without_its_key(client):
    user = UserFactory()
    key = _token(client, user)
    token = ApiToken.objects.get(user=user)
    assert token.name == "laptop"
    assert dt.timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    listed = _get(client, key).json()
    assert [t["name"] for t in listed] == ["laptop"]
    assert key not in str(listed) and "key_hash" not in listed[0]
    assert listed[0]["last_used_at"] is not None


def test_last_use_is_written_at_most_once_a_minute(client, django_assert_num_queries):
    user = UserFactory()
    key = _token(client, user)
    _get(client, key)
    with django_assert_num_queries(2):  # the token with its user, the list: no update
        _get(client, key)


def test_an_expired_token_answers_401_saying_so(client):
    user = UserFactory()
    key = _token(client, user)
    ApiToken.objects.filter(user=user).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    answer = _get(client, key)
    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]


def test_the_owner_revokes_a_token_and_another_users_answers_404(client):
    user, other = UserFactory(), UserFactory()
    key, spare = _token(client, user, "one"), _token(client, user, "two")
    others = ApiToken.objects.get(user=other) if _token(client, other) else None
    assert (
        client.delete(f"/api/v1/auth/tokens/{others.pk}", headers={"Authorization": f"Bearer {key}"}).status_code == 404
    )
    mine = ApiToken.objects.get(user=user, name="two")
    assert (
        client.delete(f"/api/v1/auth/tokens/{mine.pk}", headers={"Authorization": f"Bearer {key}"}).status_code == 204
    )
    assert _get(client, spare).status_code == 401
    assert _get(client, key).status_code == 200


def test_a_password_change_ends_every_token_and_session(client):
    user = UserFactory()
    key = _token(client, user)
    client.force_login(user)
    assert client.get("/").status_code == 200
    user.set_password("a-fresh-long-password-7")
    user.save()
    assert _get(client, key).status_code == 401
    assert client.get("/").status_code == 302  # the session is gone: back to sign-in


def test_deactivation_ends_every_token(client):
    user = UserFactory()
    _token(client, user)
    user.is_active = False
    user.save()
    assert not ApiToken.objects.filter(user=user).exists()
