from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "acupath.knowledge"
    label = "knowledge"
