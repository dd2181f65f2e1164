"""The pages work in Chromium under the Content-Security-Policy (issue 8, point 5): no violation is
reported on the pages a person uses, htmx still swaps the item list, the moved handlers (全选,
打印) still work, and Swagger UI at /api/v1/docs renders under the same policy."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from ..browser.conftest import chromium_browser, web  # noqa: F401 - the browser tests' fixtures
from ..browser.conftest import demo  # noqa: F401

pytestmark = pytest.mark.browser


def watch(page) -> list[str]:
    """Console messages in which Chromium reports a refused script, style or connection."""
    seen = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    return seen


def test_pages_work_under_the_policy_and_report_no_violation(web, demo):  # noqa: F811
    from duban.ledgers import services as ledgers
    from duban.ledgers.models import Plan
    from duban.demo.seed import create_demo_items

    org, people = demo
    create_demo_items(org)
    plan = ledgers.create_plan(org, people["duchayuan"], ledgers.clean_params(
        org, title="巡视整改方案", kind=Plan.Kind.RECTIFICATION, start_date=dt.date(2026, 11, 24)))

    page = web.login("duchayuan")
    violations = watch(page)
    page.reload()
    web.shot(page, "worklist")

    page.goto("/items/")
    expect(page.locator("input[name=items]").first).to_be_visible()
    # htmx: choosing a filter swaps the table in place.
    with page.expect_response(re.compile(r"/items/\?")):
        page.locator("#id_status").select_option("open")
    page.locator("[data-check-all]").check()
    boxes = page.locator("input[name=items]")
    assert boxes.count() > 0
    for i in range(boxes.count()):
        expect(boxes.nth(i)).to_be_checked()
    web.shot(page, "item-list-all-ticked")

    page.locator("tbody a").first.click()
    expect(page.locator("h1").first).to_be_visible()
    web.shot(page, "item-detail")

    page.goto(f"/plans/{plan.id}/report/")
    page.evaluate("window.print = () => { window.__printed = true }")
    page.locator("[data-print]").click()
    assert page.evaluate("window.__printed === true")
    web.shot(page, "plan-report")

    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    web.shot(page, "swagger-ui")

    assert violations == []
    assert web.blocked == []


def test_the_admin_works_under_the_policy(web, demo):  # noqa: F811
    page = web.login("admin")
    violations = watch(page)
    page.goto("/admin/orgs/unit/")
    expect(page.locator("#result_list")).to_be_visible()
    page.locator("#result_list tbody th a").first.click()
    expect(page.locator("input[name=_save]")).to_be_visible()
    web.shot(page, "admin-unit")
    assert violations == []
