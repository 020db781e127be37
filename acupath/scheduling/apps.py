from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "acupath.scheduling"
    label = "scheduling"
