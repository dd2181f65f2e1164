"""A circular's life in Chromium (issue 9, point 1): the office drafts October's circular from the
month's facts, edits it, names a unit for criticism (a suggestion adopted) and one for praise, sends
it to the principal leader, who approves it; the office issues it under its number; a unit's
liaison finds it in the inbox and the list, reads it and downloads the .docx. Seeds 001 arts. 7(7),
14(5); 004 (monthly circulars)."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from duban.circulars.models import Circular, CircularStatus
from tests.counting.period import build_october
from tests.factories import World

from .helpers import PHONE, choose, nav

pytestmark = pytest.mark.browser

PW = "pw-12345"  # the factories' password
TITLE = "关于2026年10月督查事项办理情况的通报"
NUMBER = f"督查通报〔{timezone.localdate().year}〕第1期"  # issued today, in this year's series


@pytest.fixture
def world(transactional_db):
    from duban.deadlines.official import ensure_official_calendar

    ensure_official_calendar()
    w = World()
    build_october(w)
    return w


def test_a_circular_from_draft_to_a_unit_reading_it(web, world):
    other, co = world.units["other"].name, world.units["co"].name

    # 1. The supervisor drafts October's circular: the form proposes last month
    sup = web.login(world.supervisor.username, PW)
    nav(sup, "督查通报")
    sup.get_by_role("link", name="起草通报").click()
    sup.get_by_label("通报类别").select_option("monthly")
    expect(sup.get_by_label("统计起始日")).to_have_value(re.compile(r"^\d{4}-\d{2}-01$"))
    sup.get_by_label("统计起始日").fill("2026-10-01")
    sup.get_by_label("统计截止日").fill("2026-10-31")
    web.shot(sup, "draft-form")
    sup.get_by_role("button", name="生成草稿").click()
    expect(sup.locator("#circular-title")).to_have_text(TITLE)
    expect(sup.locator("#circular-text")).to_contain_text("共交办督查事项3项，办结2项，其中按时办结1项，按时办结率50.00%")
    expect(sup.locator("#figures tbody tr")).to_have_count(3)
    web.shot(sup, "draft-written-from-facts")

    # 2. edits the text
    body = sup.get_by_label("正文")
    body.fill(body.input_value() + "\n（一）重点工作推进情况\n市政府常务会议确定的事项总体推进顺利。")
    sup.locator("#edit-form").get_by_role("button", name="保存").click()
    expect(sup.locator(".alert-success")).to_have_text("已保存")
    expect(sup.locator("#circular-text")).to_contain_text("常务会议确定的事项总体推进顺利")

    # 3. adopts the suggested criticism and adds a praise of its own
    suggestion = sup.locator("#suggestions li").filter(has_text=other)
    expect(suggestion).to_contain_text("建议批评")
    suggestion.get_by_role("button", name="采纳").click()
    expect(sup.locator("#mentions")).to_contain_text(other)
    sup.locator("summary", has_text="另行添加").click()
    form = sup.locator("#mention-form")
    form.get_by_label("类型").select_option("praise")
    choose(form, "单位", co)
    form.get_by_label("事实依据").fill("交办事项全部按时办结，办理质量高。")
    form.get_by_role("button", name="加入名单").click()
    expect(sup.locator("#circular-text")).to_contain_text("三、通报表扬")
    expect(sup.locator("#circular-text")).to_contain_text(f"{co}：交办事项全部按时办结")
    expect(sup.locator("#circular-text")).to_contain_text("四、通报批评")
    web.shot(sup, "named-units")

    # 4. sends it to the principal leader
    sup.get_by_role("button", name="呈领导审批").click()
    expect(sup.locator("#circular-status")).to_have_text("待领导审批")
    circular = Circular.objects.get()

    # 5. the principal leader approves
    boss = web.login(world.principal.username, PW)
    nav(boss, "督查通报")
    boss.get_by_role("link", name=TITLE).click()
    expect(boss.locator("#approval")).to_be_visible()
    web.shot(boss, "leader-approves")
    boss.get_by_role("button", name="同意印发").click()
    expect(boss.locator("#circular-status")).to_have_text("领导已同意待印发")

    # 6. the office issues it: numbered, frozen, sent to every unit
    sup.reload()
    sup.get_by_role("button", name="编号印发").click()
    expect(sup.locator("#circular-status")).to_have_text("已印发")
    expect(sup.locator("#circular-number")).to_have_text(NUMBER)
    web.shot(sup, "issued")
    circular.refresh_from_db()
    assert circular.status == CircularStatus.ISSUED

    # 7. the liaison of a unit reads it from the inbox and downloads the .docx
    liaison = web.login(world.liaison["lead"].username, PW)
    liaison.locator("#nav-inbox").click()
    liaison.get_by_text(f"{NUMBER} {TITLE}").first.click()
    expect(liaison.locator("#circular-number")).to_have_text(NUMBER)
    expect(liaison.locator("#edit-form")).to_have_count(0)
    web.shot(liaison, "liaison-reads")
    with liaison.expect_download() as dl:
        liaison.get_by_role("link", name="下载 Word").click()
    assert dl.value.suggested_filename == f"{NUMBER}.docx"
    doc = Document(io.BytesIO(dl.value.path().read_bytes()))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:2] == ["督查通报", NUMBER] and TITLE in texts
    assert "三、通报表扬" in texts and "四、通报批评" in texts
    nav(liaison, "督查通报")
    expect(liaison.locator("#circulars tbody tr")).to_have_count(1)

    # and on a phone
    phone = web.login(world.liaison["other"].username, PW, viewport=PHONE)
    phone.goto(f"/circulars/{circular.id}/")
    expect(phone.locator("#circular-text")).to_contain_text("四、通报批评")
    web.shot(phone, "phone")


def test_a_unit_gets_404_for_a_draft(web, world):
    from duban.circulars import services
    from tests.counting.period import END, START

    c = services.draft_circular(world.org, world.supervisor, kind="monthly", period_start=START, period_end=END)
    liaison = web.login(world.liaison["lead"].username, PW)
    r = liaison.goto(f"/circulars/{c.id}/")
    assert r.status == 404
    nav(liaison, "督查通报")
    expect(liaison.locator("#circulars")).to_contain_text("暂无督查通报")
    expect(liaison.get_by_role("link", name="起草通报")).to_have_count(0)
    web.shot(liaison, "no-drafts-for-units")
