from django.urls import path

from acupath.treatment import views

app_name = "treatment"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/<uuid:location_id>/", views.board, name="board_location"),
    path("sessions/start/", views.session_start_view, name="session_start"),
    path("sessions/start/patients/", views.session_start_patients, name="session_start_patients"),
    path("sessions/<uuid:session_id>/", views.session_page, name="session_page"),
    path("sessions/<uuid:session_id>/point-row/", views.point_row, name="point_row"),
    path("sessions/<uuid:session_id>/needles/", views.session_needles, name="session_needles"),
    path("sessions/<uuid:session_id>/removal/", views.session_removal, name="session_removal"),
    path("sessions/<uuid:session_id>/close/", views.session_close_view, name="session_close"),
    path("sessions/<uuid:session_id>/adverse-events/", views.adverse_event_new, name="adverse_event_new"),
    path("adverse-events/", views.adverse_report, name="adverse_report"),
    path("adverse-events/<uuid:event_id>/", views.adverse_event_page, name="adverse_event_page"),
    path("adverse-events/<uuid:event_id>/follow-up/", views.adverse_event_follow_up_view, name="adverse_follow_up"),
    path(
        "adverse-events/<uuid:event_id>/acknowledge/", views.adverse_alert_acknowledge_view, name="adverse_acknowledge"
    ),
]
