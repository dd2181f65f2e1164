"""Working-day arithmetic (duban/deadlines/calendar.py) over the official 2025-2026 schedules, no database.

Periods follow the Civil Code: art. 201 (the start day is not counted), art. 202 (a period in
months ends on the corresponding day, or the month's last day), art. 203 (a period ending on a
statutory holiday or rest day ends on the next working day).

Official schedules used (as chinesecalendar 1.11.0 records them):
2025 Spring Festival 01-28..02-04, makeup workdays Sun 01-26 and Sat 02-08;
2025 National Day + Mid-Autumn 10-01..10-08, makeup workdays Sun 09-28 and Sat 10-11;
2026 Spring Festival 02-15..02-23, makeup workdays Sat 02-14 and Sat 02-28;
2026 Mid-Autumn 09-25..09-27, National Day 10-01..10-07, makeup workdays Sun 09-20 and Sat 10-10.
"""

import random
from datetime import date, timedelta

import pytest

from duban.deadlines.calendar import (
    DeadlineResult,
    WorkCalendar,
    add_calendar_days,
    add_months,
    add_working_days,
    working_days_between,
)

D = date.fromisoformat


@pytest.mark.parametrize(
    "day, worked",
    [
        ("2025-01-26", True),  # Sunday, makeup workday for the Spring Festival
        ("2025-01-28", False),
        ("2025-02-04", False),  # Tuesday, last day of the 2025 Spring Festival
        ("2025-02-08", True),  # Saturday, makeup workday
        ("2025-09-28", True),  # Sunday, makeup workday for National Day
        ("2025-10-08", False),  # Wednesday, last day of 2025 National Day
        ("2025-10-11", True),  # Saturday, makeup workday
        ("2026-02-14", True),  # Saturday, makeup workday
        ("2026-02-23", False),  # Monday, last day of the 2026 Spring Festival
        ("2026-02-28", True),  # Saturday, makeup workday
        ("2026-09-20", True),  # Sunday, makeup workday
        ("2026-09-25", False),  # Friday, Mid-Autumn Festival
        ("2026-10-07", False),  # Wednesday, last day of 2026 National Day
        ("2026-10-08", True),  # Thursday after 2026 National Day: a working day
        ("2026-10-10", True),  # Saturday, makeup workday
        ("2026-03-07", False),  # an ordinary Saturday
        ("2026-03-09", True),  # an ordinary Monday
    ],
)
def test_official_schedule_decides_which_days_are_worked(official, day, worked):
    """Holidays and makeup workdays follow the State Council's yearly notice, other days Mon-Fri."""
    assert official.is_working_day(D(day)) is worked


@pytest.mark.parametrize(
    "start, n, end",
    [
        # 2025 Spring Festival: Friday 01-24, then Sunday 01-26 is worked, 01-28..02-04 are not.
        ("2025-01-24", 1, "2025-01-26"),
        ("2025-01-24", 2, "2025-01-27"),
        ("2025-01-24", 3, "2025-02-05"),
        ("2025-01-24", 6, "2025-02-08"),
        # 2025 National Day: Sunday 09-28 worked, 10-01..10-08 off, Saturday 10-11 worked.
        ("2025-09-26", 1, "2025-09-28"),
        ("2025-09-26", 4, "2025-10-09"),
        ("2025-09-26", 6, "2025-10-11"),
        ("2025-09-26", 7, "2025-10-13"),
        # 2026 Spring Festival: Saturday 02-14 worked, 02-15..02-23 off, Saturday 02-28 worked.
        ("2026-02-12", 2, "2026-02-14"),
        ("2026-02-12", 3, "2026-02-24"),
        ("2026-02-13", 5, "2026-02-27"),
        ("2026-02-13", 6, "2026-02-28"),
        ("2026-02-13", 7, "2026-03-02"),
        # 2026 Mid-Autumn and National Day: Sunday 09-20 worked, 09-25..27 and 10-01..07 off.
        ("2026-09-18", 1, "2026-09-20"),
        ("2026-09-18", 6, "2026-09-28"),
        ("2026-09-18", 9, "2026-10-08"),
        ("2026-09-18", 11, "2026-10-10"),
        ("2026-09-18", 12, "2026-10-12"),
        ("2026-09-30", 1, "2026-10-08"),
    ],
)
def test_working_days_skip_holidays_and_count_makeup_workdays(official, start, n, end):
    """Leader instructions are answered within 5 working days (seed 001 art. 9): only days worked count."""
    assert add_working_days(official, D(start), n) == DeadlineResult(D(end), provisional=False)


