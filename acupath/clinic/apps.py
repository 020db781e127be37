from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "acupath.clinic"
    label = "clinic"
