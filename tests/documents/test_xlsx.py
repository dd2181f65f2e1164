"""Spreadsheets as offices print them, and text that never runs as a formula."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from duban.documents.xlsx import CHINESE_DATE_FORMAT, Column, Sheet, build_workbook, neutralise, unneutralise

GROUPED = [
    Column("序号", 6, "int"), Column("问题", 30, "wrap", group="问题清单"), Column("类别", 12, group="问题清单"),
    Column("完成时限", 16, "date", group="责任清单"), Column("整改率", 10, "percent"),
]


def sheet(rows, columns=GROUPED, **kw):
    kw.setdefault("subtitle", "截至2026年11月24日  共 2 条")
    return Sheet(name=kw.pop("name", "台账"), title=kw.pop("title", "整改台账"), columns=columns, rows=rows, **kw)


def load(data):
    return load_workbook(io.BytesIO(data))


def sheet_xml(data) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_title_subtitle_and_two_header_rows_are_merged():
    ws = load(build_workbook([sheet([[1, "问题一", "类别", dt.date(2026, 11, 24), 50]])])).active
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:E1", "A2:E2", "B3:C3", "A3:A4", "E3:E4"}
    assert ws["A1"].value == "整改台账" and ws["A1"].font.b and ws["A1"].alignment.horizontal == "center"
    assert ws["A2"].value.startswith("截至2026年11月24日")
    assert [ws["A3"].value, ws["B3"].value, ws["D3"].value, ws["E3"].value] == ["序号", "问题清单", "责任清单", "整改率"]
    assert [ws["B4"].value, ws["C4"].value, ws["D4"].value] == ["问题", "类别", "完成时限"]
    assert ws["B4"].font.b and ws["B4"].border.left.style == "thin" and ws["B4"].alignment.wrap_text
    assert ws["B5"].value == "问题一" and ws["B5"].border.bottom.style == "thin"


def test_headers_freeze_and_filter_below_the_header_rows():
    grouped = load(build_workbook([sheet([[1], [2], [3]])])).active
    assert grouped.freeze_panes == "A5"
    assert grouped.auto_filter.ref == "A4:E7"
    plain = load(build_workbook([sheet([["a", "b"]], columns=[Column("甲"), Column("乙")], subtitle="")])).active
    assert plain.freeze_panes == "A3" and plain.auto_filter.ref == "A2:B3"
    assert plain["A2"].value == "甲" and {str(r) for r in plain.merged_cells.ranges} == {"A1:B1"}


def test_column_widths_come_from_the_columns():
    ws = load(build_workbook([sheet([])])).active
    assert [ws.column_dimensions[c].width for c in "ABCDE"] == [6, 30, 12, 16, 10]
    assert ws["B5"].value is None  # no data rows: the sheet is the header alone
    assert ws.auto_filter.ref == "A4:E4"


def test_a_wrap_column_wraps_at_the_top():
    ws = load(build_workbook([sheet([[1, "很长的问题描述\n第二行"]])])).active
    assert ws["B5"].alignment.wrap_text and ws["B5"].alignment.vertical == "top"
    assert ws["B5"].value == "很长的问题描述\n第二行"


def test_dates_show_in_chinese_and_reload_as_the_same_day():
    late_evening_utc = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.timezone.utc)  # 24 Nov in Beijing
    ws = load(build_workbook([sheet([[1, "", "", dt.date(2026, 11, 24)], [2, "", "", late_evening_utc]])])).active
    for cell in (ws["D5"], ws["D6"]):
        assert cell.number_format == CHINESE_DATE_FORMAT == 'yyyy"年"m"月"d"日"'
        assert cell.value.date() == dt.date(2026, 11, 24)
    assert timezone.localtime(late_evening_utc).date() == dt.date(2026, 11, 24)


def test_a_percent_shows_as_a_percentage():
    ws = load(build_workbook([sheet([[1, "", "", None, 88.08], [2, "", "", None, Decimal("84.97")]])])).active
    assert ws["E5"].number_format == "0.00%" and ws["E5"].value == pytest.approx(0.8808)
    assert ws["E6"].number_format == "0.00%" and float(ws["E6"].value) == pytest.approx(0.8497)


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2", "@x", "\t=1", "\r=1", "=HYPERLINK(\"http://evil\",\"点此\")"])
def test_text_that_looks_like_a_formula_is_stored_as_text(text):
    data = build_workbook([sheet([[1, text, text]], title=text, subtitle=text)])
    ws = load(data).active
    for ref in ("A1", "A2", "B5", "C5"):
        assert ws[ref].value == "'" + text and ws[ref].data_type == "s"
    xml = sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml


def test_a_header_that_looks_like_a_formula_is_text_too():
    data = build_workbook([sheet([], columns=[Column("=1+1", group="-组")])])
    ws = load(data).active
    assert ws["A3"].value == "'-组" and ws["A4"].value == "'=1+1"
    assert "<f>" not in sheet_xml(data)


def test_error_codes_and_control_characters_stay_plain_text():
    ws = load(build_workbook([sheet([[1, "#N/A", "退回\x07原因"]])])).active
    assert ws["B5"].value == "#N/A" and ws["B5"].data_type == "s"
    assert ws["C5"].value == "退回原因"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@x", "\t=1", "\r=1", "'=x", "''+y", "'plain", "plain", "", "'", "-"])
def test_unneutralise_undoes_neutralise(text):
    assert unneutralise(neutralise(text)) == text


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("整改措施") == "整改措施" and neutralise("'") == "'" and neutralise("1-2") == "1-2"
    assert neutralise("=1") == "'=1" and unneutralise("'=1") == "=1"
    assert unneutralise("'abc") == "'abc"  # an apostrophe a user typed stays


def test_print_setup_repeats_the_header_rows_on_a4_landscape():
    ws = load(build_workbook([sheet([[i] for i in range(100)])])).active
    assert ws.print_title_rows == "$3:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_options.horizontalCentered
    assert "&P" in ws.oddFooter.center.text


def test_export_only_columns_have_grey_headers():
    ws = load(build_workbook([sheet([], readonly_columns=frozenset({4}))])).active
    assert ws["E3"].fill.fgColor.rgb.endswith("D9D9D9")
    assert not ws["A3"].fill.fgColor.rgb.endswith("D9D9D9")


def test_chinese_fonts():
    ws = load(build_workbook([sheet([[1, "正文"]])])).active
    assert ws["A1"].font.name == "黑体" and ws["A1"].font.sz == 16
    assert ws["B5"].font.name == "宋体" and ws["B4"].font.name == "宋体"


def test_sheet_names_are_cleaned_cut_and_kept_apart():
    wb = load(build_workbook([
        sheet([], name="2026/11:台账[一]*?"), sheet([], name="长" * 40), sheet([], name="长" * 40), sheet([], name="[]"),
    ]))
    assert wb.sheetnames == ["202611台账一", "长" * 31, "长" * 28 + "(2)", "Sheet"]


def test_rows_are_read_once_from_a_generator_and_short_rows_are_padded():
    rows = ([i, f"问题{i}"] for i in range(3))
    ws = load(build_workbook([sheet(rows)])).active
    assert [ws.cell(row=r, column=2).value for r in range(5, 8)] == ["问题0", "问题1", "问题2"]
    assert ws["E7"].border.right.style == "thin"


def test_a_row_longer_than_the_columns_is_refused():
    with pytest.raises(ValueError):
        build_workbook([sheet([[1, 2, 3, 4, 5, 6]])])


def test_an_unknown_column_kind_is_refused():
    with pytest.raises(ValueError):
        Column("金额", kind="money")
