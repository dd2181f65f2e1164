"""An item sent down a level, in Chromium: the district office receives it, signs for it in its
unit's name, registers it in the district's own series, the district leader approves it under the
district's number, and the city office follows it in 下级办理情况 (一级抓一级, seed 001 arts. 3, 5)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duban.items import services as svc
from duban.items.models import ItemKind, Urgency
from duban.orgs.models import Unit

from .helpers import card, expect_bucket, expect_status, open_action, timeline, choose

pytestmark = pytest.mark.browser

TITLE = "关于开展城镇燃气安全专项整治的督查事项"


def test_the_district_receives_registers_and_the_city_sees_the_rollup(web, demo):
    org, people = demo
    year = timezone.localdate().year
    city_number, district_number = f"督〔{year}〕1号", f"东督〔{year}〕1号"
    district = Unit.objects.get(org=org, short_name="东城区")
    upper = svc.create_draft(org, people["duchayuan"], svc.DraftFields(
        title=TITLE, content="全面排查老旧燃气管网和餐饮场所燃气安全隐患，建立台账，限期整改到位。",
        kind=ItemKind.MEETING_DECISION, urgency=Urgency.IMPORTANT, lead_unit=district, co_units=[],
        responsible_leader=people["fushizhang_liu"]))
    svc.submit_proposal(upper.id, people["duchayuan"])
    svc.approve_proposal(upper.id, people["fushizhang_liu"])

    # The district office finds the city's item in its own inbox and signs for it.
    dc = web.login("dc_duchayuan")
    expect(dc.get_by_text("东城区 · 督查室 · ")).to_be_attached()
    expect_bucket(dc, "to_accept", 1, TITLE)
    web.shot(dc, "district-office-worklist")
    dc.locator("#bucket-to_accept").get_by_role("link", name=TITLE).click()
    expect(dc.get_by_text(city_number)).to_be_visible()
    box = open_action(dc, "签收")
    box.get_by_label(re.compile(r"^责任人( \*)?$")).fill("何志强")
    box.get_by_label("责任人电话").fill("0931-8600001")
    box.get_by_role("button", name="签收").click()
    expect_status(dc, "办理中")
    web.shot(dc, "district-office-signed")
    dc.goto("/")
    expect_bucket(dc, "to_register", 1, TITLE)
    web.shot(dc, "district-office-worklist-to-register")
    dc.locator("#bucket-to_register").get_by_role("link", name=TITLE).click()

    # It registers the item in the district's own series: a draft that keeps the city's number.
    open_action(dc, "登记为本级事项").get_by_role("button", name="登记为本级事项").click()
    expect(dc.get_by_role("alert")).to_contain_text("已登记为本级草拟事项")
    expect_status(dc, "草拟")
    expect(dc.locator("#upper-item")).to_have_text(f"{city_number}（江川市人民政府）")
    expect(dc.locator("#upper-item").get_by_role("link", name=city_number)).to_be_visible()
    web.shot(dc, "district-draft-registered")
    open_action(dc, "修改").get_by_role("link", name="修改草稿").click()
    choose(dc, "主办单位", "东城区住房和城乡建设局")
    dc.get_by_label("分管领导").select_option(label="林海燕")
    web.shot(dc, "district-draft-form")
    dc.get_by_role("button", name="保存草稿").click()
    expect(dc.get_by_role("alert")).to_contain_text("已保存")
    open_action(dc, "呈领导审批").get_by_role("button", name="呈领导审批").click()
    expect_status(dc, "待审批")

    # The district's leader approves it under the district's number.
    leader = web.login("dc_fuquzhang")
    expect_bucket(leader, "to_approve", 1, TITLE)
    leader.locator("#bucket-to_approve").get_by_role("link", name=TITLE).click()
    open_action(leader, "批准立项").get_by_label("意见").fill("同意，按市里要求抓紧落实。")
    leader.locator("#action-approve_proposal").get_by_role("button", name="批准立项").click()
    expect_status(leader, "已交办待签收")
    expect(leader.get_by_text(district_number)).to_be_visible()
    expect(leader.locator("#upper-item")).to_have_text(f"{city_number}（江川市人民政府）")
    expect(leader.locator("#upper-item a")).to_have_count(0)  # the district leader does not open the city's item
    assert timeline(leader)[-2:] == ["批准立项", "交办"]
    web.shot(leader, "district-leader-approved")

    # The city office sees what became of its item below, rolled up, without a way into the district.
    sup = web.login("duchayuan")
    sup.goto(f"/items/{upper.id}/")
    panel = card(sup, "下级办理情况")
    expect(panel).to_contain_text("东城区人民政府")
    expect(panel).to_contain_text(district_number)
    expect(panel).to_contain_text("已交办待签收")
    expect(panel).to_contain_text("0.00%")
    expect(panel.get_by_role("link")).to_have_count(0)
    assert "登记为本级事项" in timeline(sup)
    web.shot(sup, "city-office-rollup")
