"""What other apps call: deadlines over the official calendar, deadline rules, publishing a year.

Everything here reads the calendar through ``get_calendar()``; the arithmetic itself is in
``calendar.py`` and can be used without a database.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from duban.deadlines import calendar
from duban.deadlines.calendar import DeadlineResult
from duban.deadlines.loader import get_calendar, invalidate_calendar
from duban.deadlines.models import CalendarDay, CalendarYear, DeadlineRule, PeriodUnit
from duban.deadlines.schedule import Schedule, format_schedule_text, parse_schedule_text
from duban.deadlines.signals import schedule_published
from duban.orgs.models import Organization

__all__ = [
    "DeadlineResult",
    "PRESETS",
    "add_calendar_days",
    "add_months",
    "add_working_days",
    "compute_deadline",
    "compute_latest_deadline",
    "find_rule",
    "format_schedule_text",
    "get_calendar",
    "install_presets",
    "is_working_day",
    "parse_schedule_text",
    "propose_deadline",
    "publish_year",
    "schedule_text_for_year",
    "stored_schedule",
    "validate_schedule",
    "working_days_between",
]


# --- Arithmetic over the official calendar -------------------------------------------------------


def add_working_days(start: date, n: int) -> DeadlineResult:
    """The Nth working day after ``start`` (start day not counted, Civil Code art. 201)."""
    return calendar.add_working_days(get_calendar(), start, n)


def add_calendar_days(start: date, n: int) -> DeadlineResult:
    """``start`` + n days, moved past holidays and rest days (Civil Code arts. 201, 203)."""
    return calendar.add_calendar_days(get_calendar(), start, n)


def add_months(start: date, n: int) -> DeadlineResult:
    """Same day n months on, or that month's last day, moved past rest days (Civil Code arts. 202, 203)."""
    return calendar.add_months(get_calendar(), start, n)


def is_working_day(d: date) -> bool:
    return get_calendar().is_working_day(d)


def working_days_between(a: date, b: date) -> int:
    """Working days after ``a`` up to and including ``b``; negative when ``b`` is before ``a``."""
    return calendar.working_days_between(get_calendar(), a, b)


# --- Deadline rules ------------------------------------------------------------------------------

_ADD_BY_UNIT = {
    PeriodUnit.WORKING_DAYS: calendar.add_working_days,
    PeriodUnit.CALENDAR_DAYS: calendar.add_calendar_days,
    PeriodUnit.MONTHS: calendar.add_months,
}


def compute_deadline(rule: DeadlineRule, start: date) -> DeadlineResult:
    """The deadline ``rule`` gives an item assigned on ``start``."""
    return _ADD_BY_UNIT[PeriodUnit(rule.period_unit)](get_calendar(), start, rule.amount)


def compute_latest_deadline(rule: DeadlineRule, start: date) -> DeadlineResult | None:
    """The latest date extensions may reach, counted from ``start`` (e.g. at most 6 months, seed 001 art. 10).

    None when the rule sets no cap.
    """
    if rule.max_total_amount is None:
        return None
    return _ADD_BY_UNIT[PeriodUnit(rule.period_unit)](get_calendar(), start, rule.max_total_amount)


def find_rule(org: Organization, item_kind: str, urgency: str) -> DeadlineRule | None:
    """The organisation's most specific active rule: kind and urgency, then kind, then urgency, then any.

    Among rules equally specific, the lowest ``priority`` wins (then the oldest).
    """
    rules = DeadlineRule.objects.filter(org=org, is_active=True).filter(
        Q(item_kind=item_kind or "") | Q(item_kind=""),
        Q(urgency=urgency or "") | Q(urgency=""),
    )

    def rank(rule: DeadlineRule):
        specificity = {(True, True): 0, (True, False): 1, (False, True): 2, (False, False): 3}[
            (bool(rule.item_kind), bool(rule.urgency))
        ]
        return (specificity, rule.priority, rule.id)

    return min(rules, key=rank, default=None)


def propose_deadline(
    org: Organization, item_kind: str, urgency: str, start: date
) -> tuple[DeadlineResult | None, DeadlineRule | None]:
    """The deadline to suggest when an item is assigned on ``start``, and the rule it comes from."""
    rule = find_rule(org, item_kind, urgency)
    if rule is None:
        return None, None
    return compute_deadline(rule, start), rule


