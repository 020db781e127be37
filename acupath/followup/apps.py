from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "acupath.followup"
    label = "followup"
    verbose_name = "No-shows and the recurrence watch"

    def ready(self) -> None:
        from acupath.followup import tasks  # registers the worker's tasks once the apps are loaded

        tasks.register()
