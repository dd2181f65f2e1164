"""Warning lights (issue 3, point 1), counted in working days on the official calendar."""

import datetime as dt

import pytest

from duban.items.models import Item, Status
from duban.items import services as svc
from duban.urging import lights
from duban.urging.models import UrgingPolicy

from ..factories import aware

D = dt.date.fromisoformat


def test_boundaries_count_working_days_across_national_day(world):
    b = lights.boundaries(world.org, now=aware(2026, 9, 28))
    # 3 working days after Mon 09-28: 09-29, 09-30, then 10-08 (10-01..10-07 holidays).
    assert b.today == D("2026-09-28") and b.warning == D("2026-10-08")


@pytest.mark.parametrize("deadline,expected", [
    ("2026-09-25", lights.RED), ("2026-09-28", lights.YELLOW), ("2026-10-08", lights.YELLOW),
    ("2026-10-09", lights.GREEN),
])
def test_light_of_an_open_item(world, deadline, expected):
    b = lights.boundaries(world.org, now=aware(2026, 9, 28))
    assert lights.light_of(Status.IN_PROGRESS, D(deadline), b) == expected
    assert lights.light_of(Status.CLOSED, D(deadline), b) == lights.NONE


def test_annotate_and_filter_agree(world):
    now = aware(2026, 9, 1)
    made = {}
    for deadline in ("2026-09-25", "2026-10-08", "2026-10-20"):
        item = world.item_in(Status.IN_PROGRESS, now=now, deadline=D(deadline), deadline_override_reason="测试")
        made[deadline] = item.id
    b = lights.boundaries(world.org, now=aware(2026, 9, 28))
    qs = Item.objects.filter(org=world.org)
    by_light = {i.id: i.light for i in lights.annotate(qs, b)}
    assert by_light == {made["2026-09-25"]: lights.RED, made["2026-10-08"]: lights.YELLOW, made["2026-10-20"]: lights.GREEN}
    for name, value in (("red", lights.RED), ("yellow", lights.YELLOW), ("green", lights.GREEN)):
        assert {i.id for i in lights.filter_light(qs, name, b)} == {k for k, v in by_light.items() if v == value}


def test_warning_window_is_the_organisations(world):
    UrgingPolicy.objects.filter(org=world.org).update(warning_working_days=1)
    b = lights.boundaries(world.org, now=aware(2026, 9, 28))
    assert b.warning == D("2026-09-29")


def test_stalled_when_nothing_moved_for_n_working_days(world):
    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1))
    qs = Item.objects.filter(pk=item.pk)
    assert not lights.filter_light(qs, "stalled", lights.boundaries(world.org, now=aware(2026, 9, 10))).exists()
    later = lights.boundaries(world.org, now=aware(2026, 9, 16))  # 11 working days on
    assert lights.filter_light(qs, "stalled", later).exists()
    assert lights.annotate(qs, later).get().stalled
    world.file_report(item, now=aware(2026, 9, 15))
    assert not lights.filter_light(qs, "stalled", later).exists()
