"""Lights in every list and on the item page; the per-unit list of open notices (issue 3)."""

import datetime as dt

import pytest
from django.urls import reverse

from duban.items.models import Status
from duban.urging import ladder

from ..factories import aware

D = dt.date.fromisoformat


@pytest.fixture
def items(world):
    mk = lambda title, deadline: world.item_in(  # noqa: E731
        Status.IN_PROGRESS, now=aware(2026, 9, 1), title=title, deadline=D(deadline), deadline_override_reason="测试")
    return {"late": mk("已超期的事项", "2026-09-10"), "soon": mk("临期的事项", "2099-01-01"), "far": mk("远期事项", "2099-06-01")}


def test_list_filters_and_sorts_by_light(client, world, items):
    client.force_login(world.supervisor)
    page = client.get(reverse("item_list"), {"light": "red"}).content.decode()
    assert "已超期的事项" in page and "远期事项" not in page and "light-red" in page
    page = client.get(reverse("item_list"), {"light": "green"}).content.decode()
    assert "远期事项" in page and "已超期的事项" not in page
    page = client.get(reverse("item_list"), {"sort": "light"}).content.decode()
    assert page.index("已超期的事项") < page.index("远期事项")


def test_item_page_and_work_list_show_the_light(client, world, items):
    client.force_login(world.liaison["lead"])
    page = client.get(reverse("item_detail", args=[items["late"].id])).content.decode()
    assert 'id="item-light">超期' in page
    assert "light-red" in client.get(reverse("worklist")).content.decode()


def test_open_notices_per_unit(client, world, items):
    ladder.sweep(now=aware(2026, 9, 15, 9))  # T+3 of 09-10: an urge notice to the lead unit
    client.force_login(world.liaison["lead"])
    page = client.get(reverse("notice_list")).content.decode()
    assert "催〔2026〕1号" in page and "已超期的事项" in page
    client.force_login(world.liaison["other"])
    assert "催〔2026〕1号" not in client.get(reverse("notice_list")).content.decode()
    client.force_login(world.supervisor)
    assert "催〔2026〕1号" in client.get(reverse("notice_list")).content.decode()
