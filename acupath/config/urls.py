from django.contrib import admin
from django.urls import include, path

from acupath.config.api import api

urlpatterns = [
    path("", include("acupath.portal.urls")),
    path("accounts/", include("acupath.accounts.urls")),
    path("patients/", include("acupath.chart.urls")),
    path("points/", include("acupath.knowledge.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