def test_instruction_received_during_spring_festival_is_due_on_the_makeup_saturday(official):
    """5 working days (seed 001 art. 9) from 2026-02-16 (a holiday): 02-24..02-27, then Saturday 02-28."""
    assert add_working_days(official, D("2026-02-16"), 5).date == D("2026-02-28")


@pytest.mark.parametrize(
    "start, n, end",
    [
        ("2026-03-02", 1, "2026-03-03"),  # Monday: the next day, not the same day
        ("2026-03-02", 5, "2026-03-09"),
        ("2026-03-06", 1, "2026-03-09"),  # Friday: the next Monday
    ],
)
def test_start_day_is_not_counted(official, start, n, end):
    """Civil Code art. 201: the day the period starts is not counted."""
    assert add_working_days(official, D(start), n).date == D(end)


def test_zero_working_days_ends_on_the_start_day_itself(official):
    """A period of length 0 ends where it starts, even on a holiday (nothing to count, art. 201)."""
    assert add_working_days(official, D("2026-02-16"), 0) == DeadlineResult(D("2026-02-16"), provisional=False)


@pytest.mark.parametrize(
    "start, n, end",
    [
        ("2026-03-02", 15, "2026-03-17"),  # a Tuesday: stays
        ("2026-03-02", 5, "2026-03-09"),  # Saturday 03-07 -> Monday 03-09
        ("2026-02-05", 15, "2026-02-24"),  # 02-20 is in the Spring Festival -> 02-24
        ("2026-02-09", 5, "2026-02-14"),  # Saturday 02-14 is a makeup workday: stays
        ("2026-09-16", 15, "2026-10-08"),  # 10-01 National Day -> 10-08
        ("2025-09-23", 5, "2025-09-28"),  # Sunday 09-28 is a makeup workday: stays
        ("2025-09-26", 5, "2025-10-09"),  # 10-01 -> after the 2025 holiday ending 10-08
    ],
)
def test_calendar_days_ending_on_a_rest_day_roll_to_the_next_working_day(official, start, n, end):
    """Ordinary items 15 days, urgent items 3-5 days (seed 000 art. 5(3)); Civil Code art. 203 moves a
    last day that is a holiday or rest day to the next working day."""
    assert add_calendar_days(official, D(start), n) == DeadlineResult(D(end), provisional=False)


@pytest.mark.parametrize(
    "start, n, end",
    [
        ("2025-01-31", 1, "2025-02-28"),  # no 31 February: the month's last day (a Friday)
        ("2024-01-31", 1, "2024-02-29"),  # leap year
        ("2026-01-31", 1, "2026-02-28"),  # Saturday 02-28 is a makeup workday: stays
        ("2026-08-31", 1, "2026-09-30"),
        ("2026-03-31", 2, "2026-06-01"),  # 05-31 is a Sunday -> Monday 06-01
        ("2026-07-05", 3, "2026-10-08"),  # 10-05 is National Day -> 10-08
        ("2026-04-15", 3, "2026-07-15"),
    ],
)
def test_months_end_on_the_corresponding_day_or_the_months_last_day(official, start, n, end):
    """Deputies' suggestions are answered within 3 months (seed 001 art. 10), counted per Civil Code
    art. 202 (corresponding day, else the month's last day) and art. 203 (roll past rest days)."""
    assert add_months(official, D(start), n) == DeadlineResult(D(end), provisional=False)


@pytest.mark.parametrize(
    "function, start, n, end, years",
    [
        (add_working_days, "2026-12-25", 10, "2027-01-08", (2027,)),  # 2027-01-01 guessed a working day
        (add_working_days, "2026-12-30", 1, "2026-12-31", ()),  # never looks at 2027
        (add_working_days, "2027-03-01", 0, "2027-03-01", (2027,)),
        (add_working_days, "2026-03-01", 0, "2026-03-01", ()),
        (add_calendar_days, "2026-12-20", 12, "2027-01-01", (2027,)),
        (add_calendar_days, "2026-12-20", 11, "2026-12-31", ()),
        (add_months, "2026-11-30", 3, "2027-03-01", (2027,)),  # 2027-02-28 is a Sunday
        (add_months, "2026-12-01", 13, "2028-01-03", (2028,)),  # only the last month is looked at
        (add_working_days, "2026-12-01", 300, "2028-01-25", (2027, 2028)),  # 22 + 261 + 17
    ],
)
def test_dates_in_unpublished_years_make_the_deadline_provisional(official, function, start, n, end, years):
    """Until the State Council publishes a year's schedule, its dates are guessed as Mon-Fri and the
    deadline is marked provisional with the years it depends on."""
    result = function(official, D(start), n)
    assert result == DeadlineResult(D(end), provisional=bool(years), provisional_years=years)


