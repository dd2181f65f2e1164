from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = "duban.items"
    label = "items"
    verbose_name = "督查事项"

    def ready(self):
        from . import receivers  # noqa: F401
