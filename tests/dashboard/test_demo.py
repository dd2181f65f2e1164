"""The dashboard's demo data: a year of work that gives every chart something to show."""

from __future__ import annotations

from duban.dashboard.demo import seed_demo
from duban.dashboard.selectors import dashboard
from duban.deadlines.official import ensure_official_calendar
from duban.demo.seed import create_demo_org
from duban.orgs.models import User
from tests.factories import aware


def test_the_demo_year_fills_every_chart_and_is_made_once(db):
    ensure_official_calendar()
    org, _ = create_demo_org()
    now = aware(2026, 11, 20)
    assert seed_demo(org, now=now) == 36
    assert seed_demo(org, now=now) == 0
    d = dashboard(User.objects.get(username="shizhang"), now=now)
    t = d.totals
    assert t["assigned"] == 36 and 10 < t["closed"] < 36 and 0 < t["closed_on_time"] < t["closed"]
    assert t["overdue"] > 0 and d.overdue_units[0].label == "住建局"
    assert sum(1 for b in d.months if b.values["assigned"]) >= 10
    assert sum(1 for b in d.months if b.values["closed"]) >= 8
    assert len(d.kinds) == 8 and len(d.leaders) == 2
