from django.contrib import admin
from django.urls import include, path

from acupath.config.api import api
from acupath.core.views import healthz

urlpatterns = [
    path("", include("acupath.portal.urls")),
    path("accounts/", include("acupath.accounts.urls")),
    path("patients/", include("acupath.chart.urls")),
    path("points/", include("acupath.knowledge.urls")),
    path("patients/", include("acupath.measures.urls")),  # /patients/<id>/assessments/...
    path("patients/", include("acupath.reassessment.urls")),  # /patients/<id>/reassessment/
    path("my/", include("acupath.intake.portal_urls")),  # the patient's pre-visit questionnaire
    path("", include("acupath.treatment.urls")),  # /board/, /sessions/..., /adverse-events/
    path("book/", include("acupath.booking.urls")),
    path("followup/", include("acupath.followup.urls")),
    path("", include("acupath.scheduling.urls")),  # /schedule/... pages and /feeds/<token>.ics
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
]
