"""publish_year: an admin enters the State Council's schedule for a new year."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from duban.deadlines import services
from duban.deadlines.calendar import DeadlineResult
from duban.deadlines.models import CalendarDay, CalendarYear
from duban.deadlines.signals import schedule_published

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def received():
    """The years announced through schedule_published, with the deadline the listener then computes."""
    calls = []

    def listener(sender, year, **kwargs):
        calls.append((year, services.add_working_days(D("2026-12-31"), 1)))

    schedule_published.connect(listener)
    yield calls
    schedule_published.disconnect(listener)


def test_publishing_2027_makes_its_deadlines_final(publish_2027):
    """Once the 2027 schedule is in, New Year's Day 2027 is off and the deadline is no longer provisional."""
    assert services.add_working_days(D("2026-12-31"), 1).provisional_years == (2027,)
    publish_2027()
    assert services.add_working_days(D("2026-12-31"), 1) == DeadlineResult(D("2027-01-04"), provisional=False)
    assert services.is_working_day(D("2027-02-20")) is True  # the makeup Saturday


def test_publishing_records_what_and_who(publish_2027, admin_user):
    year = publish_2027(source="国务院办公厅通知 国办发明电〔2026〕9号", by=admin_user)
    year.refresh_from_db()
    assert (year.year, year.published, year.source, year.published_by) == (
        2027, True, "国务院办公厅通知 国办发明电〔2026〕9号", admin_user
    )
    assert year.published_at is not None
    assert CalendarDay.objects.filter(date__year=2027).count() == 12
    assert set(CalendarDay.objects.filter(date__year=2027).values_list("source", flat=True)) == {
        "国务院办公厅通知 国办发明电〔2026〕9号"
    }


def test_publishing_again_replaces_the_years_days():
    """A corrected notice replaces the earlier entry: days no longer listed go away."""
    services.publish_year(2026, [(D("2026-01-01"), "元旦")], [], source="更正")
    assert list(CalendarDay.objects.filter(date__year=2026).values_list("date", "name")) == [(D("2026-01-01"), "元旦")]
    assert services.is_working_day(D("2026-02-16")) is True
    assert CalendarDay.objects.filter(date__year=2025).count() == 33  # other years untouched


def test_listeners_hear_of_the_year_only_after_commit(publish_2027, received, django_capture_on_commit_callbacks):
    """The items app recomputes provisional deadlines on schedule_published; it must see the new days."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish_2027()
    assert received == []
    for callback in callbacks:
        callback()
    assert received == [(2027, DeadlineResult(D("2027-01-04"), provisional=False))]


def test_a_rolled_back_publication_is_neither_announced_nor_kept(
    publish_2027, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                publish_2027()
                raise RuntimeError("the admin's request failed later")
    assert received == []
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert services.add_working_days(D("2026-12-31"), 1) == DeadlineResult(D("2027-01-01"), True, (2027,))


@pytest.mark.parametrize(
    "holidays, workdays, source, message",
    [
        ([(D("2028-01-01"), "元旦")], [], "通知", "2028-01-01 不在2027年"),
        ([(D("2027-01-01"), "元旦")], [(D("2027-01-01"), "调休上班")], "通知", "2027-01-01 出现了不止一次"),
        ([(D("2027-01-01"), "元旦")], [], "  ", "请填写来源"),
        ([], [(D("2027-02-20"), "调休上班")], "通知", "没有任何放假日"),
    ],
)
def test_inconsistent_schedules_are_refused_and_nothing_changes(holidays, workdays, source, message, received):
    with pytest.raises(ValidationError) as error:
        services.publish_year(2027, holidays, workdays, source=source)
    assert any(message in m for m in error.value.messages), error.value.messages
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert received == []
