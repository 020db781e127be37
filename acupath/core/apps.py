from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "acupath.core"
    label = "core"
