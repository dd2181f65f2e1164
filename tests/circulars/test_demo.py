"""The demo's circular: one monthly circular issued with a criticism and a praise (issue 9, point 1)."""

import datetime as dt

from duban.circulars.demo import seed_demo
from duban.circulars.models import CircularStatus
from tests.factories import aware


def test_seed_demo_issues_last_months_circular_with_a_criticism_and_a_praise(world, october):
    c = seed_demo(world.org, now=aware(2026, 11, 5))
    assert c.status == CircularStatus.ISSUED and c.number == "督查通报〔2026〕第1期"
    assert (c.period_start, c.period_end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    kinds = {m.kind: m.unit for m in c.mentions.all()}
    assert set(kinds) == {"praise", "criticism"} and kinds["praise"] != kinds["criticism"]
    assert c.approved_by == world.principal
    assert seed_demo(world.org, now=aware(2026, 11, 6)) is None  # once per month


def test_seed_demo_in_a_quiet_month_still_names_two_units(world):
    c = seed_demo(world.org, now=aware(2026, 11, 5))
    assert {m.kind for m in c.mentions.all()} == {"praise", "criticism"}
