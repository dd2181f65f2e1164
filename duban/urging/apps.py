from django.apps import AppConfig


class UrgingConfig(AppConfig):
    name = "duban.urging"
    label = "urging"
    verbose_name = "催办督办"

    def ready(self):
        from . import receivers  # noqa: F401
