import pytest

from conftest import bearer


@pytest.fixture
def one_token(api, monkeypatch):
    """Sign in once per user and test (checking a password is deliberately slow)."""
    issued: dict[int, dict[str, str]] = {}

    def headers(user):
        if user is None:
            return {}
        if user.pk not in issued:
            issued[user.pk] = bearer(user)
        return issued[user.pk]

    monkeypatch.setattr(api, "_headers", headers)
    return headers
