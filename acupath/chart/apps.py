from django.apps import AppConfig


class ChartConfig(AppConfig):
    name = "acupath.chart"
    label = "chart"
