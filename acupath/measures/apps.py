from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "acupath.measures"
    label = "measures"

    def ready(self) -> None:
        from acupath.core.warmup import warmer_register
        from acupath.measures.charts import chart_draw_once
        from acupath.measures.domain.instruments import load_instruments

        warmer_register(load_instruments)
        warmer_register(chart_draw_once)  # pygal's first drawing reads its stylesheets
