from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "acupath.intake"
    label = "intake"

    def ready(self) -> None:
        from acupath.core.warmup import warmer_register
        from acupath.intake.domain.patterns import load_pattern_catalogue
        from acupath.intake.domain.red_flags import load_red_flags

        warmer_register(load_red_flags)
        warmer_register(load_pattern_catalogue)
