"""Progress reports as .docx in the official layout (GB/T 9704-2012)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from duban.documents.docx import Table, build_report_docx

HEADERS = ["整改时限", "问题数", "已整改到位", "整改率（%）", "完成时间"]
ROWS = [["1个月内整改到位", 8, 8, Decimal("100.00"), dt.date(2026, 11, 24)], ["合计", 35, 30, 88.08, None]]


def report(**kw):
    kw.setdefault("blocks", [
        ("h1", "一、总体进展"), "截至2026年11月24日，整体整改率88.08%。\n第二段。",
        ("h2", "（一）按整改时限"), Table("表1 按整改时限统计", HEADERS, ROWS),
    ])
    return Document(io.BytesIO(build_report_docx(title="关于巡视整改进展情况的报告", issuer="测试市人民政府督查室",
                                                 date_line="2026年11月24日", **kw)))


def east_asia(r_pr) -> str:
    return r_pr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_the_title_is_22pt_xiaobiaosong_centred():
    doc = report()
    title = doc.paragraphs[0]
    assert title.text == "关于巡视整改进展情况的报告" and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = title.runs[0]
    assert run.font.size == Pt(22) and east_asia(run._element.rPr) == "方正小标宋简体"
    assert doc.core_properties.title == "关于巡视整改进展情况的报告"


def test_a4_with_the_official_margins():
    section = report().sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]


def test_body_is_16pt_fangsong_at_exactly_28_95pt_with_a_two_character_indent():
    doc = report()
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16) and east_asia(normal.element.rPr) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Pt(28.95)
    body = [p for p in doc.paragraphs if p.text.startswith("截至")][0]
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert "第二段。" in [p.text for p in doc.paragraphs]
    lang = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_headings_are_heiti_and_kaiti():
    doc = report()
    h1 = next(p for p in doc.paragraphs if p.text == "一、总体进展")
    h2 = next(p for p in doc.paragraphs if p.text == "（一）按整改时限")
    assert h1.style.name == "Heading 1" and east_asia(h1.style.element.rPr) == "黑体"
    assert h2.style.name == "Heading 2" and east_asia(h2.style.element.rPr) == "楷体_GB2312"
    assert not h1.style.font.bold and h1.style.font.size == Pt(16)


def test_a_table_has_a_repeated_header_row_and_its_rows():
    doc = report()
    assert "表1 按整改时限统计" in [p.text for p in doc.paragraphs]
    table = doc.tables[0]
    assert table.style.name == "Table Grid"
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == HEADERS
    assert cells[1] == ["1个月内整改到位", "8", "8", "100.00", "2026年11月24日"]
    assert cells[2] == ["合计", "35", "30", "88.08", ""]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    run = table.rows[1].cells[0].paragraphs[0].runs[0]
    assert 10.5 <= run.font.size.pt <= 12 and east_asia(run._element.rPr) == "仿宋_GB2312"


def test_given_widths_are_kept():
    doc = report(blocks=[Table("", ["单位", "措施数"], [["甲局", 3]], widths_cm=[10, 5.6])])
    assert [round(c.width.cm, 1) for c in doc.tables[0].rows[0].cells] == [10, 5.6]


def test_text_in_a_table_is_written_as_it_is():
    doc = report(blocks=[Table("", ["措施"], [["=HYPERLINK(\"x\")"]])])
    assert doc.tables[0].rows[1].cells[0].text == "=HYPERLINK(\"x\")"


def test_issuer_and_date_close_the_report_on_the_right():
    doc = report()
    issuer, date = doc.paragraphs[-2], doc.paragraphs[-1]
    assert (issuer.text, date.text) == ("测试市人民政府督查室", "2026年11月24日")
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # 7.3.5.2: the issuer two characters from the right, the date starting two characters further
    # right (the date is 7 characters wide: digits count half)
    assert issuer.paragraph_format.right_indent == Pt(2 * 16)
    assert date.paragraph_format.right_indent == Pt(3 * 16)


def test_page_numbers_are_in_the_footer():
    doc = report()
    footer = doc.sections[0].footer.paragraphs[0]
    assert "— " in footer.text and " PAGE " in footer._p.xml


def test_an_unknown_block_is_refused():
    with pytest.raises(TypeError):
        build_report_docx(title="报告", blocks=[("h9", "x")])
