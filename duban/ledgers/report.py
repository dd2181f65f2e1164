"""The progress report of a plan at any date (issue 4, point 5; seed 003: 截至3月底，要求“1个月内
整改到位”的8个问题，已全部整改到位……整体整改率88.08%).

Figures come from one query over the plan's leaves; a problem is 整改到位 when every measure
under it is closed by the report date, and a measure is 已整改 when its item is closed by then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from duban.documents.xlsx import Column, Sheet, build_workbook
from duban.items.models import OPEN_STATUSES
from duban.orgs.models import Unit

from .models import DeadlineClass, Plan, PlanNode
from .rules import class_horizon
from .selectors import DONE_STATUSES, end_of_day, rate

CN_NUMBERS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    if n <= 10:
        return CN_NUMBERS[n - 1]
    if n < 20:
        return "十" + (CN_NUMBERS[n - 11] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return CN_NUMBERS[tens - 1] + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Tally:
    label: str
    problems: int = 0
    problems_done: int = 0
    measures: int = 0
    measures_done: int = 0
    overdue: int = 0
    open_problem_numbers: list[int] = field(default_factory=list)

    @property
    def problems_under_way(self) -> int:
        return self.problems - self.problems_done

    @property
    def measures_under_way(self) -> int:
        return self.measures - self.measures_done

    @property
    def rate(self) -> Decimal:
        return rate(self.measures_done, self.measures)


@dataclass
class ProgressReport:
    plan: Plan
    as_of: dt.date
    total: Tally
    by_class: list[tuple[str, Tally]]
    by_category: list[Tally]
    by_unit: list[Tally]

    @property
    def summary(self) -> str:
        """The paragraph offices write, worded as seed 003 words it."""
        parts = []
        classes = [(c, t) for c, t in self.by_class if t.problems]
        for index, (cls, t) in enumerate(classes):
            label = DeadlineClass(cls).label if cls else "未定整改时限"
            due = class_horizon(self.plan.start_date, cls)
            last = index == len(classes) - 1
            if t.problems_done == t.problems:
                parts.append(f"要求“{label}”的{t.problems}个问题，已全部整改到位")
            elif last and len(classes) > 1 and due and self.as_of < due:
                text = f"其余{t.problems}个问题的整改时限为“{label}”"
                if t.problems_done:
                    text += f"，已整改到位{t.problems_done}个"
                parts.append(text)
            elif t.problems_done == 0:
                parts.append(f"要求“{label}”的{t.problems}个问题，正在整改")
            else:
                text = f"要求“{label}”的{t.problems}个问题，已整改的{t.problems_done}个，正在整改的{t.problems_under_way}个"
                if t.problems_under_way <= 3:
                    text += "（" + "、".join(f"问题{n}" for n in t.open_problem_numbers) + "）"
                parts.append(text)
        head = f"截至{cn_date(self.as_of)}，" + "；".join(parts) + ("。" if parts else "")
        t = self.total
        tail = (f"全部{t.problems}个问题的{t.measures}条整改措施中，已整改的{t.measures_done}条，"
                f"正在整改的{t.measures_under_way}条，整体整改率{t.rate}%。")
        return head + tail


def progress_report(plan: Plan, as_of: dt.date | None = None) -> ProgressReport:
    """Counts and rates overall, by deadline class, by category and by responsible unit."""
    as_of = as_of or timezone.localdate()
    cutoff = end_of_day(as_of)
    nodes = {n.id: n for n in PlanNode.objects.filter(plan=plan).exclude(level=PlanNode.Level.MEASURE).order_by("path")}
    leaves = PlanNode.objects.filter(plan=plan, level=PlanNode.Level.MEASURE).values_list(
        "parent_id", "deadline_class", "item__status", "item__closed_at", "item__deadline", "item__lead_unit_id",
    )
    problems: dict[int, list[bool]] = {}
    total = Tally("合计")
    units: dict[int, Tally] = {}
    overdue_by_problem: dict[int, int] = {}
    for parent_id, _cls, status, closed_at, deadline, unit_id in leaves:
        done = status in DONE_STATUSES and closed_at is not None and closed_at < cutoff
        late = not done and status in OPEN_STATUSES and deadline is not None and deadline < as_of
        problems.setdefault(parent_id, []).append(done)
        overdue_by_problem[parent_id] = overdue_by_problem.get(parent_id, 0) + late
        total.measures += 1
        total.measures_done += done
        total.overdue += late
        u = units.setdefault(unit_id, Tally(""))
        u.measures += 1
        u.measures_done += done
        u.overdue += late

    by_class = {c: Tally(DeadlineClass(c).label) for c in DeadlineClass.values}
    by_class[""] = Tally("未定整改时限")
    categories: dict[int | None, Tally] = {}
    for pid, dones in problems.items():
        p = nodes.get(pid)
        if p is None:
            continue
        problem_done = all(dones)
        cat = nodes.get(p.parent_id) if p.parent_id else None
        for t in (total, by_class[p.deadline_class], categories.setdefault(cat.id if cat else None,
                                                                           Tally(cat.title if cat else "未分类"))):
            t.problems += 1
            t.problems_done += problem_done
            if not problem_done:
                t.open_problem_numbers.append(p.number)
        for t in (by_class[p.deadline_class], categories[cat.id if cat else None]):
            t.measures += len(dones)
            t.measures_done += sum(dones)
            t.overdue += overdue_by_problem.get(pid, 0)
    names = dict(Unit.objects.filter(pk__in=[u for u in units if u]).values_list("id", "name"))
    for uid, t in units.items():
        t.label = names.get(uid, "（未定）")
    order = [c for c in DeadlineClass.values] + [""]
    return ProgressReport(
        plan=plan, as_of=as_of, total=total,
        by_class=[(c, by_class[c]) for c in order if by_class[c].problems],
        by_category=[categories[k] for k in sorted(categories, key=lambda k: nodes[k].path if k else "~")],
        by_unit=sorted(units.values(), key=lambda t: (-t.measures, t.label)),
    )


# --- as documents ----------------------------------------------------------------------------

CLASS_HEADERS = ["整改时限", "问题数", "已整改到位", "正在整改", "措施数", "已完成措施", "整改率（%）"]
CATEGORY_HEADERS = ["类别", "问题数", "已整改到位", "措施数", "已完成措施", "正在整改措施", "整改率（%）"]
UNIT_HEADERS = ["责任单位", "措施数", "已完成", "正在整改", "其中超期", "整改率（%）"]


def _tables(r: ProgressReport):
    classes = [[t.label, t.problems, t.problems_done, t.problems_under_way, t.measures, t.measures_done, t.rate]
               for _, t in r.by_class]
    classes.append(["合计", r.total.problems, r.total.problems_done, r.total.problems_under_way,
                    r.total.measures, r.total.measures_done, r.total.rate])
    categories = [[f"（{cn_number(i)}）{t.label}", t.problems, t.problems_done, t.measures, t.measures_done,
                   t.measures_under_way, t.rate] for i, t in enumerate(r.by_category, 1)]
    units = [[t.label, t.measures, t.measures_done, t.measures_under_way, t.overdue, t.rate] for t in r.by_unit]
    return classes, categories, units


def report_docx(r: ProgressReport, *, issuer: str) -> bytes:
    from duban.documents import docx as docx_out

    classes, categories, units = _tables(r)
    return docx_out.build_report_docx(
        title=f"关于{r.plan.title}整改进展情况的报告", issuer=issuer, date_line=cn_date(timezone.localdate()),
        blocks=[
            ("h1", "一、总体进展"),
            r.summary,
            ("h1", "二、按整改时限"),
            docx_out.Table("表1 按整改时限统计", CLASS_HEADERS, classes),
            ("h1", "三、按问题类别"),
            docx_out.Table("表2 按问题类别统计", CATEGORY_HEADERS, categories),
            ("h1", "四、按责任单位"),
            docx_out.Table("表3 按责任单位统计", UNIT_HEADERS, units),
        ],
    )


def report_xlsx(r: ProgressReport) -> bytes:
    classes, categories, units = _tables(r)
    sub = f"截至{cn_date(r.as_of)}"

    def cols(headers, first_width):
        return [Column(headers[0], first_width, "wrap")] + [
            Column(h, 12, "percent" if "率" in h else "int") for h in headers[1:]]

    return build_workbook([
        Sheet("总体情况", f"{r.plan.title}整改进展", [Column("整改进展情况", 110, "wrap")], [[r.summary]], subtitle=sub),
        Sheet("按整改时限", "按整改时限统计", cols(CLASS_HEADERS, 40), classes, subtitle=sub),
        Sheet("按问题类别", "按问题类别统计", cols(CATEGORY_HEADERS, 50), categories, subtitle=sub),
        Sheet("按责任单位", "按责任单位统计", cols(UNIT_HEADERS, 28), units, subtitle=sub),
    ])
