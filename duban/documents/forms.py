"""Every form of supervision work, filled from the record: one function per form (issue 10,
point 1; seed 004: 交办单、催办通知书、督办卡、整改建议书、归档目录; seed 001 art. 11: formal
documents carry number, signer and seal).

A function returns a ``Form``: what the document says, independent of its format. ``render``
turns the same ``Form`` into .docx, HTML (the browser's print) and PDF, so the three carry the
same content; the organisation's own Word template receives ``Form.context``. Nothing here
checks who asks: ``selectors.form_for`` does, and passes only what its reader may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from duban.items.models import Event, Item, Report
from duban.items.workflow import EVENT_LABELS

from .docx import Table
from .kinds import FormKind


@dataclass
class Form:
    kind: str
    title: str
    heading: str = ""  # 版头, red, at the top
    number: str = ""
    signer: str = ""  # 签发人 (上行文), beside the number
    main_to: str = ""  # 主送
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (placeholder, label, value): the grid
    body: list[str] = field(default_factory=list)  # paragraphs after the grid
    table: Table | None = None
    issuer: str = ""  # 落款
    date: dt.date | None = None
    cc: str = ""  # 抄送
    sealed: bool = False  # the organisation's seal goes over the issuer
    filename: str = ""

    @property
    def date_line(self) -> str:
        return cn_date(self.date)

    @property
    def context(self) -> dict:
        """What an organisation's template may use: ``placeholders(kind)`` lists the names."""
        ctx = {
            "heading": self.heading, "title": self.title, "number": self.number, "signer": self.signer,
            "main_to": self.main_to, "issuer": self.issuer, "date": self.date_line, "cc": self.cc,
            "body": "\n".join(self.body), "paragraphs": list(self.body),
            "fields": [{"label": label, "value": value} for _, label, value in self.fields],
            "rows": [[text(v) for v in row] for row in (self.table.rows if self.table else [])],
            "headers": list(self.table.headers) if self.table else [],
        }
        ctx.update({key: value for key, _, value in self.fields})
        return ctx


COMMON_PLACEHOLDERS = {
    "heading": "版头", "title": "文书标题", "number": "文号/编号", "signer": "签发人", "main_to": "主送",
    "issuer": "落款", "date": "成文日期", "cc": "抄送", "body": "正文（整段）", "paragraphs": "正文段落（列表）",
    "fields": "表格各栏（列表，含 label、value）", "rows": "明细表各行（列表）", "headers": "明细表表头（列表）",
}


def cn_date(d) -> str:
    if d is None:
        return ""
    if isinstance(d, dt.datetime):
        d = timezone.localtime(d).date() if timezone.is_aware(d) else d.date()
    return f"{d.year}年{d.month}月{d.day}日"


def cn_datetime(d) -> str:
    if d is None:
        return ""
    d = timezone.localtime(d) if timezone.is_aware(d) else d
    return f"{d.year}年{d.month}月{d.day}日 {d:%H:%M}"


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return cn_datetime(value)
    if isinstance(value, dt.date):
        return cn_date(value)
    return str(value)


def person(user) -> str:
    if user is None:
        return ""
    return f"{user.display_name}（{user.title}）" if getattr(user, "title", "") else user.display_name


@dataclass
class Letterhead:
    """The organisation's 版头 and the name it signs with (``DocumentSettings``)."""

    heading: str
    issuer: str

    @classmethod
    def of(cls, org) -> Letterhead:
        from .models import DocumentSettings

        s = DocumentSettings.objects.filter(org_id=org.id).first()
        heading = (s.heading if s else "") or f"{org.name}督查室"
        return cls(heading=heading, issuer=(s.issuer if s else "") or heading)


def _units(item) -> tuple[str, str]:
    co = "、".join(u.name for u in item.co_units) or "无"
    return (item.lead_unit.name if item.lead_unit else "（待确定）"), co


def _first_event(item, action) -> Event | None:
    return next((e for e in item.events.all() if e.action == action), None)


