from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "acupath.planning"
    label = "planning"
