from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "acupath.planning"
    label = "planning"

    def ready(self) -> None:
        from acupath.core.warmup import warmer_register
        from acupath.planning.domain.prescribe import load_rules

        warmer_register(load_rules)  # prescription, safety, course and advice rules
