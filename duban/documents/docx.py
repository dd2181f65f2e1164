"""Reports as .docx in the layout of official documents (GB/T 9704-2012, 党政机关公文格式):
A4, margins 37/35/28/26 mm, title in 22 pt 小标宋 centred, body in 16 pt 仿宋 at exactly
28.95 pt a line (22 lines a page), headings 一、 in 黑体 and （一） in 楷体, page numbers "— 1 —"
outside, issuer and date at the end as 7.3.5.2 places them for a document without a seal.

The official fonts are licensed and absent on Linux: they are named in the file (East-Asian names
through ``w:eastAsia``), and Word on an office PC finds them.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"  # digits and Latin letters in official documents

TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
PAGE_NUMBER_PT = 14  # 四号
LINE_PT = 28.95  # 22 lines in the 225 mm type area
TITLE_LINE_PT = 35
CAPTION_PT = 14
TABLE_PT = 12  # 小四; wide tables drop to 五号 so headers fit
TABLE_PT_WIDE = 10.5
WIDE_TABLE_COLUMNS = 6

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26
TEXT_WIDTH_CM = (PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 10  # 15.6 cm


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[Sequence]  # str, int, float, Decimal, date, None; dates as 2026年11月24日
    widths_cm: list[float] | None = None  # None: shared out by content over the 15.6 cm text width


# --- formatting helpers --------------------------------------------------------------------------

def _set_fonts(r_pr, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts outright, dropping theme fonts, which would override the names."""
    fonts = r_pr.get_or_add_rFonts()
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")  # quotes and dashes shared by both scripts take the Chinese face


def _font_run(run, east_asia: str, size: float, bold: bool = False, latin: str = LATIN_FONT):
    run.font.size = Pt(size)
    run.font.bold = bold
    _set_fonts(run._element.get_or_add_rPr(), east_asia, latin)
    return run


def _exact(paragraph_format, points: float) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(points)
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _indent_two_chars(paragraph_format) -> None:
    paragraph_format.first_line_indent = Pt(2 * BODY_PT)
    # Word measures firstLineChars in hundredths of a character, so the indent follows the font size.
    paragraph_format._element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")


