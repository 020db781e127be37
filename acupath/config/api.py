"""The one JSON API, /api/v1. Each app contributes a router; errors map to status codes here."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from acupath.accounts.api import router as auth_router
from acupath.accounts.services import TokenExpired, token_user
from acupath.core.errors import Conflict, Forbidden, NotFound, ServiceError
from acupath.followup.api import router as followup_router
from acupath.patients.api import router as patients_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> object | None:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Acupath API",
    version="1",
    urls_namespace="api-v1",
    # Bearer tokens for programs; the signed-in browser session for the app's own pages.
    auth=[BearerToken(), django_auth],
)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return api.create_response(request, {"detail": f"No {exc} with that id is visible to you."}, status=404)


@api.exception_handler(TokenExpired)
def _token_expired(request: HttpRequest, exc: TokenExpired) -> HttpResponse:
    (ended,) = exc.args
    detail = f"This token expired on {ended:%Y-%m-%d %H:%M} UTC. Ask for a new one with POST /api/v1/auth/token."
    return api.create_response(request, {"detail": detail}, status=401)


@api.exception_handler(Forbidden)
def _forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    body: dict[str, object] = {"detail": str(exc)}
    if exc.code:
        body["code"] = exc.code
    return api.create_response(request, body | exc.data, status=409)


@api.exception_handler(ServiceError)
def _invalid(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    detail = [{"loc": ["body", field], "msg": msg, "type": "value_error"} for field, msg in exc.errors.items()]
    return api.create_response(request, {"detail": detail, **exc.data}, status=422)


api.add_router("/auth", auth_router)
api.add_router("/patients", patients_router)
api.add_router("", "acupath.knowledge.api.router")  # /acupoints, /acupoints/{code}, /channels
api.add_router("/recurrence-watch", followup_router)
api.add_router("/patients", "acupath.patients.consent_api.router")  # /patients/{id}/consents
api.add_router("/patients", "acupath.planning.api.router")  # /patients/{id}/plans
api.add_router("", "acupath.scheduling.api.router")  # practitioners, availability, appointments, book-course
api.add_router("", "acupath.followup.api.appointments_router")  # /appointments/{id}/no-show
api.add_router("", "acupath.treatment.api.router")  # sessions, rooms, the room board
api.add_router("", "acupath.intake.api.router")  # /patients/{id}/consultations, /consultations/{id}/red-flag-decisions
api.add_router("", "acupath.measures.api.router")  # /patients/{id}/assessments
api.add_router("", "acupath.reassessment.api.router")  # /plans/{id}/reassessment-decisions
api.add_router("", "acupath.billing.api.router")  # /invoices
