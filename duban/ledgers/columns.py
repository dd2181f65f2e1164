"""The ledger's columns, declared once: the import template, the ledger export and the importer
all read this table, so an exported ledger imports back unchanged (issue 4, points 3–4)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LedgerColumn:
    key: str
    header: str
    group: str  # the list it belongs to (问题清单 / 任务清单 / 责任清单 / 办理情况)
    width: float
    kind: str = "text"  # text | wrap | int | date
    required: bool = False
    importable: bool = True  # False: written on export, ignored on import (progress is never typed in)
    aliases: tuple[str, ...] = ()
    help: str = ""


COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("category", "类别", "问题清单", 18, "wrap", aliases=("问题类别", "板块"),
                 help="问题所属方面；同一类别的行可合并单元格或留空（沿用上一行）"),
    LedgerColumn("problem_no", "问题序号", "问题清单", 8, "int", aliases=("问题编号", "任务序号"),
                 help="方案内连续编号的正整数；留空则按出现顺序编号"),
    LedgerColumn("problem", "问题", "问题清单", 32, "wrap", required=True, aliases=("问题描述", "存在问题", "任务"),
                 help="问题的表述；同一问题的多条措施可合并单元格或留空（沿用上一行）"),
    LedgerColumn("measure_no", "措施序号", "任务清单", 8, "int", aliases=("措施编号", "子任务序号"),
                 help="问题内的序号；留空则按出现顺序编号"),
    LedgerColumn("measure", "整改措施", "任务清单", 44, "wrap", required=True, aliases=("措施", "具体措施", "子任务"),
                 help="每行一条措施，每条措施成为一件督查事项"),
    LedgerColumn("target", "成效目标", "任务清单", 24, "wrap", aliases=("目标", "整改目标"),
                 help="可空"),
    LedgerColumn("leader", "牵头领导", "责任清单", 10, required=True, aliases=("责任领导", "分管领导"),
                 help="本组织领导的姓名，须与系统中一致"),
    LedgerColumn("lead_unit", "责任单位", "责任清单", 20, "wrap", required=True, aliases=("责任部门", "牵头单位", "主办单位"),
                 help="本组织承办单位的全称或简称"),
    LedgerColumn("co_units", "协办单位", "责任清单", 20, "wrap", aliases=("配合单位", "协办部门"),
                 help="多个单位用顿号、逗号或换行分隔；可空"),
    LedgerColumn("deadline_class", "整改时限", "责任清单", 18, "wrap", aliases=("时限要求", "整改时限类别"),
                 help="立行立改 / 1个月内整改到位 / 3个月内整改到位 / 3个月内取得阶段性成效并在1年内整改到位 / 长期坚持"),
    LedgerColumn("deadline", "完成时限", "责任清单", 14, "date", aliases=("完成时间", "办理时限", "截止日期"),
                 help="如 2026-12-31 或 2026年12月31日；留空则按整改时限从方案起始日推算"),
    LedgerColumn("number", "事项编号", "办理情况", 16, importable=False),
    LedgerColumn("status", "办理状态", "办理情况", 12, importable=False),
    LedgerColumn("closed", "办结日期", "办理情况", 14, "date", importable=False),
)

BY_KEY = {c.key: c for c in COLUMNS}
IMPORTABLE = tuple(c for c in COLUMNS if c.importable)


def header_names(column: LedgerColumn) -> set[str]:
    return {column.header, *column.aliases}
