from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organisation and its work: the top layer, above every app it seeds (seed_demo)."""

    name = "duban.demo"
    label = "demo"
    verbose_name = "演示数据"
