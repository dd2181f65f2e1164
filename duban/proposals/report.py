"""The year's report on suggestions and proposals: per session, per unit and overall.

Figures offices report every year: received, answered on time (按时办复率), met in person (见面率),
satisfied (满意率, 满意 + 基本满意), the A/B/C/D distribution, re-handled, commitments done. Rates come
from the shared rate function (two decimals, half up), never typed. Definitions:

- answered on time: the first answer the office accepted was sent on or before its deadline (001 art. 10);
- 见面率: answered suggestions whose lead unit met the proposer in person (visit or meeting) / answered;
- 满意率: final ratings 满意 or 基本满意 / rated; the class is that of the final accepted answer;
- commitments done: follow-up items of B/C commitments closed or archived / all of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from duban.documents.xlsx import Column, Sheet, build_workbook
from duban.items.models import Status
from duban.ledgers.selectors import rate

from .models import Answer, AnswerClass, Body, Contact, NOUN_OF_BODY, Rating
from .selectors import proposals_visible_to

CLASSES = list(AnswerClass.values)


@dataclass
class Tally:
    label: str
    received: int = 0
    answered: int = 0
    on_time: int = 0
    met: int = 0
    rated: int = 0
    satisfied: int = 0
    basically: int = 0
    unsatisfied: int = 0
    classes: dict = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))
    rehandled: int = 0
    commitments: int = 0
    commitments_done: int = 0

    def add(self, other: "Tally"):
        for name in ("received", "answered", "on_time", "met", "rated", "satisfied", "basically", "unsatisfied",
                     "rehandled", "commitments", "commitments_done"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for c in CLASSES:
            self.classes[c] += other.classes[c]

    @property
    def on_time_rate(self) -> Decimal:
        return rate(self.on_time, self.answered)

    @property
    def meeting_rate(self) -> Decimal:
        return rate(self.met, self.answered)

    @property
    def satisfaction_rate(self) -> Decimal:
        return rate(self.satisfied + self.basically, self.rated)

    @property
    def classified(self) -> int:
        return sum(self.classes.values())

    def share(self, c) -> Decimal:
        return rate(self.classes[c], self.classified)

    @property
    def shares(self) -> dict:
        return {c: self.share(c) for c in CLASSES}


@dataclass
class YearReport:
    year: int
    org_name: str
    total: Tally
    by_body: list[tuple[str, Tally]]
    by_session: list[tuple[str, Tally]]
    by_unit: list[tuple[str, Tally]]

    @property
    def summary(self) -> str:
        t = self.total
        parts = [f"{self.year}年，共承办" + "、".join(
            f"{label}{x.received}件" for label, x in self.by_body if x.received) + f"，合计{t.received}件。"]
        if t.answered:
            parts.append(f"已答复{t.answered}件，其中按时答复{t.on_time}件，按时办复率{t.on_time_rate}%；"
                         f"承办单位与代表委员见面沟通{t.met}件，见面率{t.meeting_rate}%。")
            labels = {"A": "所提问题已经解决或基本解决的（A类）", "B": "正在解决或列入计划解决的（B类）",
                      "C": "因条件限制列入规划逐步解决的（C类）", "D": "因法律政策等原因不能解决、留作参考的（D类）"}
            parts.append("答复中，" + "；".join(
                f"{labels[c]}{t.classes[c]}件，占{t.share(c)}%" for c in CLASSES) + "。")
        if t.rated:
            parts.append(f"代表委员反馈意见{t.rated}件，其中满意{t.satisfied}件、基本满意{t.basically}件、"
                         f"不满意{t.unsatisfied}件，满意率（含基本满意）{t.satisfaction_rate}%。")
        if t.rehandled:
            parts.append(f"对代表委员不满意的{t.rehandled}件重新办理。")
        if t.commitments:
            parts.append(f"答复中承诺办理的事项{t.commitments}项，已落实{t.commitments_done}项，"
                         f"落实率{rate(t.commitments_done, t.commitments)}%。")
        return "".join(parts)


def year_report(user, year: int) -> YearReport:
    """The report of ``year`` over what ``user`` may see (the office: the whole organisation)."""
    proposals = list(
        proposals_visible_to(user).filter(session__year=year)
        .select_related("item__lead_unit")
        .prefetch_related("answers__rating", "answers__commitments__item", "contacts")
        .order_by("session__body", "session_id", "number")
    )
    total = Tally("合计")
    bodies = {b: Tally(f"{label}{NOUN_OF_BODY[b]}") for b, label in Body.choices}
    sessions: dict[int, Tally] = {}
    units: dict[str, Tally] = {}
    for p in proposals:
        t = _tally_of(p)
        total.add(t)
        bodies[p.session.body].add(t)
        sessions.setdefault(p.session_id, Tally(p.session.name)).add(t)
        unit = p.item.lead_unit.name if p.item.lead_unit_id else "（未交办）"
        units.setdefault(unit, Tally(unit)).add(t)
    return YearReport(
        year=year, org_name=user.org.name if user.org_id else "", total=total,
        by_body=[(t.label, t) for t in bodies.values()],
        by_session=[(t.label, t) for t in sessions.values()],
        by_unit=sorted(((k, v) for k, v in units.items()), key=lambda kv: (-kv[1].received, kv[0])),
    )


def _tally_of(p) -> Tally:
    t = Tally(p.item.title, received=1)
    answers = [a for a in p.answers.all() if a.state == Answer.State.ACCEPTED]
    answers.sort(key=lambda a: (a.round, a.id))
    if answers:
        first, last = answers[0], answers[-1]
        t.answered = 1
        t.on_time = int(first.is_on_time)
        t.met = int(any(c.method in Contact.FACE_TO_FACE for c in p.contacts.all()))
        t.classes[last.answer_class] += 1
        rated = [a for a in answers if hasattr(a, "rating")]
        if rated:
            value = rated[-1].rating.value
            t.rated = 1
            t.satisfied = int(value == Rating.Value.SATISFIED)
            t.basically = int(value == Rating.Value.BASICALLY)
            t.unsatisfied = int(value == Rating.Value.UNSATISFIED)
        for a in answers:
            for c in a.commitments.all():
                t.commitments += 1
                t.commitments_done += int(bool(c.item_id and c.item.status in (Status.CLOSED, Status.ARCHIVED)))
    t.rehandled = int(p.round > 1)
    return t


HEADERS = ["", "交办件数", "已答复", "按时答复", "按时办复率（%）", "见面沟通", "见面率（%）", "已评价", "满意",
           "基本满意", "不满意", "满意率（%）", "A类", "A类占比（%）", "B类", "B类占比（%）", "C类", "C类占比（%）",
           "D类", "D类占比（%）", "重新办理", "承诺事项", "承诺已落实"]


def row_of(label, t: Tally) -> list:
    row = [label, t.received, t.answered, t.on_time, t.on_time_rate, t.met, t.meeting_rate, t.rated, t.satisfied,
           t.basically, t.unsatisfied, t.satisfaction_rate]
    for c in CLASSES:
        row += [t.classes[c], t.share(c)]
    return row + [t.rehandled, t.commitments, t.commitments_done]


def _tables(r: YearReport):
    sessions = [row_of(label, t) for label, t in r.by_session] + [row_of("合计", r.total)]
    units = [row_of(label, t) for label, t in r.by_unit] + [row_of("合计", r.total)]
    return sessions, units


def report_xlsx(r: YearReport) -> bytes:
    sessions, units = _tables(r)

    def cols(first):
        return [Column(first, 30, "wrap")] + [Column(h, 10, "percent" if "率" in h or "占比" in h else "int")
                                               for h in HEADERS[1:]]

    sub = f"截至{_cn_date(timezone.localdate())}"
    return build_workbook([
        Sheet("总体情况", f"{r.year}年建议提案办理情况", [Column("办理情况", 110, "wrap")], [[r.summary]], subtitle=sub),
        Sheet("按会次", f"{r.year}年建议提案办理情况（按会次）", cols("会次"), sessions, subtitle=sub),
        Sheet("按承办单位", f"{r.year}年建议提案办理情况（按主办单位）", cols("主办单位"), units, subtitle=sub),
    ])


def _cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


DOCX_HEADERS = ["", "件数", "按时办复率", "见面率", "满意率", "A/B/C/D", "重新办理"]


def _short_row(label, t: Tally) -> list:
    return [label, t.received, f"{t.on_time_rate}%", f"{t.meeting_rate}%", f"{t.satisfaction_rate}%",
            "/".join(str(t.classes[c]) for c in CLASSES), t.rehandled]


def report_docx(r: YearReport, *, issuer: str) -> bytes:
    from duban.documents import docx as docx_out

    return docx_out.build_report_docx(
        title=f"关于{r.year}年度人大代表建议和政协委员提案办理情况的报告", issuer=issuer,
        date_line=_cn_date(timezone.localdate()),
        blocks=[
            ("h1", "一、总体情况"),
            r.summary,
            ("h1", "二、各会次办理情况"),
            docx_out.Table("表1 各会次办理情况", ["会次", *DOCX_HEADERS[1:]],
                           [_short_row(label, t) for label, t in r.by_session] + [_short_row("合计", r.total)]),
            ("h1", "三、各承办单位办理情况"),
            docx_out.Table("表2 各主办单位办理情况", ["主办单位", *DOCX_HEADERS[1:]],
                           [_short_row(label, t) for label, t in r.by_unit] + [_short_row("合计", r.total)]),
        ],
    )
