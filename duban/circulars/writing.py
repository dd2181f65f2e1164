"""The draft's words: a circular's text written from the period's facts, in the wording offices use,
and the office's suggestions of whom to praise or criticise. Pure functions over the facts."""

from __future__ import annotations

import datetime as dt
import re

from .models import CircularKind

NUMERALS = "一二三四五六七八九十"
H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^（[一二三四五六七八九十]+）")


def default_period(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The last complete period of ``kind`` before ``today`` (a monthly circular written on 5 November
    reports October); a special circular runs from the start of the year to yesterday."""
    yesterday = today - dt.timedelta(days=1)
    if kind == CircularKind.WEEKLY:
        start = today - dt.timedelta(days=today.weekday() + 7)
        return start, start + dt.timedelta(days=6)
    if kind == CircularKind.SPECIAL:
        return dt.date(yesterday.year, 1, 1), yesterday
    months = {CircularKind.MONTHLY: 1, CircularKind.QUARTERLY: 3, CircularKind.HALF_YEARLY: 6, CircularKind.ANNUAL: 12}[kind]
    first_month_of_current = (today.month - 1) // months * months + 1
    end = dt.date(today.year, first_month_of_current, 1) - dt.timedelta(days=1)
    start_month = (end.month - 1) // months * months + 1
    return dt.date(end.year, start_month, 1), end


def _d(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_label(start: dt.date, end: dt.date) -> str:
    """2026年10月, 2026年第三季度, 2026年上半年, 2026年, or 2026年10月26日至11月1日."""
    next_day = end + dt.timedelta(days=1)
    whole_months = start.day == 1 and next_day.day == 1 and start.year == end.year
    if whole_months:
        first, last = start.month, end.month
        if first == last:
            return f"{start.year}年{first}月"
        if (first, last) == (1, 12):
            return f"{start.year}年"
        if (first, last) == (1, 6):
            return f"{start.year}年上半年"
        if (first, last) == (7, 12):
            return f"{start.year}年下半年"
        if last - first == 2 and first % 3 == 1:
            return f"{start.year}年第{NUMERALS[first // 3]}季度"
        return f"{start.year}年{first}月至{last}月"
    if start.year == end.year:
        return f"{_d(start)}至{end.month}月{end.day}日"
    return f"{_d(start)}至{_d(end)}"


def default_title(start: dt.date, end: dt.date) -> str:
    return f"关于{period_label(start, end)}督查事项办理情况的通报"


def _names(rows, key=None, unit="项") -> str:
    return "、".join(r["unit_name"] + (f"（{r[key]}{unit}）" if key else "") for r in rows)


def compose_body(start: dt.date, end: dt.date, as_of: dt.date, totals: dict, units: list[dict]) -> str:
    """一、总体情况 and 二、各单位办理情况, from ``figures`` (totals and unit rows as frozen)."""
    s = lambda key: sum(u[key] for u in units)  # noqa: E731  (events belong to one unit each)
    rate = totals["on_time_rate"]
    lines = ["一、总体情况"]
    first = f"{period_label(start, end)}，共交办督查事项{totals['assigned']}项，办结{totals['closed']}项"
    if totals["closed"]:
        first += f"，其中按时办结{totals['closed_on_time']}项，按时办结率{rate}%"
    first += f"。截至{_d(as_of)}，逾期未办结事项{totals['overdue_now']}项。"
    events = []
    for key, text, unit in (("extensions", "申请延期", "次"), ("urge_notices", "发出催办单", "份"),
                            ("supervision_orders", "下达督办令", "份"), ("returns_for_rework", "办结报告退回重办", "次"),
                            ("missed_reports", "定期报告缺报", "次")):
        if s(key):
            events.append(f"{text}{s(key)}{unit}")
    if events:
        first += "期间，" + "，".join(events) + "。"
    lines.append(first)
    lines.append("二、各单位办理情况")
    parts = ["各单位办理情况见附表。"]
    perfect = [u for u in units if u["closed"] and u["on_time_rate"] == "100.00" and not u["overdue_now"]]
    if perfect:
        parts.append(f"{_names(perfect)}按时办结率为100%。")
    late = sorted([u for u in units if u["overdue_now"]], key=lambda u: -u["overdue_now"])
    if late:
        parts.append(f"截至{_d(as_of)}，{_names(late, 'overdue_now')}仍有逾期未办结事项。")
    orders = [u for u in units if u["supervision_orders"]]
    if orders:
        parts.append(f"{_names(orders, 'supervision_orders', '份')}在本期收到督办令。")
    missed = [u for u in units if u["missed_reports"]]
    if missed:
        parts.append(f"{_names(missed, 'missed_reports', '次')}未按期报送定期进展报告。")
    lines.append("".join(parts))
    return "\n".join(lines)


DEFAULT_CLOSING = ("各单位要对照本通报，逐项梳理在办事项，对逾期未办结事项说明原因、明确时限、抓紧办结。"
                   "被通报批评的单位要认真剖析原因、切实整改，并将整改情况书面报送督查室。")


def facts_of(u: dict, as_of: dt.date) -> str:
    """The facts behind naming a unit, in one sentence, from its row."""
    bits = []
    if u["assigned"]:
        bits.append(f"本期交办{u['assigned']}项")
    if u["closed"]:
        bits.append(f"办结{u['closed']}项，按时办结率{u['on_time_rate']}%")
    if u["supervision_orders"]:
        bits.append(f"收到督办令{u['supervision_orders']}份")
    if u["urge_notices"]:
        bits.append(f"收到催办单{u['urge_notices']}份")
    if u["overdue_now"]:
        bits.append(f"截至{_d(as_of)}逾期未办结{u['overdue_now']}项")
    if u["returns_for_rework"]:
        bits.append(f"办结报告被退回重办{u['returns_for_rework']}次")
    if u["missed_reports"]:
        bits.append(f"定期报告缺报{u['missed_reports']}次")
    return "，".join(bits) + "。"


def suggestions(figures: dict) -> list[dict]:
    """Whom the office might name, with the facts (it decides): criticism for a unit that received a
    督办令 (seed 001 art. 16(2): 下达督办令后工作仍没有明显进展的，通报批评) or has overdue items;
    praise for a unit that closed everything on time and has nothing overdue."""
    as_of = dt.date.fromisoformat(figures["as_of"]) if figures.get("as_of") else None
    out = []
    for u in figures.get("units", []):
        if u["supervision_orders"] or u["overdue_now"]:
            out.append({"unit_id": u["unit_id"], "unit_name": u["unit_name"], "kind": "criticism",
                        "facts": facts_of(u, as_of)})
        elif u["closed"] and u["on_time_rate"] == "100.00" and not u["urge_notices"] and not u["missed_reports"]:
            out.append({"unit_id": u["unit_id"], "unit_name": u["unit_name"], "kind": "praise", "facts": facts_of(u, as_of)})
    return out


def chinese_numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    return NUMERALS[n // 10 - 1] + "十" + (NUMERALS[n % 10 - 1] if n % 10 else "")


def sections(circular, mentions) -> list[tuple[str, str | list[str]]]:
    """The circular's text as blocks: ("h1"|"h2"|"p", text) from the body, then 通报表扬, 通报批评 and
    工作要求 numbered after the body's own headings."""
    blocks = []
    n = 0
    for line in circular.body.splitlines():
        line = line.strip()
        if not line:
            continue
        if H1.match(line):
            n += 1
            blocks.append(("h1", line))
        elif H2.match(line):
            blocks.append(("h2", line))
        else:
            blocks.append(("p", line))
    for kind, heading in (("praise", "通报表扬"), ("criticism", "通报批评")):
        named = [m for m in mentions if m.kind == kind]
        if named:
            n += 1
            blocks.append(("h1", f"{chinese_numeral(n)}、{heading}"))
            for i, m in enumerate(named, 1):
                blocks.append(("p", f"{'（' + chinese_numeral(i) + '）' if len(named) > 1 else ''}{m.unit.name}：{m.facts}"))
    if circular.closing.strip():
        n += 1
        blocks.append(("h1", f"{chinese_numeral(n)}、下一步工作要求"))
        blocks.extend(("p", line.strip()) for line in circular.closing.splitlines() if line.strip())
    return blocks


TABLE_HEADERS = ["单位", "交办", "办结", "按时办结", "按时办结率", "逾期未办结", "延期申请", "催办单", "督办令", "退回重办",
                 "缺报", "整改完成率"]

HIDE_ON_PHONE = (3, 6, 9, 10, 11)  # 按时办结, 延期申请, 退回重办, 缺报, 整改完成率


def table_rows(figures: dict) -> list[list]:
    def pct(v):
        return "—" if v is None else f"{v}%"

    return [[u["unit_name"], u["assigned"], u["closed"], u["closed_on_time"], pct(u["on_time_rate"]), u["overdue_now"],
             u["extensions"], u["urge_notices"], u["supervision_orders"], u["returns_for_rework"], u["missed_reports"],
             pct(u["plan_rate"])] for u in figures.get("units", [])]