# The presets: the time limits the seed regulations set. Rules by kind are more specific than
# rules by urgency, so a leader's instruction marked urgent still gets 5 working days.
PRESETS = [
    {
        "preset": "instruction",
        "name": "领导批示件：5个工作日内报送办理结果",
        "item_kind": "instruction",
        "urgency": "",
        "amount": 5,
        "period_unit": PeriodUnit.WORKING_DAYS,
        "max_total_amount": None,
        "citation": "001 第九条",
    },
    {
        "preset": "deputy_suggestion",
        "name": "人大代表建议：3个月内答复，最迟不超过6个月",
        "item_kind": "deputy_suggestion",
        "urgency": "",
        "amount": 3,
        "period_unit": PeriodUnit.MONTHS,
        "max_total_amount": 6,
        "citation": "001 第十条",
    },
    {
        "preset": "cppcc_proposal",
        "name": "政协委员提案：3个月内答复，最迟不超过6个月",
        "item_kind": "cppcc_proposal",
        "urgency": "",
        "amount": 3,
        "period_unit": PeriodUnit.MONTHS,
        "max_total_amount": 6,
        "citation": "001 第十条",
    },
    {
        "preset": "important",
        "name": "重要督查事项：15个工作日内办结",
        "item_kind": "",
        "urgency": "important",
        "amount": 15,
        "period_unit": PeriodUnit.WORKING_DAYS,
        "max_total_amount": None,
        "citation": "002 第七条第（二）项",
    },
    {
        "preset": "urgent",
        "name": "紧急事项：5天内办结",
        "item_kind": "",
        "urgency": "urgent",
        "amount": 5,
        "period_unit": PeriodUnit.CALENDAR_DAYS,
        "max_total_amount": None,
        "citation": "000 第五条第3项（一般紧急事项应在3至5天内办结）",
    },
    {
        "preset": "normal",
        "name": "普通事项：15天内办结",
        "item_kind": "",
        "urgency": "normal",
        "amount": 15,
        "period_unit": PeriodUnit.CALENDAR_DAYS,
        "max_total_amount": None,
        "citation": "000 第五条第3项",
    },
]


@transaction.atomic
def install_presets(org: Organization) -> list[DeadlineRule]:
    """Give ``org`` the preset rules it lacks; returns those created. Rules already there, even
    edited or deactivated by an admin, are left as they are."""
    created = []
    for preset in PRESETS:
        fields = dict(preset)
        key = fields.pop("preset")
        rule, was_created = DeadlineRule.objects.get_or_create(org=org, preset=key, defaults=fields)
        if was_created:
            created.append(rule)
    return created


# --- Publishing a year's official schedule -------------------------------------------------------


def publish_year(
    year: int,
    holidays: Schedule,
    workdays: Schedule,
    source: str,
    by=None,
    *,
    now=None,
) -> CalendarYear:
    """Replace ``year``'s holidays and makeup workdays with the State Council's schedule and mark it
    published; ``schedule_published`` is sent once the transaction has committed."""
    validate_schedule(year, holidays, workdays, source)
    now = now or timezone.now()
    with transaction.atomic():
        calendar_year, _ = CalendarYear.objects.select_for_update().get_or_create(year=year)
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(date=d, is_workday=False, name=name, source=source) for d, name in holidays]
            + [CalendarDay(date=d, is_workday=True, name=name, source=source) for d, name in workdays]
        )
        calendar_year.published = True
        calendar_year.source = source
        calendar_year.published_at = now
        calendar_year.published_by = by
        calendar_year.save()
        invalidate_calendar()  # bulk_create sends no post_save
        transaction.on_commit(partial(schedule_published.send, sender=CalendarYear, year=year))
    return calendar_year


def validate_schedule(year: int, holidays: Schedule, workdays: Schedule, source: str) -> None:
    """Raise ValidationError (in Chinese) unless the schedule can be published as ``year``'s."""
    errors = []
    if not source or not source.strip():
        errors.append("请填写来源，如国务院办公厅通知的文号。")
    if not holidays:
        errors.append(f"{year}年的安排中没有任何放假日。")
    seen = set()
    for d, name in [*holidays, *workdays]:
        if d.year != year:
            errors.append(f"{d.isoformat()} 不在{year}年。")
        elif d in seen:
            errors.append(f"{d.isoformat()} 出现了不止一次。")
        if not name:
            errors.append(f"{d.isoformat()} 缺少名称。")
        seen.add(d)
    if errors:
        raise ValidationError(errors)


def stored_schedule(year: int) -> tuple[Schedule, Schedule]:
    """The year's stored (holidays, workdays), in the shape parse_schedule_text returns."""
    holidays: Schedule = []
    workdays: Schedule = []
    for d, is_workday, name in CalendarDay.objects.filter(date__year=year).order_by("date").values_list(
        "date", "is_workday", "name"
    ):
        (workdays if is_workday else holidays).append((d, name))
    return holidays, workdays


def schedule_text_for_year(year: int) -> str:
    """The year's stored days in the text form admins edit (see parse_schedule_text)."""
    holidays, workdays = stored_schedule(year)
    return format_schedule_text([(d, False, n) for d, n in holidays] + [(d, True, n) for d, n in workdays])


def shift_working_days(day: date, k: int) -> date:
    """``day`` moved by k working days, forward or back (T−3, T+10 of the escalation ladder)."""
    return calendar.shift_working_days(get_calendar(), day, k)
