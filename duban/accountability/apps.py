from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "duban.accountability"
    label = "accountability"
    verbose_name = "督查问责"

    def ready(self):
        from . import receivers  # noqa: F401
