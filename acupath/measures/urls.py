from django.urls import path

from acupath.measures import views

app_name = "measures"
urlpatterns = [
    path("<uuid:patient_id>/assessments/", views.assessment_list, name="assessment_list"),
    path("<uuid:patient_id>/assessments/new/", views.assessment_new, name="assessment_new"),
]
