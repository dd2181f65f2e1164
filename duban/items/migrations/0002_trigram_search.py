"""Chinese substring search on PostgreSQL: trigram GIN indexes on title and number.

`title LIKE '%…%'` cannot use a b-tree; pg_trgm can, for patterns of three or more characters, in
a database whose LC_CTYPE is UTF-8 (docs/architecture.md). Skipped on SQLite, and skipped with a
warning where the role may not create the extension (then search still works, by scanning).
"""

import logging

from django.db import migrations

log = logging.getLogger(__name__)


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
                log.warning("pg_trgm not available (%s); item search will scan", exc)
                return
        cursor.execute("CREATE INDEX IF NOT EXISTS item_title_trgm ON items_item USING gin (title gin_trgm_ops)")
        cursor.execute("CREATE INDEX IF NOT EXISTS item_number_trgm ON items_item USING gin (number gin_trgm_ops)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS item_title_trgm")
        cursor.execute("DROP INDEX IF EXISTS item_number_trgm")


class Migration(migrations.Migration):
    dependencies = [("items", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