def _item_fields(item) -> list[tuple[str, str, str]]:
    lead, co = _units(item)
    return [
        ("item_number", "事项编号", item.number or "（未立项）"),
        ("item_title", "事项名称", item.title),
        ("lead_unit", "主办单位", lead),
        ("co_units", "协办单位", co),
    ]


# --- the forms ---------------------------------------------------------------------------------------

def assignment_notice(item: Item, lh: Letterhead) -> Form:
    """督查事项交办通知单: what, who, by when, sent to the units on registration (seed 002 art.
    5(2); seed 004: notice within 2 working days of registration)."""
    lead, co = _units(item)
    return Form(
        kind=FormKind.ASSIGNMENT_NOTICE, title="督查事项交办通知单", heading=lh.heading, number=item.number,
        main_to=lead + ("、" + co if co != "无" else ""),
        fields=[
            ("item_number", "事项编号", item.number or "（未立项）"),
            ("item_title", "事项名称", item.title),
            ("item_kind", "事项类别", item.get_kind_display()),
            ("urgency", "缓急程度", item.get_urgency_display()),
            ("source", "来源与依据", item.source_text or "—"),
            ("content", "内容与要求", item.content),
            ("lead_unit", "主办单位", lead),
            ("co_units", "协办单位", co),
            ("leader", "分管领导", person(item.responsible_leader) or "（待确定）"),
            ("start_date", "交办日期", cn_date(item.start_date)),
            ("deadline", "办理时限", cn_date(item.deadline) + ("（暂定）" if item.deadline_provisional else "")),
            ("report_cycle", "报告要求", item.get_report_cycle_display() if item.report_cycle else "办结后报送办结报告"),
            ("drafter", "督查员", person(item.drafter)),
        ],
        body=["请主办单位牵头、协办单位配合，按要求认真办理，在办理时限内报送办结报告；"
              "确需延期的，应在期满前提出延期申请。"],
        issuer=lh.issuer, date=item.start_date or item.registered_at, sealed=True,
        filename=f"交办通知单-{item.number or item.id}",
    )


def instruction_slip(item: Item, lh: Letterhead) -> Form:
    """领导批示呈批单: the office's proposal and the leader's decision on it (seed 001 art. 8:
    立项; seed 004: 领导批示件转办单)."""
    submitted = _first_event(item, "submit_proposal")
    approved = _first_event(item, "approve_proposal")
    lead, co = _units(item)
    instructions = "\n".join(f"{i.leader.display_name}（{cn_date(i.at)}）：{i.text}" for i in item.instructions.all())
    return Form(
        kind=FormKind.INSTRUCTION_SLIP, title="领导批示呈批单", heading=lh.heading, number=item.number,
        fields=[
            ("item_title", "事项名称", item.title),
            ("source", "来文（批示）依据", item.source_text or "—"),
            ("content", "拟办意见", f"{item.content}\n拟由{lead}主办" + (f"，{co}协办" if co != "无" else "")
             + (f"，于{cn_date(item.deadline)}前办结。" if item.deadline else "。")),
            ("drafter", "拟办人", person(item.drafter)),
            ("submitted_at", "呈批时间", cn_datetime(submitted.at) if submitted else ""),
            ("approver", "领导审批", (f"{approved.actor.display_name}：{approved.comment or '同意'}"
                                  if approved and approved.actor else "（待审批）")),
            ("approved_at", "审批时间", cn_datetime(approved.at) if approved else ""),
            ("instructions", "领导批示", instructions or "—"),
        ],
        issuer=lh.issuer, date=(submitted.at if submitted else item.created_at),
        filename=f"呈批单-{item.number or item.id}",
    )


