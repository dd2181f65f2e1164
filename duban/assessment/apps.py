from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "duban.assessment"
    label = "assessment"
    verbose_name = "督查考核"

    def ready(self):
        from . import receivers  # noqa: F401
