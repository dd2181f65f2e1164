"""get_calendar(): read once, and never stale after a change to the calendar tables.

The last two tests run in file order on purpose: the first changes the calendar in a test that is
rolled back afterwards, the second checks nothing of it is left in the cache.
"""

from datetime import date

import pytest
from django.db import transaction

from duban.deadlines import loader, services
from duban.deadlines.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
D = date.fromisoformat
MONDAY = D("2026-03-02")


def test_the_calendar_is_read_once_and_then_served_from_memory(django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(loader, "RECHECK_SECONDS", 3600)
    first = loader.get_calendar()
    with django_assert_num_queries(0):
        assert loader.get_calendar() is first
        services.add_working_days(D("2026-02-13"), 6)
        services.is_working_day(MONDAY)


def test_a_day_added_or_removed_changes_the_next_answer():
    """An admin marks an extra day off (e.g. a local holiday); deadlines see it at once."""
    assert services.is_working_day(MONDAY) is True
    day = CalendarDay.objects.create(date=MONDAY, is_workday=False, name="临时放假")
    assert services.is_working_day(MONDAY) is False
    assert services.add_working_days(D("2026-02-28"), 1).date == D("2026-03-03")
    day.delete()
    assert services.is_working_day(MONDAY) is True


def test_editing_a_day_in_place_changes_the_next_answer():
    day = CalendarDay.objects.get(date=D("2026-02-14"))
    assert services.is_working_day(day.date) is True
    day.is_workday = False
    day.save()
    assert services.is_working_day(day.date) is False


def test_unpublishing_a_year_makes_its_deadlines_provisional_again():
    services.add_working_days(MONDAY, 1)  # fill the cache
    CalendarYear.objects.filter(year=2026).get().delete()
    assert services.add_working_days(MONDAY, 1).provisional_years == (2026,)


def test_a_change_rolled_back_with_its_savepoint_is_forgotten():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            CalendarDay.objects.create(date=MONDAY, is_workday=False, name="临时放假")
            assert services.is_working_day(MONDAY) is False
            raise RuntimeError
    assert services.is_working_day(MONDAY) is True


def test_a_bulk_write_is_seen_after_invalidate_calendar():
    """Writes without model signals (bulk_create, update) call invalidate_calendar()."""
    services.is_working_day(MONDAY)
    CalendarDay.objects.bulk_create([CalendarDay(date=MONDAY, is_workday=False, name="临时放假")])
    loader.invalidate_calendar()
    assert services.is_working_day(MONDAY) is False


def test_another_process_publishing_is_noticed_on_the_next_recheck(monkeypatch):
    """A year published in another worker changes the tables without signals here."""
    monkeypatch.setattr(loader, "RECHECK_SECONDS", 0)
    assert services.add_working_days(D("2026-12-31"), 1).provisional is True
    CalendarYear.objects.bulk_create([CalendarYear(year=2027, published=True, source="另一进程")])
    assert services.add_working_days(D("2026-12-31"), 1).provisional is False


def test_step_1_a_test_changes_the_calendar_and_publishes_2027(publish_2027, django_capture_on_commit_callbacks):
    """Runs the commit hooks by hand, as a test of a schedule_published listener would."""
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=MONDAY, is_workday=False, name="临时放假")
        publish_2027()
    assert services.is_working_day(MONDAY) is False
    assert services.add_working_days(D("2026-12-31"), 1).provisional is False


def test_step_2_the_rolled_back_changes_of_the_previous_test_are_gone():
    assert services.is_working_day(MONDAY) is True
    assert services.add_working_days(D("2026-12-31"), 1).provisional is True
