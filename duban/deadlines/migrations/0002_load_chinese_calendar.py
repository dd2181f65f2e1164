"""Fill the calendar with the official schedules chinesecalendar knows (2004-2026 in 1.11.0).

Every year it knows is marked published. Later years are entered by an admin from the State
Council's notice (admin 官方安排, or ``manage.py calendar_publish_year``).
"""

from django.db import migrations


def _source():
    from duban.deadlines.official import source

    return source()


def load(apps, schema_editor):
    from duban.deadlines.official import load_official

    load_official(
        apps.get_model("deadlines", "CalendarYear"), apps.get_model("deadlines", "CalendarDay"),
        using=schema_editor.connection.alias,
    )


def unload(apps, schema_editor):
    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    alias = schema_editor.connection.alias
    source = _source()
    CalendarDay.objects.using(alias).filter(source=source).delete()
    CalendarYear.objects.using(alias).filter(source=source).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
