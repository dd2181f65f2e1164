from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-in and its guards: lockout, second factor, identity providers, configuration audit."""

    name = "duban.accounts"
    verbose_name = "登录与审计"

    def ready(self):
        from . import receivers  # noqa: F401
