from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "acupath.scheduling"
    label = "scheduling"

    def ready(self) -> None:
        from acupath.scheduling import tasks  # registers the worker's tasks once the apps are loaded

        tasks.register()
