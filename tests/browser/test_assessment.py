"""The mid-year assessment in Chromium (issue 9 point 3; 000 art. 4(6): 年中督查，排出先后): the office
runs it from the record, adjusts one unit with a written reason and sends it to the mayor; the
mayor approves; the office publishes; a unit's liaison reads its own score and the records behind
each point, on a desktop and on a phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from duban.assessment.models import Assessment
from tests.factories import aware

from .helpers import PHONE, nav

pytestmark = pytest.mark.browser


def lines_of_kind(page, kind: str):
    """The rows of the lines table whose 事项 column reads ``kind``."""
    return page.locator("#lines tbody tr").filter(has=page.locator("td:nth-child(2)", has_text=re.compile(f"^{kind}$")))


@pytest.fixture
def half_year(demo):
    """The demo city's first half of 2026: an overdue item with its 催办单 and 督办令, one returned
    for rework and rated 不满意, one closed early and rated 满意, and two circulars criticising 交通局."""
    from duban.accountability.demo import seed_demo as accountability_demo
    from duban.assessment.demo import _records

    org, people = demo
    _records(org, dt.date(2026, 2, 2), people["duchayuan"], people["fushizhang_liu"])
    accountability_demo(org, now=aware(2026, 11, 20))
    return org, people


def test_run_adjust_approve_publish_and_the_unit_reads_its_score(web, half_year):
    org, people = half_year
    office = web.login("duchayuan")
    nav(office, "督查考核")
    expect(office.get_by_role("heading", name="督查考核")).to_be_visible()
    office.get_by_label("考核类型").select_option("mid_year")
    office.get_by_label("年度").fill("2026")
    office.get_by_label("考核期起（可不填）").fill("2026-01-01")
    office.get_by_label("考核期止（可不填）").fill("2026-06-30")
    web.shot(office, "office-run-form")
    office.get_by_role("button", name="按记录计算得分").click()
    expect(office.locator("#status")).to_have_text("草拟")
    ranking = office.locator("#ranking tbody tr")
    expect(ranking.first).to_contain_text("市教育局")
    jtj = ranking.filter(has_text="市交通运输局")
    expect(jtj).to_be_visible()
    web.shot(office, "office-ranking-draft")

    # The unit's lines: each links to the record behind it.
    jtj.get_by_role("link", name="市交通运输局").click()
    expect(lines_of_kind(office, "督办令")).to_have_count(1)
    expect(lines_of_kind(office, "通报批评")).to_have_count(2)
    web.shot(office, "office-unit-lines")
    office.go_back()

    form = office.locator("#adjust-form")
    form.get_by_label("单位").select_option(label="市生态环境局")
    form.get_by_label("调整分值").fill("2")
    form.get_by_label("调整理由").fill("牵头完成省级环保督察反馈问题整改，经督查室研究加2分")
    form.get_by_role("button", name="调整").click()
    expect(office.get_by_role("alert")).to_contain_text("已调整")
    expect(office.locator(".card", has_text="督查室调整")).to_contain_text("牵头完成省级环保督察反馈问题整改")
    web.shot(office, "office-adjusted")
    office.get_by_role("button", name="呈领导审定").click()
    expect(office.locator("#status")).to_have_text("待领导审定")
    expect(office.locator("#adjust-form")).to_have_count(0)  # frozen from here on

    mayor = web.login("shizhang")
    nav(mayor, "督查考核")
    mayor.get_by_role("link", name="江川市2026年年中督查考核").click()
    web.shot(mayor, "mayor-to-approve")
    mayor.get_by_placeholder("审定意见（可不填）").fill("同意，按程序发布。")
    mayor.get_by_role("button", name="审定同意").click()
    expect(mayor.locator("#status")).to_have_text("领导已审定")
    web.shot(mayor, "mayor-approved")

    office.reload()
    office.get_by_role("button", name="发布").click()
    expect(office.locator("#status")).to_have_text("已发布")
    web.shot(office, "office-published")
    a = Assessment.objects.get(org=org)
    assert a.status == "published" and a.approved_by == people["shizhang"]

    unit = web.login("jtj_lly")
    nav(unit, "督查考核")
    unit.get_by_role("link", name="江川市2026年年中督查考核").click()
    own = unit.locator("#own-score")
    expect(own).to_contain_text(re.compile(r"市交通运输局：\d+\.\d\d 分，第 \d+ 名"))
    expect(unit.locator("#ranking")).to_have_count(0)
    expect(unit.get_by_text("市教育局")).to_have_count(0)
    expect(lines_of_kind(unit, "督办令")).to_have_count(1)
    web.shot(unit, "unit-own-score")
    lines_of_kind(unit, "督办令").get_by_role("link").click()
    expect(unit).to_have_url(re.compile(r"/items/\d+/$"))
    web.shot(unit, "unit-follows-a-line-to-its-item")

    phone = web.login("jtj_lly", viewport=PHONE)
    phone.goto(f"/assessments/{a.id}/")
    expect(phone.locator("#own-score")).to_be_visible()
    web.shot(phone, "unit-phone")

    # The unit's year: the two criticisms and the sanctions they brought.
    unit.goto("/accountability/?year=2026")
    expect(unit.locator("#criticism-count")).to_have_text("2")
    expect(unit.locator("#sanctions")).to_contain_text("取消年度评先评优资格")
    web.shot(unit, "unit-year-sanctions")
