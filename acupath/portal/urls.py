from django.urls import path

from acupath.portal import consent, views

urlpatterns = [
    path("", views.home, name="home"),
    path("my/consent/", consent.portal_consent, name="portal_consent"),
]
