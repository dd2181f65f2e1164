from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running an installation: health and metrics (issue 13, points 4-5), backups, their
    verification after a restore, and the move from the embedded SQLite to PostgreSQL (point 6;
    docs/operations.md). No models."""

    name = "duban.ops"
    label = "ops"
    verbose_name = "运维：监控、备份与迁移"
