from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "acupath.portal"
    label = "portal"