def handling_card(item: Item, lh: Letterhead, events: list[Event]) -> Form:
    """督办卡 / 办理卡: the item's whole course on one sheet (seed 004); ``events`` are those its
    reader may see (``timeline_for``)."""
    lead, co = _units(item)
    rows = [(cn_datetime(e.at), EVENT_LABELS.get(e.action, e.action),
             e.actor.display_name if e.actor else "系统", e.comment) for e in events]
    return Form(
        kind=FormKind.HANDLING_CARD, title="督办卡", heading=lh.heading, number=item.number,
        fields=[
            *_item_fields(item),
            ("leader", "分管领导", person(item.responsible_leader)),
            ("start_date", "交办日期", cn_date(item.start_date)),
            ("deadline", "办理时限", cn_date(item.deadline)),
            ("status", "办理状态", item.get_status_display()),
            ("closed_at", "办结时间", cn_date(item.closed_at) or "—"),
        ],
        table=Table("办理过程", ["时间", "环节", "办理人", "说明"], rows, [3.6, 2.4, 2.2, 7.4]),
        issuer=lh.issuer, date=timezone.localdate(), filename=f"督办卡-{item.number or item.id}",
    )


def notice(n, lh: Letterhead) -> Form:
    """催办单 / 督办令 with its own number (seed 000 督查催办单; seed 001 art. 13)."""
    item = n.item
    overdue = f"已超过办理时限（{cn_date(item.deadline)}）" if item.deadline else "尚未办结"
    if n.kind == "supervision_order":
        ask = "现下达督办令，请单位主要负责人亲自过问，集中力量办理，于3个工作日内书面报告办理情况及整改措施。"
    else:
        ask = "请抓紧办理，并于3个工作日内报告办理进展；逾期未办结的，须书面说明原因。"
    return Form(
        kind=n.kind, title=n.get_kind_display(), heading=lh.heading, number=n.number, main_to=n.unit.name,
        fields=[
            ("item_number", "事项编号", item.number),
            ("item_title", "事项名称", item.title),
            ("unit", "承办单位", n.unit.name),
            ("deadline", "办理时限", cn_date(item.deadline)),
            ("issued_at", "发出时间", cn_datetime(n.issued_at)),
        ],
        body=[f"你单位承办的督查事项“{item.title}”（{item.number}）{overdue}。{ask}"] + ([n.body] if n.body else []),
        issuer=lh.issuer, date=n.issued_at, sealed=True, filename=f"{n.get_kind_display()}-{n.number}",
    )


def extension_form(ext, lh: Letterhead) -> Form:
    """延期申请审批表: asked before the deadline, decided by the office (seed 001 art. 9)."""
    item = ext.item
    return Form(
        kind=FormKind.EXTENSION_FORM, title="督查事项延期申请审批表", heading=lh.heading, number=item.number,
        fields=[
            ("item_number", "事项编号", item.number),
            ("item_title", "事项名称", item.title),
            ("unit", "申请单位", ext.unit.name),
            ("requested_by", "申请人", person(ext.requested_by)),
            ("requested_at", "申请时间", cn_datetime(ext.created_at)),
            ("old_deadline", "原办理时限", cn_date(ext.old_deadline or item.original_deadline or item.deadline)),
            ("requested_deadline", "申请延至", cn_date(ext.requested_deadline)),
            ("reason", "延期理由", ext.reason),
            ("progress", "目前进展", ext.progress),
            ("decision", "审批结果", ext.get_state_display()),
            ("decided_by", "审批人", person(ext.decided_by) or "—"),
            ("decision_comment", "审批意见", ext.decision_comment or "—"),
            ("new_deadline", "批准时限", cn_date(ext.new_deadline) or "—"),
            ("decided_at", "审批时间", cn_datetime(ext.decided_at) or "—"),
        ],
        issuer=lh.issuer, date=ext.decided_at or ext.created_at, filename=f"延期申请审批表-{item.number}-{ext.id}",
    )


