"""The official schedules chinesecalendar knows (2004-2026 in 1.11.0), as rows of the day table.

Used by the data migration (with historical models) and by ``ensure_official_calendar`` (tests that
flush the database, a database restored without the migration's data).
"""


def source() -> str:
    import chinese_calendar

    return f"chinesecalendar {chinese_calendar.__version__}"


def load_official(CalendarYear, CalendarDay, using="default") -> int:
    """Insert the years chinesecalendar knows that the table lacks; return how many were added."""
    from chinese_calendar.constants import Holiday, holidays, workdays

    src = source()

    def chinese(value):
        return Holiday(value).chinese

    days = [CalendarDay(date=d, is_workday=False, name=chinese(v), source=src) for d, v in holidays.items()]
    days += [CalendarDay(date=d, is_workday=True, name=f"{chinese(v)}调休上班", source=src) for d, v in workdays.items()]
    years = sorted({d.year for d in holidays} | {d.year for d in workdays})
    # A year entered by hand is left alone.
    existing = set(CalendarYear.objects.using(using).values_list("year", flat=True))
    years = [y for y in years if y not in existing]
    CalendarYear.objects.using(using).bulk_create([CalendarYear(year=y, published=True, source=src) for y in years])
    CalendarDay.objects.using(using).bulk_create([day for day in days if day.date.year in years], batch_size=500)
    return len(years)


def ensure_official_calendar() -> int:
    from .loader import invalidate_calendar
    from .models import CalendarDay, CalendarYear

    added = load_official(CalendarYear, CalendarDay)
    if added:
        invalidate_calendar()
    return added
