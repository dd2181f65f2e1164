from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "duban.portal"
    verbose_name = "公开门户"
    default_auto_field = "django.db.models.BigAutoField"
