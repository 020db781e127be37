from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "acupath.booking"
    label = "booking"
    verbose_name = "Online booking and waitlist"
