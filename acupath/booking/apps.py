from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "acupath.booking"
    label = "booking"
    verbose_name = "Online booking and waitlist"

    def ready(self) -> None:
        from acupath.booking import tasks  # registers the worker's tasks once the apps are loaded

        tasks.register()