def test_override_in_an_unpublished_year_is_used_but_stays_provisional():
    """A holiday already entered for an unpublished year counts, but the year is still not complete."""
    cal = WorkCalendar({D("2027-01-01"): False}, published_years=[2026])
    assert add_working_days(cal, D("2026-12-31"), 1) == DeadlineResult(D("2027-01-04"), True, (2027,))


@pytest.mark.parametrize("function", [add_working_days, add_calendar_days, add_months])
@pytest.mark.parametrize("n", [-1, -30])
def test_negative_periods_are_rejected(official, function, n):
    with pytest.raises(ValueError):
        function(official, D("2026-03-02"), n)


@pytest.mark.parametrize(
    "function, n", [(add_working_days, 3651), (add_calendar_days, 3651), (add_months, 121)]
)
def test_absurdly_long_periods_are_rejected(official, function, n):
    """A period over ten years is a typing mistake, not a deadline."""
    with pytest.raises(ValueError):
        function(official, D("2026-03-02"), n)


@pytest.mark.parametrize("n", [True, 1.5, "5"])
def test_period_length_must_be_an_integer(official, n):
    with pytest.raises(TypeError):
        add_working_days(official, D("2026-03-02"), n)


def test_periods_beyond_the_last_representable_date_are_rejected(official):
    with pytest.raises(ValueError):
        add_calendar_days(official, date(9999, 12, 20), 30)


@pytest.mark.parametrize(
    "a, b, count",
    [
        ("2026-02-13", "2026-02-27", 5),
        ("2026-02-27", "2026-02-13", -5),  # the deadline has passed by 5 working days
        ("2026-02-13", "2026-02-13", 0),  # due today
        ("2026-09-30", "2026-10-08", 1),
        ("2025-12-31", "2026-01-05", 2),  # 01-01..03 off, Sunday 01-04 worked
        ("2026-02-13", "2026-02-14", 1),  # the makeup Saturday counts
        ("2026-02-14", "2026-02-23", 0),  # the whole Spring Festival counts nothing
        ("2026-03-06", "2026-03-08", 0),  # Friday to Sunday
    ],
)
def test_working_days_between_counts_days_after_a_up_to_b(official, a, b, count):
    """Working days left until a deadline (or overdue, negative), for the warning lights."""
    assert working_days_between(official, D(a), D(b)) == count


def test_working_days_between_agrees_with_counting_day_by_day(official):
    """The fast count equals walking the calendar one day at a time, over 2024-2027."""
    rng = random.Random(20260214)
    first = D("2024-01-01")
    for _ in range(300):
        a = first + timedelta(days=rng.randrange(4 * 365))
        b = a + timedelta(days=rng.randrange(-120, 120))
        lo, hi = min(a, b), max(a, b)
        walked = sum(official.is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
        assert working_days_between(official, a, b) == (walked if b >= a else -walked), (a, b)


@pytest.mark.parametrize("start", ["2025-01-20", "2025-09-22", "2026-02-10", "2026-09-15", "2026-12-20"])
def test_counting_back_a_working_day_deadline_gives_its_length(official, start):
    """working_days_between(start, add_working_days(start, n)) == n for every n."""
    for n in range(0, 40):
        end = add_working_days(official, D(start), n).date
        assert working_days_between(official, D(start), end) == n


@pytest.mark.parametrize("day,k,expected", [
    ("2026-10-09", -3, "2026-09-29"),  # back across the National Day holiday
    ("2026-09-30", 1, "2026-10-08"),
    ("2026-10-09", 1, "2026-10-10"),  # Saturday 10-10 is a makeup workday
    ("2026-10-12", 0, "2026-10-12"),
    ("2026-02-13", 1, "2026-02-14"),  # Saturday 02-14 is a makeup workday before the Spring Festival
])
def test_shift_working_days_both_ways(official, day, k, expected):
    from duban.deadlines.calendar import shift_working_days

    assert shift_working_days(official, D(day), k) == D(expected)
