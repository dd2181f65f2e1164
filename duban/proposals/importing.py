"""Excel in: the year's batch of suggestions or proposals, checked row by row, written all or nothing.

The shape follows ``duban.ledgers.importing``: ``read_batch`` finds the header and reads the rows;
``check_batch`` checks every row and collects every error as 第N行 / 列 / 内容 / 问题 in Chinese;
``write_batch`` creates the sessions it names, the proposers and one item per suggestion in a single
transaction (``services.write_proposals``), so a file with one bad row changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from duban.documents.xlsx import unneutralise
from duban.items.errors import InvalidInput
from duban.ledgers.importing import Row, RowError  # one shape of row and row error for every import

from . import services
from .models import Body, Session

MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024
HEADER_SCAN_ROWS = 10
SPLIT_PEOPLE = re.compile(r"[、，,；;\n]+")
PERSON = re.compile(r"^(?P<name>[^（(]+?)\s*(?:[（(](?P<group>[^）)]*)[）)])?$")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS = (
    Column("number", "编号", ("序号", "建议号", "提案号", "案号"), True),
    Column("title", "标题", ("案由", "题目", "建议标题", "提案标题"), True),
    Column("lead", "领衔人", ("提出人", "代表", "委员", "第一提案人", "领衔代表"), True),
    Column("group", "代表团/界别", ("代表团", "界别", "所在代表团", "界别/党派")),
    Column("cosigners", "附议人", ("联名人", "联名代表", "联名委员")),
    Column("category", "类别", ("分类", "内容分类")),
    Column("content", "内容", ("建议内容", "提案内容", "正文"), True),
    Column("session", "会次", ("届次", "会议")),
    Column("phone", "联系电话", ("电话", "手机")),
)
BY_KEY = {c.key: c for c in COLUMNS}


class BatchFileError(InvalidInput):
    """The file as a whole cannot be read."""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unneutralise(str(value).replace("\u3000", " ").strip())


def _norm(header) -> str:
    return _text(header).replace(" ", "").replace("\n", "").lstrip("*")


def read_batch(uploaded) -> list[Row]:
    import zipfile

    from openpyxl import load_workbook

    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_BYTES:
        raise BatchFileError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分后导入")
    try:
        wb = load_workbook(uploaded, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise BatchFileError("无法读取该文件：请上传 Excel 2007 及以上版本的 .xlsx 文件") from err
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise BatchFileError("文件中没有工作表")
        values = list(ws.iter_rows(values_only=True, max_row=MAX_ROWS + HEADER_SCAN_ROWS + 2))
    finally:
        wb.close()
    for index, raw in enumerate(values[:HEADER_SCAN_ROWS]):
        cells = [_norm(c) for c in raw]
        found = {}
        for column in COLUMNS:
            for pos, cell in enumerate(cells):
                if cell in (column.header, *column.aliases) and pos not in found.values():
                    found[column.key] = pos
                    break
        if "title" in found and "number" in found:
            missing = [c.header for c in COLUMNS if c.required and c.key not in found]
            if missing:
                raise BatchFileError("表头缺少必填列：" + "、".join(missing))
            rows = []
            for line, raw_row in enumerate(values[index + 1:], start=index + 2):
                cells = {k: (raw_row[p] if p < len(raw_row) else None) for k, p in found.items()}
                if all(_text(v) == "" for v in cells.values()):
                    continue
                rows.append(Row(line, cells))
            if len(rows) > MAX_ROWS:
                raise BatchFileError(f"一次最多导入 {MAX_ROWS} 件，请拆分后导入")
            if not rows:
                raise BatchFileError("表格中没有数据行")
            return rows
    raise BatchFileError("未找到表头：表格前10行中应有“编号”“标题”两列，请使用下载的模板")


def parse_people(text: str, default_group: str) -> list[tuple[str, str]]:
    """“张三（经济界）、李四” → [(张三, 经济界), (李四, default_group)]; ValueError on a bad name."""
    people = []
    for part in SPLIT_PEOPLE.split(text):
        part = part.strip()
        if not part:
            continue
        m = PERSON.match(part)
        if not m or len(m.group("name").strip()) > 50:
            raise ValueError(part)
        people.append((m.group("name").strip(), (m.group("group") or default_group or "").strip()))
    return people


FIELD_COLUMN = {"number": "number", "title": "title", "content": "content", "category": "category",
                "proposers": "lead"}


def check_batch(org, *, body, year, default_session: str, rows: list[Row]):
    """Check every row; returns ({session name: [cleaned, ...]}, errors)."""
    errors: list[RowError] = []
    by_session: dict[str, list[dict]] = {}
    existing = {s.name: set(s.proposals.values_list("number", flat=True))
                for s in Session.objects.filter(org=org, body=body)}
    seen: dict[tuple[str, int], int] = {}
    for row in rows:
        v = row.values
        row_errors: list[RowError] = []

        def err(key, message, value=None):
            shown = _text(v.get(key)) if value is None else value
            row_errors.append(RowError(row.line, BY_KEY[key].header, shown[:100], message))

        session = _text(v.get("session")) or default_session
        if not session:
            err("session", "缺少“会次”（可在导入页面填写默认会次）")
        elif len(session) > 100:
            err("session", "会次不能超过100字")
        number_text = _text(v.get("number")).lstrip("第").rstrip("号")
        if not number_text.isdigit() or int(number_text) <= 0:
            err("number", "编号应为正整数，如 12 或 第12号")
            number = None
        else:
            number = int(number_text)
            if session and (session, number) in seen:
                err("number", f"与第{seen[(session, number)]}行编号重复")
            elif session:
                seen[(session, number)] = row.line
        group = _text(v.get("group"))
        try:
            lead = parse_people(_text(v.get("lead")), group)
        except ValueError as e:
            err("lead", f"无法识别的姓名：{e}")
            lead = []
        if len(lead) > 1:
            err("lead", "领衔人只能填写一位，其他人请填在“附议人”列")
        try:
            cosigners = parse_people(_text(v.get("cosigners")), "")
        except ValueError as e:
            err("cosigners", f"无法识别的姓名：{e}")
            cosigners = []
        if not row_errors and session and number is not None:
            proposers = [services.ProposerFields(name=n, group=g, phone=_text(v.get("phone")), is_lead=True)
                         for n, g in lead[:1]]
            proposers += [services.ProposerFields(name=n, group=g) for n, g in cosigners]
            fields = services.ProposalFields(number=number, title=_text(v.get("title")),
                                             content=_text(v.get("content")), category=_text(v.get("category")),
                                             proposers=proposers)
            try:
                cleaned = services.clean_proposal(_Stub(session, body), fields,
                                                  taken=existing.get(session, set()))
            except InvalidInput as e:
                key = FIELD_COLUMN.get(e.field or "", "title")
                if e.field in ("phone",) or "电话" in e.message:
                    key = "phone"
                err(key, e.message)
            else:
                cleaned["line"] = row.line
                by_session.setdefault(session, []).append(cleaned)
        errors.extend(row_errors)
    return by_session, errors


@dataclass
class _Stub:
    """What ``clean_proposal`` reads of a session that may not exist yet."""

    name: str
    body: str


def write_batch(org, by, *, body, year, by_session: dict[str, list[dict]], now=None) -> list:
    """Create the sessions and all the suggestions, or nothing."""
    if body not in Body.values:
        raise InvalidInput("请选择人大建议或政协提案", "body")
    made = []
    with transaction.atomic():
        for name, cleaned in by_session.items():
            session, _ = Session.objects.get_or_create(org=org, body=body, name=name, defaults={"year": year})
            made += services.write_proposals(org, by, session, cleaned, comment="批量导入", now=now)
    return made


def import_batch(org, by, uploaded, *, body, year, default_session="", now=None):
    """Read, check, write: returns (proposals, errors); with any error nothing is written."""
    services._require_office(by, org)
    if body not in Body.values:
        raise InvalidInput("请选择人大建议或政协提案", "body")
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise InvalidInput("年度不正确", "year") from None
    if not 2000 <= year <= 2099:
        raise InvalidInput("年度不正确", "year")
    rows = read_batch(uploaded)
    by_session, errors = check_batch(org, body=body, year=year, default_session=default_session.strip(), rows=rows)
    if errors:
        return [], errors
    try:
        return write_batch(org, by, body=body, year=year, by_session=by_session, now=now), []
    except IntegrityError:  # someone registered the same number meanwhile: checked again on the next try
        raise InvalidInput("导入时编号已被占用（可能有人同时登记），请重新导入", "file") from None


def template_workbook() -> bytes:
    from duban.documents.xlsx import Column as XColumn
    from duban.documents.xlsx import Sheet, build_workbook

    cols = [XColumn(c.header, 14 if c.key != "content" else 60, "wrap" if c.key in ("content", "title") else "text")
            for c in COLUMNS]
    example = [["1", "关于加快老旧小区加装电梯的建议", "王建国", "城关代表团", "李红（城关代表团）、赵强",
                "城乡建设", "建议简化审批流程，加大财政补助。", "市十七届人大五次会议", "13800000000"]]
    return build_workbook([Sheet("建议提案", "建议提案导入模板", cols, example)])