def _chars(text: str) -> float:
    """Width in Chinese characters: full-width counts 1, digits and Latin letters 1/2."""
    return sum(1 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        value = (timezone.localtime(value) if value.tzinfo else value).date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return format(value, ".12g")
    return str(value)


def _setup_styles(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(r_pr, BODY_FONT)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")  # else Word may pick Japanese glyph shapes

    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    _exact(normal.paragraph_format, LINE_PT)
    # Official pages are a fixed grid of 22 lines; widow control would leave pages a line short.
    normal.paragraph_format.widow_control = False

    for name, font in (("Heading 1", H1_FONT), ("Heading 2", H2_FONT)):
        style = doc.styles[name]
        style.font.size = Pt(BODY_PT)
        style.font.bold = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(style.element.get_or_add_rPr(), font)
        _exact(style.paragraph_format, LINE_PT)
        _indent_two_chars(style.paragraph_format)
        style.paragraph_format.keep_with_next = True


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(15)
    # The page number sits about 7 mm below the type area (GB/T 9704, 7.5).
    section.footer_distance = Mm(MARGIN_BOTTOM_MM - 7 - 5)
    doc.settings.odd_and_even_pages_header_footer = True
    # Odd pages: number on the right, one character in; even pages: on the left.
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        p.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            p.paragraph_format.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            p.paragraph_format.left_indent = Pt(PAGE_NUMBER_PT)
        _page_number(p)


def _page_number(paragraph) -> None:
    """— PAGE — as a field Word updates; 半角宋体 digits, so Latin text is 宋体 too."""
    _font_run(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_PT, latin=PAGE_NUMBER_FONT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _font_run(paragraph.add_run(), PAGE_NUMBER_FONT, PAGE_NUMBER_PT, latin=PAGE_NUMBER_FONT)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text
    _font_run(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_PT, latin=PAGE_NUMBER_FONT)


# --- blocks -------------------------------------------------------------------------------------

def _title(doc, title: str) -> None:
    for line in title.split("\n"):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _exact(p.paragraph_format, TITLE_LINE_PT)
        _font_run(p.add_run(line), TITLE_FONT, TITLE_PT)
    doc.add_paragraph()  # one blank line between the title and the text


def _body(doc, text: str, space_before: float = 0) -> None:
    for line in text.split("\n"):
        p = doc.add_paragraph(line)
        _indent_two_chars(p.paragraph_format)
        if space_before:
            p.paragraph_format.space_before = Pt(space_before)
            space_before = 0


def _heading(doc, level: str, text: str, space_before: float = 0) -> None:
    p = doc.add_paragraph(text, style="Heading 1" if level == "h1" else "Heading 2")
    if space_before:
        p.paragraph_format.space_before = Pt(space_before)


def _widths(table: Table) -> list[float]:
    n = len(table.headers)
    if table.widths_cm is not None:
        if len(table.widths_cm) != n:
            raise ValueError(f"table {table.caption!r}: {len(table.widths_cm)} widths for {n} columns")
        return list(table.widths_cm)
    need = [max([_chars(table.headers[i])] + [_chars(_text(r[i])) for r in table.rows if i < len(r)]) for i in range(n)]
    weights = [min(max(w, 3), 24) for w in need]
    return [TEXT_WIDTH_CM * w / sum(weights) for w in weights]


def _cell(cell, text: str, width_cm: float, size: float, *, header: bool, numeric: bool) -> None:
    cell.width = Cm(width_cm)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(2)
    fits = _chars(text) * size <= (width_cm - 0.4) / 2.54 * 72
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if header or numeric or fits else WD_ALIGN_PARAGRAPH.JUSTIFY
    for i, line in enumerate(text.split("\n")):
        if i:
            p.add_run().add_break()
        _font_run(p.add_run(line), H1_FONT if header else BODY_FONT, size)


def _mark_row(row, *, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page


def _table(doc, table: Table, space_before: float = 0) -> None:
    n = len(table.headers)
    if not n:
        raise ValueError(f"table {table.caption!r} has no columns")
    widths = _widths(table)
    size = TABLE_PT_WIDE if n > WIDE_TABLE_COLUMNS else TABLE_PT
    if table.caption:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(space_before)
        _font_run(p.add_run(table.caption), H1_FONT, CAPTION_PT)
    t = doc.add_table(rows=1 + len(table.rows), cols=n)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for i, w in enumerate(widths):
        t.columns[i].width = Cm(w)
    rows = t.rows
    for i, cell in enumerate(rows[0].cells):
        _cell(cell, _text(table.headers[i]), widths[i], size, header=True, numeric=False)
    _mark_row(rows[0], header=True)
    for values, row in zip(table.rows, list(rows)[1:]):
        if len(values) > n:
            raise ValueError(f"table {table.caption!r}: a row of {len(values)} values for {n} columns")
        for i, cell in enumerate(row.cells):
            value = values[i] if i < len(values) else None
            numeric = isinstance(value, (int, float, Decimal, dt.date)) and not isinstance(value, bool)
            _cell(cell, _text(value), widths[i], size, header=False, numeric=numeric)
        _mark_row(row, header=False)


def _signature(doc, issuer: str, date_line: str) -> None:
    """GB/T 9704-2012, 7.3.5.2: one blank line; the issuer two characters from the right; the date
    under it, starting two characters further right; a longer date keeps two characters from the
    right and pushes the issuer left."""
    if not issuer and not date_line:
        return
    doc.add_paragraph()
    wi, wd = _chars(issuer), _chars(date_line)
    right_date = max(2, wi - wd) if issuer else 2
    right_issuer = right_date + wd - wi + 2 if date_line else 2
    for text, right in ((issuer, right_issuer), (date_line, right_date)):
        if text:
            p = doc.add_paragraph(text)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.right_indent = Pt(right * BODY_PT)


def build_report_docx(*, title: str, issuer: str = "", date_line: str = "", blocks: list) -> bytes:
    """A report as .docx. ``blocks``: str (a paragraph; "\\n" starts another), ("h1", "一、…"),
    ("h2", "（一）…") or a ``Table``."""
    doc = Document()
    _setup_styles(doc)
    _setup_page(doc)
    doc.core_properties.title = title
    doc.core_properties.author = issuer
    doc.core_properties.last_modified_by = issuer
    doc.core_properties.comments = ""
    _title(doc, title)
    after_table = False
    for block in blocks:
        gap = LINE_PT / 2 if after_table else 0  # half a line between a table and the text after it
        if isinstance(block, Table):
            _table(doc, block, gap)
            after_table = True
            continue
        if isinstance(block, str):
            _body(doc, block, gap)
        elif isinstance(block, tuple) and len(block) == 2 and block[0] in ("h1", "h2"):
            _heading(doc, block[0], str(block[1]), gap)
        else:
            raise TypeError(f"unknown report block {block!r}: expected str, ('h1'|'h2', text) or Table")
        after_table = False
    _signature(doc, issuer, date_line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
