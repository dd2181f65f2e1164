from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "duban.proposals"
    verbose_name = "建议提案办理"
    default_auto_field = "django.db.models.BigAutoField"
