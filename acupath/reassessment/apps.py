from django.apps import AppConfig


class ReassessmentConfig(AppConfig):
    name = "acupath.reassessment"
    label = "reassessment"
    verbose_name = "Re-assessment decisions"
    default_auto_field = "django.db.models.BigAutoField"
