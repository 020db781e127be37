from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "acupath.measures"
    label = "measures"
