"""A circular as .docx (GB/T 9704-2012 layout, with the red masthead of a 督查通报) and as .xlsx
(the table of figures as frozen, and the units named). Built from the stored record only, so an
issued circular exports the same file whatever happens to the items later."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from duban.documents import docx as gb
from duban.documents.xlsx import Column, Sheet, build_workbook

from . import writing
from .services import issuer_of, settings_of

RED = RGBColor(0xC0, 0x00, 0x00)
MASTHEAD_PT = 42


def _red_rule(paragraph) -> None:
    """A red line under the paragraph: a bottom border, placed before w:spacing/w:jc as the schema
    orders pPr's children (elsewhere Word may call the file damaged)."""
    p_pr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    border.append(bottom)
    anchor = p_pr.find(qn("w:spacing"))
    if anchor is None:
        anchor = p_pr.find(qn("w:jc"))
    if anchor is not None:
        anchor.addprevious(border)
    else:
        p_pr.append(border)


def _date_line(c) -> str:
    day = timezone.localdate(c.issued_at) if c.issued_at else timezone.localdate()
    return f"{day.year}年{day.month}月{day.day}日"


def _masthead(doc, c) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    gb._exact(p.paragraph_format, MASTHEAD_PT * 1.3)
    run = gb._font_run(p.add_run(settings_of(c.org).prefix), gb.TITLE_FONT, MASTHEAD_PT)
    run.font.color.rgb = RED
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    gb._font_run(p.add_run(c.number or "（草稿，未编号）"), gb.BODY_FONT, gb.BODY_PT)
    p = doc.add_paragraph()
    p.paragraph_format.tab_stops.add_tab_stop(Pt(gb.TEXT_WIDTH_CM / 2.54 * 72), WD_TAB_ALIGNMENT.RIGHT)
    gb._font_run(p.add_run(f"{issuer_of(c.org)}\t{_date_line(c)}"), gb.BODY_FONT, gb.BODY_PT)
    _red_rule(p)
    doc.add_paragraph()


def circular_docx(c) -> bytes:
    doc = Document()
    gb._setup_styles(doc)
    gb._setup_page(doc)
    doc.core_properties.title = c.title
    doc.core_properties.author = issuer_of(c.org)
    doc.core_properties.comments = ""
    _masthead(doc, c)
    gb._title(doc, c.title)
    for kind, text in writing.sections(c, list(c.mentions.select_related("unit"))):
        if kind == "p":
            gb._body(doc, text)
        else:
            gb._heading(doc, kind, text)
    rows = writing.table_rows(c.figures)
    if rows:
        widths = [3.0] + [(gb.TEXT_WIDTH_CM - 3.0) / 11] * 11
        gb._table(doc, gb.Table(caption="附表：各单位督查事项办理情况", headers=writing.TABLE_HEADERS, rows=rows,
                                widths_cm=widths), gb.LINE_PT / 2)
        note = doc.add_paragraph(f"注：统计期间{writing.period_label(c.period_start, c.period_end)}；"
                                 f"逾期未办结截至{c.figures.get('as_of', '')}。")
        for r in note.runs:
            r.font.size = Pt(gb.TABLE_PT_WIDE)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def circular_xlsx(c) -> bytes:
    head = f"{c.number or '草稿'}  统计期间：{writing.period_label(c.period_start, c.period_end)}  数据截至：{c.figures.get('as_of', '')}"
    cols = [Column("单位", 24)] + [
        Column(h, 10, kind="percent" if h.endswith("率") else "int") for h in writing.TABLE_HEADERS[1:]]

    def pct(v):
        return None if v is None else Decimal(v)

    rows = [[u["unit_name"], u["assigned"], u["closed"], u["closed_on_time"], pct(u["on_time_rate"]), u["overdue_now"],
             u["extensions"], u["urge_notices"], u["supervision_orders"], u["returns_for_rework"], u["missed_reports"],
             pct(u["plan_rate"])] for u in c.figures.get("units", [])]
    units = Sheet(name="各单位办理情况", title=c.title, subtitle=head, columns=cols, rows=rows)
    mentions = Sheet(name="表扬与批评", title=f"{c.title}：表扬与批评", columns=[
        Column("类型", 12), Column("单位", 24), Column("事实依据", 80, kind="wrap")],
        rows=[[m.get_kind_display(), m.unit.name, m.facts] for m in c.mentions.select_related("unit")])
    return build_workbook([units, mentions])
