from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running an installation: backups, their verification after a restore, and the move from
    the embedded SQLite to PostgreSQL (issue 13, point 6; docs/operations.md). No models."""

    name = "duban.ops"
    label = "ops"
    verbose_name = "运维：备份、恢复与迁移"
