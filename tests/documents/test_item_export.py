"""The item list as .xlsx: the same rows the person sees on the list, with the same filters."""

import datetime as dt
import io
import zipfile

from django.urls import reverse
from openpyxl import load_workbook

from duban.documents.xlsx import CHINESE_DATE_FORMAT
from duban.items.models import Item, Status

S = Status


def export(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("item_export_xlsx"), params)
    assert response.status_code == 200
    return response


def workbook(response):
    return load_workbook(io.BytesIO(response.content)).active


def titles(ws):
    return [ws.cell(row=r, column=2).value for r in range(4, ws.max_row + 1)]


def test_a_supervisor_downloads_a_formatted_workbook(client, world):
    item = world.item_in(S.IN_PROGRESS, title="城区内涝点整治")
    Item.objects.filter(pk=item.id).update(deadline=dt.date(2026, 12, 31))
    response = export(client, world.supervisor)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=UTF-8''%E7%9D%A3%E6%9F%A5%E4%BA%8B%E9%A1%B9.xlsx" in response["Content-Disposition"]
    ws = workbook(response)
    assert ws.title == "督查事项" and ws["A1"].value == "督查事项清单"
    assert ws["A2"].value.startswith("导出时间：") and "共1件" in ws["A2"].value
    headers = [c.value for c in ws[3]]
    assert headers == ["编号", "标题", "类别", "缓急", "主办单位", "分管领导", "办理时限", "时限暂定", "状态", "预警"]
    row = [c.value for c in ws[4]]
    assert row[0] == item.number and row[1] == "城区内涝点整治" and row[4] == world.units["lead"].name
    assert row[5] == world.leader.full_name and row[8] == "办理中"
    assert row[6].date() == dt.date(2026, 12, 31) and ws["G4"].number_format == CHINESE_DATE_FORMAT
    assert ws.freeze_panes == "A4"


def test_a_liaison_exports_only_what_their_unit_can_see(client, world):
    world.item_in(S.IN_PROGRESS, title="甲局主办的事项")
    world.item_in(S.ASSIGNED, title="其他局主办的事项", lead_unit=world.units["other"], co_units=[])
    assert titles(workbook(export(client, world.liaison["other"]))) == ["其他局主办的事项"]
    assert sorted(titles(workbook(export(client, world.supervisor)))) == ["其他局主办的事项", "甲局主办的事项"]


def test_the_list_filters_apply_to_the_export(client, world):
    world.item_in(S.IN_PROGRESS, title="办理中的事项")
    world.item_in(S.DRAFT, title="草拟中的事项")
    ws = workbook(export(client, world.supervisor, status="in_progress"))
    assert titles(ws) == ["办理中的事项"]
    assert "状态：办理中" in ws["A2"].value and "共1件" in ws["A2"].value


def test_a_title_that_looks_like_a_formula_comes_out_as_text(client, world):
    world.item_in(S.IN_PROGRESS, title="=HYPERLINK(\"http://evil\",\"点此\")")
    response = export(client, world.supervisor)
    ws = workbook(response)
    assert ws["B4"].value == "'=HYPERLINK(\"http://evil\",\"点此\")" and ws["B4"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_the_export_needs_login(client, world):
    response = client.get(reverse("item_export_xlsx"))
    assert response.status_code == 302 and "/login/" in response.headers["Location"]


def test_the_list_offers_the_excel_export_with_its_filters(client, world):
    client.force_login(world.supervisor)
    page = client.get(reverse("item_list"), {"status": "in_progress"}).content.decode()
    assert f'href="{reverse("item_export_xlsx")}?status=in_progress">导出Excel</a>' in page
