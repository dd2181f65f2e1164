"""Excel out: the import template and the ledger (issue 4, point 4). Both use the column table
in ``columns.py``, so a downloaded ledger is a filled template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from duban.documents.xlsx import Column, Sheet, build_workbook
from duban.items.models import Status
from duban.orgs.models import LEADER_ROLES, Unit, User

from .columns import COLUMNS, IMPORTABLE
from .models import DeadlineClass, Plan, PlanNode


def _column(c, *, readonly=False) -> Column:
    return Column(header=c.header, width=c.width, kind=c.kind, group=c.group)


def ledger_rows(nodes: Iterable[PlanNode]) -> list[list]:
    """One row per measure, in the columns of ``COLUMNS``. ``nodes`` come from
    ``selectors.measure_nodes`` (items, units, leaders and ancestors already joined)."""
    classes, statuses = dict(DeadlineClass.choices), dict(Status.choices)
    rows = []
    for n in nodes:
        item, problem = n.item, n.parent
        category = problem.parent if problem else None
        leader = item.responsible_leader
        co = [a.unit.name for a in item.assignments.all() if a.role == "co"]
        rows.append([
            category.title if category else "",
            problem.number if problem else None,
            problem.title if problem else "",
            n.number,
            item.content,
            n.target,
            (leader.full_name or leader.username) if leader else "",
            item.lead_unit.name if item.lead_unit else "",
            "、".join(co),
            classes.get(n.deadline_class, ""),
            item.deadline,
            item.number,
            statuses.get(item.status, item.status),
            item.closed_at.date() if item.closed_at else None,
        ])
    return rows


def ledger_workbook(plan: Plan, nodes: Iterable[PlanNode], *, subtitle: str) -> bytes:
    columns = [_column(c) for c in COLUMNS]
    readonly = frozenset(i for i, c in enumerate(COLUMNS) if not c.importable)
    return build_workbook([Sheet(
        name="整改台账", title=f"{plan.title}整改台账" if plan.kind == Plan.Kind.RECTIFICATION else f"{plan.title}任务分解表",
        columns=columns, rows=ledger_rows(nodes), subtitle=subtitle, readonly_columns=readonly,
    )])


def template_workbook(org, *, example_rows: list[list] | None = None) -> bytes:
    """The blank template: the ledger's importable columns, an example, and the organisation's
    units, leaders and deadline classes on a second sheet to copy names from."""
    columns = [_column(c) for c in IMPORTABLE]
    examples = example_rows if example_rows is not None else [[
        "履行职能有差距的问题", 1, "（示例，导入前请删除）工作推进不够有力", 1, "制定工作规则，明确议事程序",
        "印发工作规则", "", "", "", DeadlineClass.ONE_MONTH.label, None,
    ]]
    units = list(Unit.objects.filter(org=org, is_active=True).exclude(kind__in=[Unit.Kind.OFFICE, Unit.Kind.LEADERSHIP]))
    leaders = list(User.objects.filter(org=org, role__in=LEADER_ROLES, is_active=True).order_by("id"))
    if examples and units and leaders and not examples[0][6]:
        examples[0][6] = leaders[0].full_name or leaders[0].username
        examples[0][7] = units[0].name
    help_rows = [[c.header, "必填" if c.required else "可空", c.help] for c in IMPORTABLE]
    names = max(len(units), len(leaders), len(DeadlineClass.labels))
    lists = [[
        units[i].name if i < len(units) else "", units[i].short_name if i < len(units) else "",
        (leaders[i].full_name or leaders[i].username) if i < len(leaders) else "",
        DeadlineClass.labels[i] if i < len(DeadlineClass.labels) else "",
    ] for i in range(names)]
    return build_workbook([
        Sheet(name="整改台账", title="整改台账（导入模板）", columns=columns, rows=examples,
              subtitle="每行一条整改措施；同一问题的多行可合并“类别”“问题”单元格。完成时限留空时按整改时限推算。"),
        Sheet(name="填写说明", title="填写说明", columns=[Column("列", 12), Column("要求", 8), Column("说明", 70, "wrap")],
              rows=help_rows),
        Sheet(name="单位与领导", title="可填写的单位、领导与整改时限", rows=lists, columns=[
            Column("单位全称", 28), Column("单位简称", 14), Column("领导", 12), Column("整改时限", 40)]),
    ])


def filename_date(day: dt.date) -> str:
    return f"{day:%Y%m%d}"
