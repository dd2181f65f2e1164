from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "duban.deadlines"
    label = "deadlines"
    verbose_name = "办理时限与工作日"

    def ready(self):
        # Connects the receivers that keep the cached calendar in step with its tables.
        from duban.deadlines import loader, receivers  # noqa: F401
