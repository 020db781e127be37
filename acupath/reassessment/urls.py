from django.urls import path

from acupath.reassessment import views

app_name = "reassessment"
urlpatterns = [
    path("<uuid:patient_id>/reassessment/", views.reassessment_prompt, name="prompt"),
]
