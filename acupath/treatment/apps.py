from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "acupath.treatment"
    label = "treatment"
