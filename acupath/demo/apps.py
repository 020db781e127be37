from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "acupath.demo"
    label = "demo"
