import pytest
from django.core.cache import caches
from django.test import Client, RequestFactory
from django.utils import timezone

from acupath.accounts.models import ApiToken, Role
from acupath.accounts.services import token_issue
from acupath.knowledge.services import reference_sync
from tests.factories import PASSWORD, ClinicFactory, PatientFactory, PractitionerFactory, RoomFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_process_cache():
    """Each test starts with an empty per-process cache. A hot value cached by an earlier test (the
    clinic's zone and name, for 300 s) must neither leak another test's clinic into this one nor
    expire in the middle of a pinned query count (it did, on a slow run: 13 queries for 12)."""
    caches["default"].clear()


@pytest.fixture
def reference(db):
    reference_sync()


@pytest.fixture
def clinic(db):
    return ClinicFactory()


@pytest.fixture
def practitioner(clinic):
    return PractitionerFactory(clinic=clinic, user=UserFactory(username="doc", role=Role.PRACTITIONER))


@pytest.fixture
def owner(db):
    return UserFactory(username="boss", role=Role.OWNER)


@pytest.fixture
def frontdesk(db):
    return UserFactory(username="desk", role=Role.FRONTDESK)


@pytest.fixture
def room(clinic):
    return RoomFactory(location__clinic=clinic)


@pytest.fixture
def patient(clinic):
    return PatientFactory(clinic=clinic, given_name="Asha", family_name="Rao")


@pytest.fixture
def patient_user(patient):
    user = UserFactory(username="asha", role=Role.PATIENT)
    patient.user = user
    patient.save()
    return user


def bearer(user) -> dict[str, str]:
    token = token_issue(request=RequestFactory().post("/api/v1/auth/token"), username=user.username, password=PASSWORD)
    assert token
    # As a token in steady use: its last-used time is written at most once a minute, so pinned query
    # counts see the usual request, not the first one of the minute (tests/security pin that write).
    ApiToken.objects.filter(key_hash=ApiToken.hash(token)).update(last_used_at=timezone.now())
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def api():
    """A JSON client: api.get(path, user=...) signs in with a bearer token for that user."""

    class Api:
        def __init__(self) -> None:
            self.client = Client()

        def _headers(self, user):
            return bearer(user) if user is not None else {}

        def get(self, path, user=None, **params):
            return self.client.get(path, params, **self._headers(user))

        def post(self, path, data=None, user=None):
            return self.client.post(path, data or {}, content_type="application/json", **self._headers(user))

    return Api()


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
