"""The circular pages as people use them: the office drafts and edits, the principal leader approves,
every unit reads what was issued and nobody but the office and the leader sees a draft (404).
Seeds 001 art. 7(7), art. 14(5); 000 art. 4(6); 004 (monthly circulars)."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from duban.circulars import services
from duban.circulars.models import Circular, CircularStatus

from .conftest import issue_one


def html(r):
    return r.content.decode()


def login(client, user):
    client.force_login(user)
    return client


def test_the_office_drafts_a_monthly_circular_from_the_form(client, world, october):
    c = login(client, world.supervisor)
    page = html(c.get(reverse("circulars:create")))
    assert "生成草稿" in page and 'name="period_start"' in page
    r = c.post(reverse("circulars:create"), {"kind": "monthly", "period_start": "2026-10-01", "period_end": "2026-10-31"})
    circular = Circular.objects.get()
    assert r.status_code == 302 and r.headers["Location"] == reverse("circulars:detail", args=[circular.id])
    page = html(c.get(r.headers["Location"]))
    assert "关于2026年10月督查事项办理情况的通报" in page and "共交办督查事项3项" in page
    assert world.units["other"].name in page and "建议批评" in page and "呈领导审批" in page


def test_a_bad_period_shows_a_message_and_creates_nothing(client, world):
    c = login(client, world.supervisor)
    r = c.post(reverse("circulars:create"), {"kind": "monthly", "period_start": "2026-10-31", "period_end": "2026-10-01"})
    assert r.status_code == 400 and "统计起始日不能晚于截止日" in html(r)
    r = c.post(reverse("circulars:create"), {"kind": "monthly", "period_start": "", "period_end": "x"})
    assert r.status_code == 400
    assert not Circular.objects.exists()


@pytest.mark.parametrize("who", ["liaison", "leader"])
def test_only_the_office_reaches_the_drafting_form(client, world, who):
    person = world.liaison["lead"] if who == "liaison" else world.leader
    assert login(client, person).get(reverse("circulars:create")).status_code == 404


def test_edit_adopt_a_suggestion_submit_and_a_stale_form_gets_409(client, world, draft):
    c = login(client, world.supervisor)
    url = lambda a: reverse("circulars:action", args=[draft.id, a])  # noqa: E731
    r = c.post(url("edit"), {"title": "十月督查通报", "body": "一、总体情况\n本月工作总体平稳。", "closing": "", "version": 1})
    assert r.status_code == 302
    r = c.post(url("mention"), {"unit": world.units["other"].id, "kind": "criticism", "facts": "逾期未办结。", "version": 2})
    assert r.status_code == 302
    r = c.post(url("edit"), {"title": "过时的表单", "body": "旧正文", "closing": "", "version": 1})
    assert r.status_code == 409 and "已被他人更新" in html(r)
    draft.refresh_from_db()
    assert draft.title == "十月督查通报" and draft.mentions.get().unit == world.units["other"]
    page = html(c.get(reverse("circulars:detail", args=[draft.id])))
    assert "二、通报批评" in page and "逾期未办结。" in page
    assert c.post(url("submit"), {"version": draft.version}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == CircularStatus.PENDING_APPROVAL


def test_bad_input_on_the_page_changes_nothing(client, world, draft):
    c = login(client, world.supervisor)
    r = c.post(reverse("circulars:action", args=[draft.id, "mention"]), {"unit": "x", "kind": "praise", "facts": "", "version": 1})
    assert r.status_code == 400 and "请检查填写的内容" in html(r)
    assert c.post(reverse("circulars:action", args=[draft.id, "explode"]), {"version": 1}).status_code == 404
    assert not draft.mentions.exists()


def test_the_principal_leader_approves_or_returns_on_the_page(client, world, draft):
    services.submit(draft.id, world.supervisor)
    c = login(client, world.principal)
    page = html(c.get(reverse("circulars:detail", args=[draft.id])))
    assert "同意印发" in page and "退回修改" in page
    r = c.post(reverse("circulars:action", args=[draft.id, "return"]), {"comment": "", "version": 2})
    assert r.status_code == 400 and "请填写退回理由" in html(r)
    r = c.post(reverse("circulars:action", args=[draft.id, "return"]), {"comment": "数据要核实", "version": 2})
    assert r.status_code == 302
    draft.refresh_from_db()
    assert draft.status == CircularStatus.RETURNED
    page = html(login(client, world.supervisor).get(reverse("circulars:detail", args=[draft.id])))
    assert "领导退回意见：数据要核实" in page


def test_a_responsible_leader_cannot_approve_on_the_page(client, world, draft):
    services.submit(draft.id, world.supervisor)
    c = login(client, world.leader)
    assert c.get(reverse("circulars:detail", args=[draft.id])).status_code == 404
    r = c.post(reverse("circulars:action", args=[draft.id, "approve"]), {"comment": "", "version": 2})
    assert r.status_code == 404
    draft.refresh_from_db()
    assert draft.status == CircularStatus.PENDING_APPROVAL


@pytest.mark.parametrize("who", ["liaison", "head", "leader", "other_org"])
def test_a_unit_cannot_see_a_draft(client, world, other_world, draft, who):
    person = {"liaison": world.liaison["lead"], "head": world.head["co"], "leader": world.leader,
              "other_org": other_world.supervisor}[who]
    c = login(client, person)
    assert c.get(reverse("circulars:detail", args=[draft.id])).status_code == 404
    assert c.get(reverse("circulars:docx", args=[draft.id])).status_code == 404
    assert draft.title not in html(c.get(reverse("circulars:list")))


def test_every_unit_reads_the_issued_circular_and_downloads_it(client, world, other_world, draft):
    c_ = issue_one(world, draft, praise="co")
    c = login(client, world.liaison["other"])
    listing = html(c.get(reverse("circulars:list")))
    assert "督查通报〔2026〕第1期" in listing and c_.title in listing
    page = html(c.get(reverse("circulars:detail", args=[c_.id])))
    assert "一、通报表扬" not in page  # the body has two headings of its own: praise is 三
    assert "三、通报表扬" in page and "四、通报批评" in page and "五、下一步工作要求" in page
    r = c.get(reverse("circulars:docx", args=[c_.id]))
    assert r.status_code == 200 and r["Content-Type"].endswith("wordprocessingml.document")
    assert "filename*=UTF-8''" in r["Content-Disposition"]
    doc = Document(io.BytesIO(r.content))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "督查通报" and texts[1] == "督查通报〔2026〕第1期" and c_.title in texts
    assert doc.paragraphs[0].runs[0].font.color.rgb is not None  # the red masthead
    assert "<w:pBdr>" in doc.paragraphs[2]._p.xml.replace(' xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"', "")
    assert any(t.startswith(f"{world.units['other'].name}：") for t in texts)
    table = doc.tables[0]
    assert table.rows[0].cells[0].text == "单位" and len(table.rows) == 1 + len(c_.figures["units"])
    r = c.get(reverse("circulars:xlsx", args=[c_.id]))
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["各单位办理情况", "表扬与批评"]
    assert [row[1] for row in wb["表扬与批评"].iter_rows(values_only=True)][-2:] == [world.units["co"].name, world.units["other"].name]
    rates = {row[0]: row[4] for row in wb["各单位办理情况"].iter_rows(values_only=True) if row and row[0] in (
        world.units["lead"].name, world.units["other"].name)}
    assert rates[world.units["other"].name] is None and float(rates[world.units["lead"].name]) == 0.5  # 50 %
    assert login(client, other_world.liaison["lead"]).get(reverse("circulars:detail", args=[c_.id])).status_code == 404


def test_the_docx_sections_follow_the_page(world, draft):
    from duban.circulars.exporting import circular_docx

    c = issue_one(world, draft, criticise=None)
    texts = [p.text for p in Document(io.BytesIO(circular_docx(c))).paragraphs]
    assert "一、总体情况" in texts and "二、各单位办理情况" in texts and "三、下一步工作要求" in texts
    assert not any("通报批评" == t[2:] for t in texts)


def test_the_list_needs_login_and_the_nav_links_it(client, world):
    r = client.get(reverse("circulars:list"))
    assert r.status_code == 302 and "/login/" in r.headers["Location"]
    page = html(login(client, world.liaison["lead"]).get(reverse("worklist")))
    assert reverse("circulars:list") in page


def test_the_form_offers_the_last_complete_period_of_each_kind(client, world):
    page = html(login(client, world.supervisor).get(reverse("circulars:create") + "?kind=quarterly"))
    assert 'id="periods"' in page and '"quarterly": ["' in page and 'value="quarterly" selected' in page
