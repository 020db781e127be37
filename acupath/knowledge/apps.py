from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "acupath.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        from acupath.core.warmup import warmer_register
        from acupath.knowledge.body_chart import chart_layout
        from acupath.knowledge.services import planning_point_facts

        warmer_register(planning_point_facts)  # reads the point catalogue
        warmer_register(lambda: [chart_layout(view) for view in ("posterior", "anterior")])
