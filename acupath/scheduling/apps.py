from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "acupath.scheduling"
    label = "scheduling"

    def ready(self) -> None:
        from acupath.scheduling import tasks  # registers the worker's tasks once the apps are loaded

        tasks.register()
        from acupath.scheduling.services.visits import appointment_attend_for_session
        from acupath.treatment.services.close_hooks import on_session_close

        # Closing a session makes its appointment attended, in the same transaction.
        on_session_close(appointment_attend_for_session)
