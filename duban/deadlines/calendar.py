"""Working-day arithmetic over the official calendar: plain functions over dates, no database.

Periods are counted as the Civil Code says (arts. 201-203): the day the period starts is not
counted; a period in months ends on the corresponding day of the last month, or on that month's
last day where there is none; a period whose last day is a statutory holiday or rest day ends on
the next working day.

The calendar knows only what the State Council has published. A date in a year whose schedule is
not published yet is guessed as Mon-Fri; every result that looked at such a date says so
(``provisional``), so it can be recomputed when the notice comes out.
"""

from __future__ import annotations

import bisect
import calendar as _stdlib_calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

# About ten years: larger periods are typing mistakes, and they would run past date.max.
MAX_DAYS = 3650
MAX_MONTHS = 120


@dataclass(frozen=True)
class DeadlineResult:
    date: date
    provisional: bool
    # Years not yet published that the computation looked at, ascending.
    provisional_years: tuple[int, ...] = ()


class WorkCalendar:
    """Which days are worked: published overrides, else Mon-Fri.

    ``overrides`` maps a date to ``False`` (holiday) or ``True`` (makeup workday on a weekend);
    ``published_years`` are the years whose official schedule is complete.
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None, published_years: Iterable[int] = ()):
        self._overrides: dict[date, bool] = dict(overrides or {})
        self.published_years: frozenset[int] = frozenset(published_years)
        # For working_days_between: the overrides that change a Mon-Fri count, sorted by date,
        # with the running sum of their effect (+1 makeup weekend day, -1 weekday holiday).
        deltas = sorted(
            (d, (1 if worked else -1))
            for d, worked in self._overrides.items()
            if worked != _is_weekday(d)
        )
        self._delta_dates = [d for d, _ in deltas]
        self._delta_sums = [0]
        for _, delta in deltas:
            self._delta_sums.append(self._delta_sums[-1] + delta)

    def __repr__(self):
        return f"<WorkCalendar {len(self._overrides)} overrides, published {sorted(self.published_years)}>"

    def is_working_day(self, d: date) -> bool:
        override = self._overrides.get(d)
        if override is not None:
            return override
        return _is_weekday(d)

    def is_published(self, year: int) -> bool:
        return year in self.published_years

    def _adjustment(self, after: date, up_to: date) -> int:
        """Sum of the override effects on dates in (after, up_to]."""
        lo = bisect.bisect_right(self._delta_dates, after)
        hi = bisect.bisect_right(self._delta_dates, up_to)
        return self._delta_sums[hi] - self._delta_sums[lo]


class _Trace:
    """Remembers the unpublished years a computation looked at."""

    def __init__(self, cal: WorkCalendar):
        self.cal = cal
        self.years: set[int] = set()

    def is_working_day(self, d: date) -> bool:
        self.look_at(d)
        return self.cal.is_working_day(d)

    def look_at(self, d: date) -> None:
        if d.year not in self.cal.published_years:
            self.years.add(d.year)

    def result(self, d: date) -> DeadlineResult:
        return DeadlineResult(date=d, provisional=bool(self.years), provisional_years=tuple(sorted(self.years)))


def _is_weekday(d: date) -> bool:
    return d.weekday() < 5


def _check_amount(n: int, limit: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"period length must be an int, not {type(n).__name__}")
    if n < 0 or n > limit:
        raise ValueError(f"period length must be between 0 and {limit}, got {n}")


def _roll_forward(trace: _Trace, d: date) -> date:
    """A period ending on a holiday or rest day ends on the next working day (Civil Code art. 203)."""
    while not trace.is_working_day(d):
        d += timedelta(days=1)
    return d


def _zero_period(trace: _Trace, start: date) -> DeadlineResult:
    # A period of length 0 ends where it starts, without roll-forward; provisional per its year.
    trace.look_at(start)
    return trace.result(start)


def add_working_days(cal: WorkCalendar, start: date, n: int) -> DeadlineResult:
    """The Nth working day after ``start``; the start day is not counted (Civil Code art. 201)."""
    _check_amount(n, MAX_DAYS)
    trace = _Trace(cal)
    if n == 0:
        return _zero_period(trace, start)
    d = start
    remaining = n
    try:
        while remaining:
            d += timedelta(days=1)
            if trace.is_working_day(d):
                remaining -= 1
    except OverflowError:
        raise ValueError(f"{start} + {n} working days is beyond the calendar") from None
    return trace.result(d)


def add_calendar_days(cal: WorkCalendar, start: date, n: int) -> DeadlineResult:
    """``start`` + n days, moved to the next working day if that is a rest day (Civil Code arts. 201, 203)."""
    _check_amount(n, MAX_DAYS)
    trace = _Trace(cal)
    if n == 0:
        return _zero_period(trace, start)
    try:
        return trace.result(_roll_forward(trace, start + timedelta(days=n)))
    except OverflowError:
        raise ValueError(f"{start} + {n} days is beyond the calendar") from None


def add_months(cal: WorkCalendar, start: date, n: int) -> DeadlineResult:
    """The same day n months on, or that month's last day (Civil Code art. 202), then art. 203."""
    _check_amount(n, MAX_MONTHS)
    trace = _Trace(cal)
    if n == 0:
        return _zero_period(trace, start)
    month_index = start.year * 12 + (start.month - 1) + n
    year, month = divmod(month_index, 12)
    month += 1
    if year > date.max.year:
        raise ValueError(f"{start} + {n} months is beyond the calendar")
    day = min(start.day, _stdlib_calendar.monthrange(year, month)[1])
    try:
        return trace.result(_roll_forward(trace, date(year, month, day)))
    except OverflowError:
        raise ValueError(f"{start} + {n} months is beyond the calendar") from None


def working_days_between(cal: WorkCalendar, a: date, b: date) -> int:
    """Working days after ``a`` up to and including ``b``; negative (the same count) when b < a.

    So ``working_days_between(cal, today, deadline)`` is how many working days are left (0 on the
    day itself), and minus how many working days the deadline has passed.
    """
    if b < a:
        return -working_days_between(cal, b, a)
    return _weekdays_through(b) - _weekdays_through(a) + cal._adjustment(a, b)


def _weekdays_through(d: date) -> int:
    """How many Mon-Fri dates lie in [date.min, d]; date.min (0001-01-01) is a Monday."""
    weeks, rest = divmod(d.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def shift_working_days(cal: WorkCalendar, day: date, k: int) -> date:
    """The working day k working days after ``day`` (k > 0) or before it (k < 0); k == 0 gives
    ``day`` itself. Used for reminders such as "T−3 working days" (issue 3)."""
    _check_amount(abs(k), MAX_DAYS)
    step = timedelta(days=1 if k > 0 else -1)
    d, remaining = day, abs(k)
    while remaining:
        d += step
        if cal.is_working_day(d):
            remaining -= 1
    return d
