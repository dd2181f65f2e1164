from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "duban.ledgers"
    label = "ledgers"
    verbose_name = "分解与整改台账"
