"""The calendar tables as the data migration leaves them, read through the public services."""

from datetime import date

import pytest

from duban.deadlines import services
from duban.deadlines.calendar import DeadlineResult
from duban.deadlines.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def test_years_2004_to_2026_are_published_from_chinesecalendar():
    years = CalendarYear.objects.order_by("year")
    assert [y.year for y in years] == list(range(2004, 2027))
    assert {(y.published, y.source) for y in years} == {(True, "chinesecalendar 1.11.0")}


def test_2026_holidays_and_makeup_workdays_are_the_official_ones():
    """State Council notice for 2026: 33 days off; makeup workdays 01-04, 02-14, 02-28, 05-09, 09-20, 10-10."""
    days_2026 = CalendarDay.objects.filter(date__year=2026)
    assert days_2026.filter(is_workday=False).count() == 33
    assert [(d.date.isoformat(), d.name) for d in days_2026.filter(is_workday=True)] == [
        ("2026-01-04", "元旦调休上班"),
        ("2026-02-14", "春节调休上班"),
        ("2026-02-28", "春节调休上班"),
        ("2026-05-09", "劳动节调休上班"),
        ("2026-09-20", "国庆节调休上班"),
        ("2026-10-10", "国庆节调休上班"),
    ]
    assert CalendarDay.objects.get(date=D("2026-02-17")).name == "春节"
    assert CalendarDay.objects.get(date=D("2026-02-17")).is_workday is False


@pytest.mark.parametrize(
    "function, start, n, end",
    [
        (services.add_working_days, "2026-02-13", 6, "2026-02-28"),
        (services.add_working_days, "2025-09-26", 4, "2025-10-09"),
        (services.add_calendar_days, "2026-02-05", 15, "2026-02-24"),
        (services.add_months, "2026-07-05", 3, "2026-10-08"),
    ],
)
def test_services_count_with_the_stored_calendar(function, start, n, end):
    """Seed 001 art. 9 (working days), seed 000 art. 5(3) (days), seed 001 art. 10 (months) over the
    official calendar (Civil Code arts. 201-203)."""
    assert function(D(start), n) == DeadlineResult(D(end), provisional=False)


@pytest.mark.parametrize("day, worked", [("2026-02-14", True), ("2026-02-16", False), ("2026-03-02", True)])
def test_is_working_day_reads_the_stored_calendar(day, worked):
    assert services.is_working_day(D(day)) is worked


def test_working_days_between_reads_the_stored_calendar():
    assert services.working_days_between(D("2026-09-30"), D("2026-10-09")) == 2
    assert services.working_days_between(D("2026-10-09"), D("2026-09-30")) == -2


def test_2027_is_provisional_until_published():
    """chinesecalendar 1.11.0 stops at 2026: a deadline reaching into 2027 is a Mon-Fri guess."""
    assert services.add_working_days(D("2026-12-31"), 1) == DeadlineResult(D("2027-01-01"), True, (2027,))
