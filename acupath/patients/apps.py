from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "acupath.patients"
    label = "patients"
