from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "duban.inspections"
    label = "inspections"
    verbose_name = "督查检查与回头看"
