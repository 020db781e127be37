from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "acupath.intake"
    label = "intake"
