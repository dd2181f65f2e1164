"""A published (or any) assessment as .xlsx and .docx, through duban/documents."""

from __future__ import annotations

from duban.documents import docx as wdocx
from duban.documents import xlsx

from .models import Assessment, ScoreKind


def _period(a: Assessment) -> str:
    return f"考核期：{a.period_start:%Y年%m月%d日}至{a.period_end:%Y年%m月%d日}"


def workbook(a: Assessment, scores, lines) -> bytes:
    ranking = xlsx.Sheet(
        name="得分排名", title=a.title, subtitle=f"{_period(a)}  状态：{a.get_status_display()}",
        columns=[xlsx.Column("名次", 8, "int"), xlsx.Column("单位", 26), xlsx.Column("基础分", 10),
                 xlsx.Column("扣分", 10), xlsx.Column("加分", 10), xlsx.Column("调整", 10), xlsx.Column("得分", 10)],
        rows=[(s.rank, s.unit_name, str(a.base_score), str(s.deductions), str(s.additions), str(s.adjustment),
               str(s.score)) for s in scores],
    )
    names = {s.unit_id: s.unit_name for s in scores}
    detail = xlsx.Sheet(
        name="得分明细", title=f"{a.title}得分明细", subtitle=_period(a),
        columns=[xlsx.Column("单位", 22), xlsx.Column("事项", 16), xlsx.Column("分值", 9), xlsx.Column("日期", 14, "date"),
                 xlsx.Column("事项编号", 16), xlsx.Column("说明", 60, "wrap")],
        rows=[(names.get(l.unit_id, ""), ScoreKind(l.kind).label, str(l.points), l.at, l.item_number, l.label)
              for l in lines if l.unit_id in names],
    )
    return xlsx.build_workbook([ranking, detail])


def document(a: Assessment, scores, lines) -> bytes:
    blocks = [f"{_period(a)}。按照本组织督查考核办法，根据督查事项办理记录、通报和问责情况计算得分，"
              f"各单位基础分{a.base_score}分，结果如下。",
              ("h1", "一、得分排名"),
              wdocx.Table(caption="", headers=["名次", "单位", "扣分", "加分", "调整", "得分"],
                          rows=[(s.rank, s.unit_name, str(s.deductions), str(s.additions), str(s.adjustment),
                                 str(s.score)) for s in scores]),
              ("h1", "二、扣分、加分与调整情况")]
    for s in scores:
        own = [l for l in lines if l.unit_id == s.unit_id and l.kind != ScoreKind.BASE]
        if not own:
            continue
        blocks.append(("h2", f"{s.unit_name}（{s.score}分）"))
        blocks.append("\n".join(f"{ScoreKind(l.kind).label}{l.points:+}分：{l.label}" for l in own))
    date_line = f"{a.published_at:%Y年%m月%d日}" if a.published_at else ""
    return wdocx.build_report_docx(title=a.title, issuer=a.org.name, date_line=date_line, blocks=blocks)
