from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "acupath.scheduling"
    label = "scheduling"

    def ready(self) -> None:
        from acupath.scheduling import tasks  # registers the worker's tasks once the apps are loaded

        tasks.register()
        # A booking's claim on its patient names them by key: a patient merge must move it too.
        from acupath.patients.services import patient_key_register
        from acupath.scheduling.models import SlotClaim
        from acupath.scheduling.services.appointments import resource

        patient_key_register(SlotClaim, "resource", lambda patient: resource("patient", patient.pk))
        from acupath.scheduling.services.visits import appointment_attend_for_session
        from acupath.treatment.services.close_hooks import on_session_close

        # Closing a session makes its appointment attended, in the same transaction.
        on_session_close(appointment_attend_for_session)
