from django.urls import path

from acupath.portal import views

urlpatterns = [path("", views.home, name="home")]
