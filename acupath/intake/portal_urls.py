from django.urls import path

from acupath.intake import previsit

app_name = "previsit"
urlpatterns = [
    path("before-your-visit/", previsit.previsit_form, name="form"),
    path("before-your-visit/thanks/", previsit.previsit_done, name="done"),
]
