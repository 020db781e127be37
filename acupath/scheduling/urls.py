"""Scheduling pages under /schedule/ and the public calendar feeds under /feeds/."""

from django.urls import path

from acupath.scheduling.views import calendar_booking, calendars, course, desk_calendar, feeds, visits, week

app_name = "scheduling"
urlpatterns = [
    path("schedule/", desk_calendar.calendar_page, name="calendar"),
    path("schedule/calendar/feed/", desk_calendar.calendar_feed, name="calendar_feed"),
    path(
        "schedule/calendar/appointments/<uuid:appointment_id>/move/",
        desk_calendar.calendar_move,
        name="calendar_move",
    ),
    path("schedule/calendar/book/", calendar_booking.calendar_book, name="calendar_book"),
    path("schedule/calendar/patients/", calendar_booking.calendar_patient_matches, name="calendar_patients"),
    path("schedule/week/", week.week_view, name="week"),
    path("schedule/calendars/", calendars.calendars_index, name="calendars"),
    path("schedule/calendars/holidays/<int:holiday_id>/delete/", calendars.holiday_delete, name="holiday_delete"),
    path(
        "schedule/calendars/practitioners/<uuid:practitioner_id>/",
        calendars.practitioner_calendar_view,
        name="practitioner_calendar",
    ),
    path(
        "schedule/calendars/practitioners/<uuid:practitioner_id>/<str:kind>/<int:block_id>/delete/",
        calendars.rota_delete,
        name="rota_delete",
    ),
    path("schedule/calendars/types/new/", calendars.appointment_type_edit, name="type_new"),
    path("schedule/calendars/types/<uuid:type_id>/", calendars.appointment_type_edit, name="type_edit"),
    path("schedule/plans/<uuid:plan_id>/course/", course.course_book_view, name="course_book"),
    path("schedule/plans/<uuid:plan_id>/course/options/", course.course_row_options, name="course_options"),
    path(
        "schedule/appointments/<uuid:appointment_id>/cancel/", course.appointment_cancel_view, name="appointment_cancel"
    ),
    path("schedule/appointments/<uuid:appointment_id>/arrive/", visits.arrive_view, name="appointment_arrive"),
    path("schedule/appointments/<uuid:appointment_id>/check-in/", visits.check_in_view, name="appointment_check_in"),
    path("schedule/appointments/<uuid:appointment_id>/departure/", visits.departure_view, name="appointment_departure"),
    path("schedule/appointments/<uuid:appointment_id>/rebook/", course.course_rebook_view, name="course_rebook"),
    path("schedule/feeds/<uuid:practitioner_id>/", feeds.feed_settings, name="feed_settings"),
    path("feeds/<str:token>.ics", feeds.feed_view, name="feed"),
]