def unit_report(report: Report, lh: Letterhead) -> Form:
    """办结报告 / 情况说明: the unit's report with the head who signed it (seed 001 art. 11: formal
    report documents with number, signer and seal; seed 002 art. 5(3))."""
    item = report.item
    kind = FormKind.COMPLETION_REPORT if report.kind == Report.Kind.COMPLETION else FormKind.EXPLANATION
    label = "办结报告" if kind == FormKind.COMPLETION_REPORT else "情况说明"
    return Form(
        kind=kind, title=f"关于“{item.title}”的{label}", heading=report.unit.name, number=item.number,
        signer=report.head.display_name if report.head else "", main_to=lh.issuer,
        fields=[
            ("item_number", "事项编号", item.number),
            ("item_title", "事项名称", item.title),
            ("unit", "报送单位", report.unit.name),
            ("author", "经办人", person(report.author)),
            ("head", "单位负责人（签发）", person(report.head) or "（未审签）"),
            ("head_comment", "负责人意见", report.head_comment or "同意报送"),
            ("approved_at", "审签时间", cn_datetime(report.approved_at)),
            ("submitted_at", "报送时间", cn_datetime(report.submitted_at) or "（未报送）"),
            ("state", "状态", report.get_state_display()),
        ],
        body=report.body.split("\n"), issuer=report.unit.name, date=report.submitted_at or report.approved_at,
        sealed=False, filename=f"{label}-{item.number}-{report.unit.name}-{report.id}",
    )


def issued_document(doc, lh: Letterhead) -> Form:
    """督查专报 (to the leader: number, 签发人, date, 主送/抄送; seed 001 art. 11 一事一报) and
    整改通知书 / 督查建议书 (to a unit, answered through the item it opens; seed 004)."""
    fields = []
    if doc.item_id:
        fields.append(("item_number", "所涉事项", f"{doc.item.number} {doc.item.title}"))
    if doc.unit_id:
        fields.append(("unit", "受文单位", doc.unit.name))
    if doc.answer_deadline:
        fields.append(("answer_deadline", "反馈时限", cn_date(doc.answer_deadline)))
    if doc.answer_item_id:
        fields.append(("answer_item", "整改反馈事项", doc.answer_item.number or f"（草拟中，第{doc.answer_item_id}号）"))
    heading = lh.heading if doc.kind != FormKind.SPECIAL_REPORT else "督查专报"
    return Form(
        kind=doc.kind, title=doc.title, heading=heading, number=doc.number, signer=doc.signer,
        main_to=doc.main_to, fields=fields, body=doc.body.split("\n"), issuer=lh.issuer, date=doc.issued_at,
        cc=doc.cc, sealed=True, filename=f"{doc.get_kind_display()}-{doc.number}",
    )


def catalogue(item: Item, lh: Letterhead, entries: list[tuple]) -> Form:
    """卷内文件目录 (seed 004: 归档目录, one item one volume): ``entries`` are (number, author,
    title, date, file) as the volume holds them, in order."""
    rows = [(i, number, author, title, cn_date(day), name) for i, (number, author, title, day, name)
            in enumerate(entries, start=1)]
    return Form(
        kind=FormKind.CATALOGUE, title="卷内文件目录", heading=lh.heading, number=item.number,
        fields=_item_fields(item),
        table=Table("", ["序号", "文号", "责任者", "题名", "日期", "卷内文件"], rows, [1.2, 3.0, 2.6, 4.6, 2.4, 1.8]),
        issuer=lh.issuer, date=item.archived_at or timezone.now(), filename=f"卷内文件目录-{item.number}",
    )


def note_sheet(item: Item, lh: Letterhead, *, files: int, events: int, chain_head: str, retention: str,
               sealed_by, sealed_at) -> Form:
    """备考表: the volume's own account (how many files, who filed it when, how to check it)."""
    return Form(
        kind=FormKind.NOTE_SHEET, title="卷内备考表", heading=lh.heading, number=item.number,
        fields=[
            *_item_fields(item),
            ("files", "本卷文件", f"{files}件"),
            ("events", "办理记录", f"{events}条"),
            ("retention", "保管期限", retention),
            ("chain_head", "记录链头（SHA-256）", chain_head),
            ("sealed_by", "立卷人", person(sealed_by)),
            ("sealed_at", "立卷时间", cn_datetime(sealed_at)),
        ],
        body=["本卷由系统按一事一卷自动立卷。卷内各文件的 SHA-256 列于 manifest.json；"
              "记录链头为本事项全部办理记录的哈希链末端，可用 manage.py verify_archive 复核。"],
        issuer=lh.issuer, date=sealed_at, filename=f"备考表-{item.number}",
    )


