"""Chinese substring search of the portal on PostgreSQL: trigram GIN indexes on every searched column
(an OR of four columns is served by a BitmapOr only if each has an index). Skipped on SQLite, and
skipped with a warning where the role may not create the extension (search then scans)."""

import logging

from django.db import migrations

log = logging.getLogger(__name__)
COLUMNS = ("title", "reference", "unit_name", "body")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                cursor.execute("SAVEPOINT duban_trgm")
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                cursor.execute("RELEASE SAVEPOINT duban_trgm")
            except Exception as exc:  # no privilege: search falls back to scanning
                cursor.execute("ROLLBACK TO SAVEPOINT duban_trgm")
                log.warning("pg_trgm not available (%s); portal search will scan", exc)
                return
        for column in COLUMNS:
            cursor.execute(f"CREATE INDEX IF NOT EXISTS publication_{column}_trgm ON portal_publication "
                           f"USING gin ({column} gin_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for column in COLUMNS:
            cursor.execute(f"DROP INDEX IF EXISTS publication_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
