from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "acupath.followup"
    label = "followup"
    verbose_name = "No-shows and the recurrence watch"
