"""Lights and the inbox change as the clock moves (issue 3, "Tests that must exist").

The clock is Django's `timezone.now`, moved for the live server and the sweep alike; the sweep is
what the worker runs every 15 minutes."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duban.items import services as svc
from duban.items.models import ItemKind, Urgency
from duban.urging import ladder

pytestmark = pytest.mark.browser

TITLE = "关于城区排水管网改造的督查事项"


class Clock:
    def __init__(self, monkeypatch):
        self.moment = None
        real = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: self.moment or real())

    def reset(self):
        self.moment = None

    def set(self, y, m, d, h=9):
        self.moment = timezone.make_aware(dt.datetime(y, m, d, h, 0))
        return self.moment


def test_lights_and_inbox_follow_the_clock_across_national_day(web, demo, monkeypatch):
    org, users = demo
    clock = Clock(monkeypatch)
    now = clock.set(2026, 9, 21)
    item = svc.create_draft(org, users["duchayuan"], svc.DraftFields(
        title=TITLE, content="完成主城区排水管网改造。", kind=ItemKind.MEETING_DECISION, urgency=Urgency.NORMAL,
        lead_unit=users["zjj_lly"].unit, co_units=[], responsible_leader=users["fushizhang_liu"],
        deadline=dt.date(2026, 10, 12), deadline_override_reason="常务会议确定"), now=now)
    svc.submit_proposal(item.id, users["duchayuan"], now=now)
    svc.approve_proposal(item.id, users["fushizhang_liu"], now=now)
    svc.accept(item.id, users["zjj_lly"], responsible_person="罗明", now=now)

    # The browser keeps its own, real clock: sign in on it, so the session cookie is not born expired.
    clock.reset()
    page = web.login("zjj_lly")
    row = lambda: page.locator("#item-table tbody tr", has_text=TITLE)  # noqa: E731

    # 09-28: 10 working days left (National Day in between): green, nothing in the inbox.
    clock.set(2026, 9, 28)
    assert ladder.sweep() == 0
    page.goto("/items/")
    expect(row()).to_contain_text("正常")
    expect(page.locator("#unread-count")).to_have_count(0)
    web.shot(page, "0928-green")

    # 10-08, the first working day after the holiday: T−3, a reminder; 3 working days left: yellow.
    clock.set(2026, 10, 8)
    assert ladder.sweep() == 1
    page.goto("/items/")
    expect(row()).to_contain_text("临期")
    expect(page.locator("#unread-count")).to_have_text("1")
    web.shot(page, "1008-yellow-reminded")
    page.locator("#nav-inbox").click()
    expect(page.get_by_text(TITLE).first).to_be_visible()
    web.shot(page, "1008-inbox")

    # 10-15: T+3, overdue: red, an urge notice numbered 催〔2026〕N号 waits for the unit's answer.
    clock.set(2026, 10, 15)
    assert ladder.sweep() >= 1
    page.goto("/items/")
    expect(row()).to_contain_text("超期")
    page.goto("/notices/")
    expect(page.locator("tbody tr", has_text=TITLE)).to_contain_text("催办单")
    web.shot(page, "1015-notice")
    page.goto(f"/items/{item.id}/")
    expect(page.locator("#item-light")).to_have_text("超期")
    expect(page.locator("#timeline")).to_contain_text("系统催办")
    web.shot(page, "1015-item")
