from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "acupath.billing"
    label = "billing"
