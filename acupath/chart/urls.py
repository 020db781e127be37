from django.urls import path

from acupath.chart import views as chart_views
from acupath.intake import views as intake_views
from acupath.patients import consent_views
from acupath.patients import views as patient_views
from acupath.planning import views as planning_views
from acupath.scheduling import views as scheduling_views
from acupath.treatment import views as treatment_views

app_name = "chart"
urlpatterns = [
    path("", patient_views.patient_list, name="patient_list"),
    path("new/", patient_views.patient_new, name="patient_new"),
    path("<uuid:patient_id>/", chart_views.patient_chart_view, name="patient_chart"),
    path("<uuid:patient_id>/consent/", consent_views.consent_sign, name="consent_sign"),
    path("<uuid:patient_id>/consent/<uuid:consent_id>/", consent_views.consent_detail, name="consent_detail"),
    path("consent-texts/<str:kind>/", consent_views.consent_text_edit, name="consent_text_edit"),
    path("<uuid:patient_id>/details/", patient_views.patient_edit, name="patient_edit"),
    path("<uuid:patient_id>/merge/", patient_views.patient_merge_view, name="patient_merge"),
    path("merges/<uuid:merge_id>/", patient_views.merge_detail, name="merge_detail"),
    path("merges/<uuid:merge_id>/reverse/", patient_views.merge_reverse, name="merge_reverse"),
    path("<uuid:patient_id>/consultations/new/", intake_views.consultation_new, name="consultation_new"),
    path(
        "<uuid:patient_id>/consultations/<uuid:consultation_id>/red-flags/",
        intake_views.red_flag_decision,
        name="red_flag_decision",
    ),
    path(
        "<uuid:patient_id>/referrals/<uuid:referral_id>/outcome/",
        intake_views.referral_outcome,
        name="referral_outcome",
    ),
    path(
        "<uuid:patient_id>/referrals/<uuid:referral_id>/letter.pdf",
        intake_views.referral_letter,
        name="referral_letter",
    ),
    path("<uuid:patient_id>/plans/new/", planning_views.plan_new, name="plan_new"),
    path("<uuid:patient_id>/sessions/new/", treatment_views.session_new, name="session_new"),
    path("<uuid:patient_id>/appointments/new/", scheduling_views.appointment_new, name="appointment_new"),
]
