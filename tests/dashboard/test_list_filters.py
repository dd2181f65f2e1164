"""The item list's filters the dashboard links to: year of registration, month registered, year or
month closed, done (closed or archived), and lead or co-unit, on the page and in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.api.conftest import as_user  # noqa: F401 (fixture)


def titles(client, **params):
    r = client.get(reverse("item_list"), params)
    assert r.status_code == 200 and r.context["form"].is_valid(), r.context["form"].errors
    return {i.title for i in r.context["page"]}


@pytest.mark.parametrize("params,expected", [
    ({"year": 2025}, {"上年交办的事项"}),
    ({"registered_in": "2026-01"}, {"逾期办结的事项"}),
    ({"closed_in": "2026"}, {"按期办结的事项", "逾期办结的事项", "上年交办的事项"}),
    ({"closed_in": "2026-01"}, {"上年交办的事项"}),
    ({"status": "done", "year": 2026}, {"按期办结的事项", "逾期办结的事项"}),
    ({"unit": "co", "unit_role": "lead"}, {"新交办的事项"}),
    ({"unit": "other", "unit_role": "co"}, {"新交办的事项"}),
    ({"unit": "co", "unit_role": "co", "year": 2026}, {"按期办结的事项", "逾期办结的事项", "超期未办结的事项", "涉密的超期事项"}),
])
def test_the_list_filters_the_dashboard_links_to(client, world, year_of_work, params, expected):
    if "unit" in params:
        params = {**params, "unit": world.units[params["unit"]].id}
    client.force_login(world.office_head)
    assert titles(client, **params) == expected


def test_the_api_list_takes_the_same_filters(as_user, world, year_of_work):  # noqa: F811
    api = as_user(world.office_head)
    r = api.get("/items", {"closed_in": "2026", "unit": world.units["lead"].id, "unit_role": "lead"})
    assert r.status_code == 200
    assert {i["title"] for i in r.json()["results"]} == {"按期办结的事项", "逾期办结的事项", "上年交办的事项"}
    for bad in ({"closed_in": "2026-13"}, {"registered_in": "2026"}, {"year": 1999}, {"unit_role": "boss"}):
        assert api.get("/items", bad).status_code == 400, bad


def test_a_malformed_period_says_so_in_chinese_and_filters_nothing_away(client, world, year_of_work):
    client.force_login(world.office_head)
    r = client.get(reverse("item_list"), {"closed_in": "2026-13"})
    page = r.content.decode()
    assert r.status_code == 200 and "筛选条件有误" in page and "办结时间应为 YYYY 或 YYYY-MM" in page