# What an organisation's template for each kind may name, besides ``COMMON_PLACEHOLDERS``.
def _keys(*names):
    return dict(names)


ITEM_KEYS = (("item_number", "事项编号"), ("item_title", "事项名称"), ("lead_unit", "主办单位"), ("co_units", "协办单位"))
KIND_PLACEHOLDERS = {
    FormKind.ASSIGNMENT_NOTICE: _keys(*ITEM_KEYS, ("item_kind", "事项类别"), ("urgency", "缓急程度"),
                                      ("source", "来源与依据"), ("content", "内容与要求"), ("leader", "分管领导"),
                                      ("start_date", "交办日期"), ("deadline", "办理时限"), ("report_cycle", "报告要求"),
                                      ("drafter", "督查员")),
    FormKind.INSTRUCTION_SLIP: _keys(("item_title", "事项名称"), ("source", "来文依据"), ("content", "拟办意见"),
                                     ("drafter", "拟办人"), ("submitted_at", "呈批时间"), ("approver", "领导审批"),
                                     ("approved_at", "审批时间"), ("instructions", "领导批示")),
    FormKind.HANDLING_CARD: _keys(*ITEM_KEYS, ("leader", "分管领导"), ("start_date", "交办日期"),
                                  ("deadline", "办理时限"), ("status", "办理状态"), ("closed_at", "办结时间")),
    FormKind.URGE_NOTICE: _keys(("item_number", "事项编号"), ("item_title", "事项名称"), ("unit", "承办单位"),
                                ("deadline", "办理时限"), ("issued_at", "发出时间")),
    FormKind.EXTENSION_FORM: _keys(("item_number", "事项编号"), ("item_title", "事项名称"), ("unit", "申请单位"),
                                   ("requested_by", "申请人"), ("requested_at", "申请时间"), ("old_deadline", "原办理时限"),
                                   ("requested_deadline", "申请延至"), ("reason", "延期理由"), ("progress", "目前进展"),
                                   ("decision", "审批结果"), ("decided_by", "审批人"), ("decision_comment", "审批意见"),
                                   ("new_deadline", "批准时限"), ("decided_at", "审批时间")),
    FormKind.COMPLETION_REPORT: _keys(("item_number", "事项编号"), ("item_title", "事项名称"), ("unit", "报送单位"),
                                      ("author", "经办人"), ("head", "单位负责人"), ("head_comment", "负责人意见"),
                                      ("approved_at", "审签时间"), ("submitted_at", "报送时间"), ("state", "状态")),
    FormKind.SPECIAL_REPORT: _keys(("item_number", "所涉事项")),
    FormKind.RECTIFICATION_NOTICE: _keys(("item_number", "所涉事项"), ("unit", "受文单位"),
                                         ("answer_deadline", "反馈时限"), ("answer_item", "整改反馈事项")),
    FormKind.CATALOGUE: _keys(*ITEM_KEYS),
    FormKind.NOTE_SHEET: _keys(*ITEM_KEYS, ("files", "本卷文件"), ("events", "办理记录"), ("retention", "保管期限"),
                               ("chain_head", "记录链头"), ("sealed_by", "立卷人"), ("sealed_at", "立卷时间")),
}
KIND_PLACEHOLDERS[FormKind.SUPERVISION_ORDER] = KIND_PLACEHOLDERS[FormKind.URGE_NOTICE]
KIND_PLACEHOLDERS[FormKind.EXPLANATION] = KIND_PLACEHOLDERS[FormKind.COMPLETION_REPORT]
KIND_PLACEHOLDERS[FormKind.RECOMMENDATION_LETTER] = KIND_PLACEHOLDERS[FormKind.RECTIFICATION_NOTICE]


def placeholders(kind: str) -> dict[str, str]:
    """Every name a template of ``kind`` may use, with what it holds."""
    return {**COMMON_PLACEHOLDERS, **KIND_PLACEHOLDERS.get(kind, {})}

