"""A ledger with the shape of seed 003 (巡视整改进展情况): 54 problems in the report's 5
categories, 193 measures, deadline classes 8 × “1个月内”, 5 × “3个月内” and 41 × “3个月内取得阶段性
成效并在1年内整改到位”; by the end of March 170 measures done and 23 under way (88.08 %), the
3-month problem still open being 问题35.

The report publishes the figures, not the ledger: problem and measure texts here are written
for the demo and the tests; the categories are the report's own (part one, section (四)).
Used by the demo organisation and by the tests that must reproduce the report's figures.
"""

from __future__ import annotations

import datetime as dt

from .models import DeadlineClass

CATEGORIES = [
    "履行党组核心职能有差距，党的领导不够坚强有力的问题",
    "学习习近平新时代中国特色社会主义思想有差距，落实党的理论路线方针政策和中央重大决策部署不到位的问题",
    "贯彻全面从严治党战略部署有差距，“两个责任”落实和廉洁风险防控不到位的问题",
    "贯彻新时代党的组织路线有差距，选人用人和基层党建工作不到位的问题",
    "落实整改责任有差距，对巡视、审计发现问题整改不彻底的问题",
]
PROBLEMS_PER_CATEGORY = [12, 14, 10, 11, 7]  # 54
ONE_MONTH = {1, 5, 9, 16, 22, 28, 40, 47}  # 8 problems
THREE_MONTHS = {12, 20, 35, 44, 51}  # 5 problems; 问题35 is the one still open at the end of March
OPEN_PROBLEM_3M = 35

TOPICS = [
    "议事规则执行不严", "重大事项集体研究不够", "统筹协调作用发挥不充分", "规划意识不强", "改革推进不够有力",
    "学习制度落实不到位", "职工维权服务不够精准", "经费预算管理不规范", "调查研究质量不高", "建会入会推进缓慢",
    "主体责任压得不实", "廉政风险排查不全面", "作风建设抓得不紧", "选人用人统筹不够", "干部交流轮岗不足",
    "基层党建基础薄弱", "整改责任传导不到位", "审计整改不彻底",
]
ACTIONS = [
    "修订完善相关制度，明确程序和责任", "开展专项检查，建立问题清单逐项销号", "组织专题学习研讨，形成学习成果",
    "建立定期调度机制，每季度听取汇报",
]


def _class_of(problem_no: int) -> str:
    if problem_no in ONE_MONTH:
        return DeadlineClass.ONE_MONTH
    if problem_no in THREE_MONTHS:
        return DeadlineClass.THREE_MONTHS
    return DeadlineClass.STAGED


def measures_of(problem_no: int) -> int:
    """Problems 1–31 have four measures, 32–54 three: 124 + 69 = 193."""
    return 4 if problem_no <= 31 else 3


def staged_open_problems() -> list[int]:
    """The 22 staged problems with one measure under way (with 问题35's one: 23 under way)."""
    staged = [n for n in range(1, 55) if _class_of(n) == DeadlineClass.STAGED]
    return staged[:22]


def rows(leaders: list[str], units: list[str]) -> list[dict]:
    """Template rows (keys of ``columns.COLUMNS``) plus ``done``: whether the measure is closed by
    the end of March. Leaders and units are assigned in turn from the names given."""
    open_staged = set(staged_open_problems())
    out = []
    problem_no = 0
    for c, (category, count) in enumerate(zip(CATEGORIES, PROBLEMS_PER_CATEGORY)):
        for _ in range(count):
            problem_no += 1
            topic = TOPICS[(problem_no - 1) % len(TOPICS)]
            cls = _class_of(problem_no)
            n = measures_of(problem_no)
            for m in range(1, n + 1):
                # The last measure of each open problem is the one under way.
                still_open = m == n and (problem_no in open_staged or problem_no == OPEN_PROBLEM_3M)
                out.append({
                    "category": category,
                    "problem_no": problem_no,
                    "problem": f"{topic}（问题{problem_no}）",
                    "measure_no": m,
                    "measure": f"针对{topic}，{ACTIONS[(m - 1) % len(ACTIONS)]}（措施{problem_no}-{m}）",
                    "target": "问题整改到位，形成长效机制" if m == n else "",
                    "leader": leaders[(problem_no - 1) % len(leaders)],
                    "lead_unit": units[(problem_no + m) % len(units)],
                    "co_units": "",
                    "deadline_class": DeadlineClass(cls).label,
                    "deadline": None,
                    "done": not still_open,
                })
        del c
    return out


# The inspection team's feedback (2020-11-16) starts the clock; the report speaks of the end of March.
START = dt.date(2020, 11, 16)
AS_OF = dt.date(2021, 3, 31)
