from django.urls import path

from acupath.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.work_list, name="work_list"),
    path("patients/<uuid:patient_id>/book-next/", views.book_next, name="book_next"),
    path("attendance/", views.attendance, name="attendance"),
    path("appointments/<uuid:appointment_id>/no-show/", views.mark_no_show, name="mark_no_show"),
    path("no-shows/", views.no_shows, name="no_shows"),
]
