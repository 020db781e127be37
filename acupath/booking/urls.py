from django.urls import path

from acupath.booking.views import desk, public

app_name = "booking"
urlpatterns = [
    path("", public.book, name="book"),
    path("m/<str:token>/", public.manage, name="manage"),
    path("m/<str:token>/move/", public.move, name="move"),
    path("claim/<str:token>/", public.claim, name="claim"),
    path("requests/", desk.requests_list, name="requests"),
    path("requests/<uuid:request_id>/confirm/", desk.request_confirm, name="request_confirm"),
    path("requests/<uuid:request_id>/decline/", desk.request_decline, name="request_decline"),
    path("requests/<uuid:request_id>/contacted/", desk.request_contacted, name="request_contacted"),
    path("waitlist/", desk.waitlist_list, name="waitlist"),
    path("waitlist/offer-now/", desk.waitlist_offer_now, name="waitlist_offer_now"),
    path("waitlist/<uuid:entry_id>/remove/", desk.waitlist_entry_remove, name="waitlist_remove"),
    path("waitlist/add/<uuid:patient_id>/", desk.waitlist_add, name="waitlist_add"),
]
