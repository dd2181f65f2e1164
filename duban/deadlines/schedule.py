"""The official holiday schedule as text an admin pastes, one line per holiday or makeup workday.

    2027-01-01 至 2027-01-03 元旦
    2027-02-06 春节调休上班

A line whose name contains 上班 (or 补班) is a makeup workday; any other line is a holiday.
Dates may also be written 2027/1/1 or 2027年1月1日, optionally followed by the weekday in
brackets as the State Council notice does: 2027-02-06（周六）.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError

WORKDAY_MARKERS = ("上班", "补班")
MAX_RANGE_DAYS = 31

_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?(?:\s*[（(](?:周|星期)[一二三四五六日天][）)])?"
_LINE = re.compile(
    rf"^{_DATE}(?:(?:\s*(?:至|到|~|～|—+|–)\s*|\s+-\s+){_DATE})?\s*[：:,，、]?\s*(?P<name>.*?)[\s。；;，,]*$"
)
_EXAMPLE = "每行应为“2027-01-01 至 2027-01-03 元旦”或“2027-02-06 春节调休上班”"
_WEEKDAYS = "一二三四五六日"

Schedule = list[tuple[date, str]]


def parse_schedule_text(text: str) -> tuple[Schedule, Schedule]:
    """Read pasted schedule lines into (holidays, workdays), each a sorted list of (date, name).

    Blank lines and lines starting with # are skipped. Every bad line is reported, by number.
    """
    holidays: Schedule = []
    workdays: Schedule = []
    seen: dict[date, int] = {}
    errors: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        # A name starting like a date or a dash is a range the pattern did not understand.
        if not match or re.match(r"[\d\-—–~～]", match["name"]):
            errors.append(f"第{number}行无法识别：“{line}”。{_EXAMPLE}。")
            continue
        numbers = [int(g) for g in match.groups()[:6] if g is not None]
        try:
            first = date(*numbers[:3])
            last = date(*numbers[3:]) if len(numbers) == 6 else first
        except ValueError:
            errors.append(f"第{number}行日期无效：“{line}”。")
            continue
        name = match["name"].strip()
        if not name:
            errors.append(f"第{number}行缺少名称：“{line}”。")
            continue
        if last < first:
            errors.append(f"第{number}行结束日期早于开始日期：“{line}”。")
            continue
        if (last - first).days >= MAX_RANGE_DAYS:
            errors.append(f"第{number}行的区间超过{MAX_RANGE_DAYS}天：“{line}”。")
            continue
        is_workday = any(marker in name for marker in WORKDAY_MARKERS)
        if is_workday and name in WORKDAY_MARKERS + ("调休上班",):
            name = "调休上班"
        day = first
        while day <= last:
            if day in seen:
                errors.append(f"第{number}行的 {day.isoformat()} 与第{seen[day]}行重复。")
            elif is_workday and day.weekday() < 5:
                errors.append(
                    f"第{number}行的 {day.isoformat()} 是星期{_WEEKDAYS[day.weekday()]}，本来就上班，不是调休上班日。"
                )
            else:
                seen[day] = number
                (workdays if is_workday else holidays).append((day, name))
            day += timedelta(days=1)
    if errors:
        raise ValidationError(errors)
    if not holidays and not workdays:
        raise ValidationError(f"没有填写任何日期。{_EXAMPLE}。")
    return sorted(holidays), sorted(workdays)


def format_schedule_text(days: Iterable[tuple[date, bool, str]]) -> str:
    """The inverse of parse_schedule_text for (date, is_workday, name) rows: runs of days become ranges."""
    lines = []
    run: list = []  # [first, last, is_workday, name]
    for day, is_workday, name in sorted(days):
        if run and day == run[1] + timedelta(days=1) and (is_workday, name) == (run[2], run[3]):
            run[1] = day
            continue
        if run:
            lines.append(_format_run(*run))
        run = [day, day, is_workday, name]
    if run:
        lines.append(_format_run(*run))
    return "\n".join(lines)


def _format_run(first: date, last: date, is_workday: bool, name: str) -> str:
    if is_workday and not any(marker in name for marker in WORKDAY_MARKERS):
        name = f"{name}调休上班"
    elif not is_workday and any(marker in name for marker in WORKDAY_MARKERS):
        name = name.replace("上班", "").replace("补班", "") or "放假"
    dates = first.isoformat() if first == last else f"{first.isoformat()} 至 {last.isoformat()}"
    return f"{dates} {name}"
