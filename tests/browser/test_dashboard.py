"""The leaders' dashboard (督查驾驶舱) in Chromium: the mayor and a 分管领导 open the system on a
desktop and on a 390-px phone, read the figures, and click a bar or a slice of a chart to land on
the list of exactly the items it counts (issue 9, point 4). A screenshot per step."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from duban.dashboard.demo import seed_demo
from duban.dashboard.selectors import dashboard

from .helpers import PHONE, rows

pytestmark = pytest.mark.browser


@pytest.fixture
def city(demo):
    org, people = demo
    seed_demo(org)
    return org, people


def no_page_overflow(page: Page):
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner + 1, f"the page is {width}px wide in a {inner}px window"


def charts_drawn(page: Page):
    for chart in ("lights", "units", "months", "kinds", "leaders"):
        expect(page.locator(f"#chart-{chart}[data-ready='1'] canvas")).to_have_count(1)


def point_of(page: Page, chart: str, series: int, index: int) -> tuple[float, float]:
    """Where on the page the bar (or slice) ``index`` of ``series`` is drawn, from ECharts' layout."""
    x, y = page.evaluate(
        """([id, s, i]) => {
            const chart = echarts.getInstanceByDom(document.getElementById(id));
            const l = chart.getModel().getSeriesByIndex(s).getData().getItemLayout(i);
            if (l.r !== undefined) {  // a pie slice: the middle of its ring
                const a = (l.startAngle + l.endAngle) / 2, r = (l.r + l.r0) / 2;
                return [l.cx + Math.cos(a) * r, l.cy + Math.sin(a) * r];
            }
            return [l.x + l.width / 2, l.y + l.height / 2];
        }""", [f"chart-{chart}", series, index])
    box = page.locator(f"#chart-{chart}").bounding_box()
    return box["x"] + x, box["y"] + y


def click_chart(page: Page, chart: str, series: int, index: int, *, phone=False):
    page.locator(f"#chart-{chart}").scroll_into_view_if_needed()
    x, y = point_of(page, chart, series, index)
    if phone:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


def test_the_mayor_reads_the_dashboard_and_opens_the_worst_units_overdue_items(web, city):
    org, people = city
    d = dashboard(people["shizhang"])
    page = web.login("shizhang")
    expect(page.get_by_role("heading", name=re.compile("督查驾驶舱"))).to_be_visible()
    expect(page.locator("#kpi-assigned .kpi-value")).to_have_text(str(d.totals["assigned"]))
    expect(page.locator("#kpi-on-time .kpi-value")).to_contain_text(str(d.totals["on_time_rate"]))
    charts_drawn(page)
    web.shot(page, "mayor-dashboard")
    assert web.blocked == []  # everything from the live server: no CDN

    worst = d.overdue_units[0]
    click_chart(page, "units", 0, len(d.overdue_units) - 1)  # the worst unit is the top bar
    expect(page).to_have_url(re.compile(r"/items/\?"))
    query = parse_qs(urlparse(page.url).query)
    assert query == {"unit": [worst.key], "unit_role": ["lead"], "overdue": ["on"]}
    expect(page.locator("#id_unit")).to_have_value(worst.key)
    expect(rows(page)).to_have_count(worst.values["n"])
    web.shot(page, "mayor-worst-unit-overdue-list")

    page.go_back()
    charts_drawn(page)
    month = next(i for i, b in enumerate(d.months) if b.values["closed"])
    click_chart(page, "months", 1, month)  # series 1: 办结
    expect(page).to_have_url(re.compile(r"closed_in=\d{4}-\d{2}"))
    expect(page.locator("#period-filter")).to_contain_text(f"{d.months[month].key} 办结")
    expect(rows(page)).to_have_count(d.months[month].values["closed"])
    web.shot(page, "mayor-closed-in-a-month")


def test_a_responsible_leader_finds_his_own_line_first_and_opens_it(web, city):
    org, people = city
    zhao = people["fushizhang_zhao"]
    d = dashboard(zhao)
    page = web.login("fushizhang_zhao")
    charts_drawn(page)
    mine = d.leaders[0]
    assert mine.mine and mine.label == zhao.display_name
    page.locator("#h-leaders").scroll_into_view_if_needed()
    page.locator("#chart-leaders").locator("xpath=..").get_by_text("数据").click()
    expect(page.locator("#table-leaders tbody tr").first).to_contain_text(f"{zhao.display_name}（本人）")
    web.shot(page, "leader-dashboard")

    # his line is the top one of the chart (the data are drawn bottom-up); series 0: 交办
    click_chart(page, "leaders", 0, len(d.leaders) - 1)
    expect(page).to_have_url(re.compile(r"/items/\?"))
    assert parse_qs(urlparse(page.url).query) == {"leader": [str(zhao.id)], "year": [str(d.year)]}
    expect(page.locator("#id_leader")).to_have_value(str(zhao.id))
    expect(rows(page)).to_have_count(mine.values["total"])
    web.shot(page, "leader-own-items")

    # another year: choosing it in the list opens it
    page.goto("/")
    page.locator("#dash-year").select_option(str(d.year - 1))
    expect(page).to_have_url(re.compile(rf"\?year={d.year - 1}$"))
    expect(page.locator("h1")).to_contain_text(f"{d.year - 1}年")
    charts_drawn(page)

    # the 待办 page is one click away
    page.get_by_role("link", name="打开待办页").click()
    expect(page.get_by_role("heading", name=re.compile("我的待办"))).to_be_visible()


def test_the_mayor_on_a_phone_taps_a_month(web, city):
    org, people = city
    d = dashboard(people["shizhang"])
    page = web.login("shizhang", viewport=PHONE)
    charts_drawn(page)
    no_page_overflow(page)
    web.shot(page, "phone-mayor-dashboard")
    for chart in ("lights", "units", "months", "kinds", "leaders"):
        box = page.locator(f"#chart-{chart}").bounding_box()
        assert box["width"] <= PHONE["width"] and box["height"] >= 140, (chart, box)
    month = max(range(12), key=lambda i: d.months[i].values["assigned"])
    click_chart(page, "months", 0, month, phone=True)  # series 0: 交办
    expect(page).to_have_url(re.compile(r"registered_in=\d{4}-\d{2}"))
    expect(rows(page)).to_have_count(d.months[month].values["assigned"])
    no_page_overflow(page)
    web.shot(page, "phone-assigned-in-a-month")


def test_a_responsible_leader_on_a_phone_taps_the_red_slice(web, city):
    org, people = city
    liu = people["fushizhang_liu"]
    d = dashboard(liu)
    assert d.lights[0].values["n"] > 0
    page = web.login("fushizhang_liu", viewport=PHONE)
    charts_drawn(page)
    no_page_overflow(page)
    web.shot(page, "phone-leader-dashboard")
    page.locator("#chart-units").scroll_into_view_if_needed()
    web.shot(page, "phone-leader-units", full_page=False)
    page.locator("#chart-lights").scroll_into_view_if_needed()
    click_chart(page, "lights", 0, 0, phone=True)  # slice 0: 超期（红灯）
    expect(page).to_have_url(re.compile(r"/items/\?light=red$"))
    expect(page.locator("#id_light")).to_have_value("red")
    expect(rows(page)).to_have_count(d.lights[0].values["n"])
    web.shot(page, "phone-red-items")
