"""Excel in: read a filled ledger, check every row, and write it whole or not at all (issue 4, point 3).

Three steps, each callable alone: ``read_ledger`` turns the workbook into rows (merged or blank
category and problem cells carry the value above, as offices lay ledgers out); ``check_rows``
validates every row against the organisation (units and leaders matched by name, dates,
deadline classes, duplicates) and returns per-row errors in Chinese; ``write_plan`` creates the
plan, its tree and one draft item per measure in a single transaction. Item rules (handling
units, leaders, deadlines) are the items layer's own ``_clean_draft``, so an imported measure is
held to exactly what a drafted item is.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from duban.deadlines import services as deadlines
from duban.documents.xlsx import unneutralise
from duban.items.errors import InvalidInput
from duban.items.models import Assignment, Event, Item, Status
from duban.items.services import MAX_TITLE, DraftFields, _clean_draft
from duban.orgs.models import LEADER_ROLES, Unit, User

from .columns import BY_KEY, IMPORTABLE, header_names
from .models import DEADLINE_CLASS_RANK, DeadlineClass, Plan, PlanNode, path_segment
from .rules import class_deadline

MAX_ROWS = 20000
MAX_BYTES = 20 * 1024 * 1024
HEADER_SCAN_ROWS = 15
SPLIT_UNITS = re.compile(r"[、，,；;/\n]+")


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


@dataclass
class Row:
    line: int  # the Excel row number, as the user sees it
    values: dict[str, object]


@dataclass
class CleanRow:
    line: int
    category: str
    problem_no: int
    problem: str
    measure_no: int | None
    target: str
    deadline_class: str
    draft: dict  # _clean_draft's output: the item's fields


@dataclass
class PlanParams:
    title: str
    kind: str
    source_text: str
    item_kind: str
    start_date: dt.date
    source_item_id: int | None = None


class LedgerFileError(InvalidInput):
    """The file as a whole cannot be read."""


# --- reading ---------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return unneutralise(str(value).replace("\u3000", " ").strip())


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]]:
    """The header row is the first that names the measure column; map our keys to its columns."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [_text(c).replace(" ", "").replace("\n", "").lstrip("*") for c in row]
        if not any(c in header_names(BY_KEY["measure"]) for c in cells):
            continue
        found = {}
        for column in IMPORTABLE:
            names = header_names(column)
            for pos, cell in enumerate(cells):
                if cell in names and pos not in found.values():
                    found[column.key] = pos
                    break
        return index, found
    raise LedgerFileError("未找到表头：表格前15行中应有“整改措施”一列，请使用下载的模板")


def read_ledger(uploaded) -> list[Row]:
    """Rows of the first sheet that has the ledger's header; blank rows are skipped."""
    import zipfile

    from openpyxl import load_workbook

    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_BYTES:
        raise LedgerFileError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分后导入")
    try:
        wb = load_workbook(uploaded, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise LedgerFileError("无法读取该文件：请上传 Excel 2007 及以上版本的 .xlsx 文件") from err
    try:
        last_error = None
        for ws in wb.worksheets:
            values = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + HEADER_SCAN_ROWS + 2))
            try:
                header_at, columns = _find_header(values)
            except LedgerFileError as err:
                last_error = err
                continue
            missing = [BY_KEY[k].header for k in ("measure", "problem", "leader", "lead_unit") if k not in columns]
            if missing:
                raise LedgerFileError("表头缺少必填列：" + "、".join(missing))
            rows = []
            for offset, raw in enumerate(values[header_at + 1:], start=header_at + 2):
                cells = {key: (raw[pos] if pos < len(raw) else None) for key, pos in columns.items()}
                if all(_text(v) == "" for v in cells.values()):
                    continue
                rows.append(Row(offset, cells))
            if len(rows) > MAX_ROWS:
                raise LedgerFileError(f"一次最多导入 {MAX_ROWS} 行，请拆分后导入")
            if not rows:
                raise LedgerFileError("表格中没有数据行")
            return rows
        raise last_error or LedgerFileError("文件中没有工作表")
    finally:
        wb.close()


# --- checking --------------------------------------------------------------------------------

DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value) -> dt.date | None:
    """A date cell, or text such as 2026-12-31, 2026/12/31, 2026年12月31日; None if blank; ValueError if bad."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace(" ", "")
    if not text:
        return None
    for pattern in DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    raise ValueError(text)


def parse_deadline_class(text: str) -> str:
    """A class from its label or the words offices use for it; '' if blank; ValueError if unknown."""
    t = text.replace(" ", "").replace("“", "").replace("”", "").replace('"', "")
    if not t:
        return ""
    for value, label in DeadlineClass.choices:
        if t == label or t == value:
            return value
    if "阶段" in t or "1年" in t or "一年" in t:
        return DeadlineClass.STAGED
    if "长期" in t:
        return DeadlineClass.LONG_TERM
    if "立行立改" in t or "立即" in t:
        return DeadlineClass.IMMEDIATE
    if t.startswith(("3个月", "三个月")):
        return DeadlineClass.THREE_MONTHS
    if t.startswith(("1个月", "一个月")):
        return DeadlineClass.ONE_MONTH
    raise ValueError(t)


def _positive_int(value) -> int | None:
    text = _text(value)
    if text == "":
        return None
    if not text.isdigit() or int(text) <= 0:
        raise ValueError(text)
    return int(text)


class Directory:
    """The organisation's units and leaders by the names people write in ledgers."""

    def __init__(self, org):
        self.units: dict[str, list[Unit]] = {}
        for u in Unit.objects.filter(org=org):
            for name in {u.name, u.short_name} - {""}:
                self.units.setdefault(name.replace(" ", ""), []).append(u)
        self.leaders: dict[str, list[User]] = {}
        for p in User.objects.filter(org=org, role__in=LEADER_ROLES, is_active=True):
            for name in {p.full_name, p.username} - {""}:
                self.leaders.setdefault(name.replace(" ", ""), []).append(p)

    @staticmethod
    def _suggest(name: str, names) -> str:
        close = difflib.get_close_matches(name, list(names), n=3, cutoff=0.5)
        return f"；是否为：{'、'.join(close)}" if close else ""

    def unit(self, name: str) -> Unit:
        found = self.units.get(name.replace(" ", ""), [])
        if len(found) == 1:
            u = found[0]
            if u.kind in (Unit.Kind.OFFICE, Unit.Kind.LEADERSHIP) or not u.is_active:
                raise LookupError(f"“{name}”不是承办单位（督查室、领导班子和已停用的单位不承办事项）")
            return u
        if len(found) > 1:
            raise LookupError(f"单位“{name}”有重名，请填写全称")
        raise LookupError(f"系统中没有名为“{name}”的单位{self._suggest(name, self.units)}")

    def leader(self, name: str) -> User:
        found = self.leaders.get(name.replace(" ", ""), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise LookupError(f"领导“{name}”有重名，请填写系统用户名")
        raise LookupError(f"系统中没有名为“{name}”的本组织领导{self._suggest(name, self.leaders)}")


def _title_of(measure: str) -> str:
    first = measure.splitlines()[0].strip() if measure.strip() else measure
    return first if len(first) <= MAX_TITLE else first[: MAX_TITLE - 1] + "…"


def check_rows(org, params: PlanParams, rows: list[Row], *, now=None, progress=None) -> tuple[list[CleanRow], list[RowError]]:
    """Check every row; collect every error rather than stopping at the first."""
    now = now or timezone.now()
    directory = Directory(org)
    # Every row is the same kind and urgency: the rule's proposal is the same for all of them.
    proposal = deadlines.propose_deadline(org, params.item_kind, "normal", timezone.localdate(now))
    errors: list[RowError] = []
    clean: list[CleanRow] = []
    last = {"category": "", "problem": "", "problem_no": None}
    problem_by_no: dict[int, tuple[str, int]] = {}
    no_by_problem: dict[str, int] = {}
    next_no = 1
    seen: dict[tuple[int, str], int] = {}
    measure_nos: dict[tuple[int, int], int] = {}

    for i, row in enumerate(rows):
        if progress and i % 500 == 0:
            progress(i)
        v = row.values
        row_errors: list[RowError] = []

        def err(key, message, value=None):
            shown = _text(v.get(key)) if value is None else value
            row_errors.append(RowError(row.line, BY_KEY[key].header, shown[:100], message))

        # Merged cells and blanks under a category or problem carry the value above.
        category = _text(v.get("category")) or last["category"]
        problem = _text(v.get("problem"))
        try:
            problem_no = _positive_int(v.get("problem_no"))
        except ValueError:
            err("problem_no", "问题序号应为正整数")
            problem_no = None
        if not problem and problem_no is None:
            problem, problem_no = last["problem"], last["problem_no"]
        elif not problem and problem_no in problem_by_no:
            problem = problem_by_no[problem_no][0]
        if not problem:
            err("problem", "缺少“问题”")
        if problem and problem_no is None:
            problem_no = no_by_problem.get(problem)
            if problem_no is None:
                while next_no in problem_by_no:
                    next_no += 1
                problem_no = next_no
        if problem and problem_no is not None:
            known = problem_by_no.get(problem_no)
            if known and known[0] != problem:
                err("problem_no", f"问题序号{problem_no}已用于另一问题（第{known[1]}行）", str(problem_no))
            elif not known:
                problem_by_no[problem_no] = (problem, row.line)
                no_by_problem.setdefault(problem, problem_no)
        last.update(category=category, problem=problem, problem_no=problem_no)

        measure = _text(v.get("measure"))
        if not measure:
            err("measure", "缺少“整改措施”")
        elif problem_no is not None:
            key = (problem_no, measure)
            if key in seen:
                err("measure", f"与第{seen[key]}行重复（同一问题下的同一措施）")
            else:
                seen[key] = row.line
        try:
            measure_no = _positive_int(v.get("measure_no"))
        except ValueError:
            err("measure_no", "措施序号应为正整数")
            measure_no = None
        if measure_no is not None and problem_no is not None:
            other = measure_nos.get((problem_no, measure_no))
            if other:
                err("measure_no", f"问题{problem_no}的措施序号{measure_no}与第{other}行重复")
            else:
                measure_nos[(problem_no, measure_no)] = row.line

        leader = lead_unit = None
        leader_name = _text(v.get("leader"))
        if not leader_name:
            err("leader", "缺少“牵头领导”")
        else:
            try:
                leader = directory.leader(leader_name)
            except LookupError as e:
                err("leader", str(e))
        unit_name = _text(v.get("lead_unit"))
        if not unit_name:
            err("lead_unit", "缺少“责任单位”")
        else:
            try:
                lead_unit = directory.unit(unit_name)
            except LookupError as e:
                err("lead_unit", str(e))
        co_units = []
        for name in SPLIT_UNITS.split(_text(v.get("co_units"))):
            name = name.strip()
            if not name:
                continue
            try:
                co_units.append(directory.unit(name))
            except LookupError as e:
                err("co_units", str(e), name)

        try:
            deadline_class = parse_deadline_class(_text(v.get("deadline_class")))
        except ValueError:
            err("deadline_class", "无法识别的整改时限，应为：" + " / ".join(DeadlineClass.labels))
            deadline_class = ""
        try:
            deadline = parse_date(v.get("deadline"))
        except (ValueError, OverflowError):
            err("deadline", "不是有效日期，应如 2026-12-31 或 2026年12月31日")
            deadline = None
        else:
            if deadline is None and deadline_class:
                try:
                    deadline = class_deadline(params.start_date, deadline_class)
                except InvalidInput as e:
                    err("deadline", e.message)
            elif deadline is None and not row_errors:
                err("deadline", "请填写完成时限或整改时限")

        if not row_errors:
            fields = DraftFields(
                title=_title_of(measure), content=measure, kind=params.item_kind, urgency="normal",
                lead_unit=lead_unit, co_units=co_units, responsible_leader=leader, deadline=deadline,
                deadline_override_reason="按整改台账时限", source_text=f"{params.title}：问题{problem_no}",
            )
            try:
                draft = _clean_draft(org, fields, now, proposal=proposal)
            except InvalidInput as e:
                label = {"lead_unit": "lead_unit", "co_units": "co_units", "responsible_leader": "leader",
                         "deadline": "deadline", "content": "measure", "title": "measure"}.get(e.field or "", "measure")
                err(label, e.message)
            else:
                clean.append(CleanRow(row.line, category, problem_no, problem, measure_no,
                                      _text(v.get("target"))[:2000], deadline_class, draft))
        errors.extend(row_errors)
    return clean, errors


# --- writing ---------------------------------------------------------------------------------

def _longest(classes) -> str:
    classes = [c for c in classes if c]
    return max(classes, key=lambda c: DEADLINE_CLASS_RANK[c]) if classes else ""


BATCH = 1000


def write_plan(org, by, params: PlanParams, rows: list[CleanRow], *, now=None) -> Plan:
    """Create the plan, its tree and one draft item per measure, all in one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        plan = Plan.objects.create(
            org=org, title=params.title, kind=params.kind, source_text=params.source_text,
            item_kind=params.item_kind, start_date=params.start_date, source_item_id=params.source_item_id,
            created_by=by, created_at=now,
        )
        items = []
        for r in rows:
            d = dict(r.draft)
            d.pop("co_units")
            items.append(Item(org=org, drafter=by, status=Status.DRAFT, created_at=now, **d))
        items = Item.objects.bulk_create(items, batch_size=BATCH)

        Assignment.objects.bulk_create(
            [a for item, r in zip(items, rows) for a in (
                [Assignment(item=item, unit=r.draft["lead_unit"], role=Assignment.Role.LEAD)]
                + [Assignment(item=item, unit=u, role=Assignment.Role.CO) for u in r.draft["co_units"]]
            )],
            batch_size=BATCH,
        )
        Named = Item.named_people.through
        Named.objects.bulk_create(
            [Named(item_id=item.id, user_id=uid) for item in items
             for uid in dict.fromkeys((by.id, item.responsible_leader_id))],
            batch_size=BATCH, ignore_conflicts=True,
        )
        comment = f"由台账《{plan.title}》导入"
        Event.objects.bulk_create(
            [Event(item=item, actor=by, action="create", to_status=Status.DRAFT, comment=comment, at=now,
                   data={"plan": plan.id}) for item in items],
            batch_size=BATCH,
        )
        _write_tree(plan, rows, items)
    return plan


def _write_tree(plan: Plan, rows: list[CleanRow], items: list[Item]) -> None:
    categories: dict[str, PlanNode] = {}
    problems: dict[int, PlanNode] = {}
    problem_classes: dict[int, list[str]] = {}
    child_count: dict[str, int] = {}

    def next_path(parent_path: str) -> str:
        child_count[parent_path] = child_count.get(parent_path, 0) + 1
        seg = path_segment(child_count[parent_path])
        return f"{parent_path}.{seg}" if parent_path else seg

    for r in rows:
        if r.category and r.category not in categories:
            categories[r.category] = PlanNode(plan=plan, level=PlanNode.Level.CATEGORY, path=next_path(""),
                                              number=len(categories) + 1, title=r.category[:500])
    PlanNode.objects.bulk_create(categories.values(), batch_size=BATCH)
    for r in rows:
        problem_classes.setdefault(r.problem_no, []).append(r.deadline_class)
        if r.problem_no not in problems:
            parent = categories.get(r.category)
            problems[r.problem_no] = PlanNode(
                plan=plan, parent=parent, level=PlanNode.Level.PROBLEM, path=next_path(parent.path if parent else ""),
                number=r.problem_no, title=r.problem[:500],
            )
    for no, node in problems.items():
        node.deadline_class = _longest(problem_classes[no])
    PlanNode.objects.bulk_create(problems.values(), batch_size=BATCH)
    measures, numbers = [], {}
    for r, item in zip(rows, items):
        parent = problems[r.problem_no]
        numbers[r.problem_no] = numbers.get(r.problem_no, 0) + 1
        measures.append(PlanNode(
            plan=plan, parent=parent, level=PlanNode.Level.MEASURE, path=next_path(parent.path),
            number=r.measure_no or numbers[r.problem_no], title=item.title[:500], target=r.target,
            deadline_class=r.deadline_class, item=item,
        ))
    PlanNode.objects.bulk_create(measures, batch_size=BATCH)
