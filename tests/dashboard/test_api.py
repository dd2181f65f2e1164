"""GET /api/v1/dashboard: the page's figures as JSON, for the same people, counted the same way, in
the OpenAPI document; each figure's query works on GET /api/v1/items (issue 9, point 5)."""

from __future__ import annotations

import pytest

from duban.dashboard.selectors import dashboard
from tests.api.conftest import anonymous, as_user, error_of  # noqa: F401 (fixtures)


@pytest.mark.parametrize("who", ["principal", "leader", "other_leader", "office_head", "supervisor"])
def test_the_api_gives_the_pages_figures_to_each_reader(as_user, world, year_of_work, who):  # noqa: F811
    user = getattr(world, who)
    r = as_user(user).get("/dashboard", {"year": 2026})
    assert r.status_code == 200, r.content
    body = r.json()
    page = dashboard(user, year=2026)
    assert body["year"] == 2026
    assert body["totals"]["assigned"] == page.totals["assigned"]
    assert body["totals"]["on_time_rate"] == str(page.totals["on_time_rate"])
    assert [(b["label"], b["values"]) for b in body["leaders"]] == [(b.label, b.values) for b in page.leaders]
    assert [b["values"]["n"] for b in body["lights"]] == [b.values["n"] for b in page.lights]
    assert len(body["months"]) == 12
    if who == "other_leader":
        assert body["leaders"][0]["mine"] is True
        assert body["totals"]["assigned"] == 4  # the secret item he is not named on does not count


@pytest.mark.parametrize("who", ["liaison", "head"])
def test_unit_people_get_403(as_user, world, year_of_work, who):  # noqa: F811
    body = error_of(as_user(getattr(world, who)["lead"]).get("/dashboard"), 403)
    assert body["detail"] == "督查驾驶舱仅供领导和督查室使用"


def test_no_token_401_and_a_bad_year_400(anonymous, as_user, world):  # noqa: F811
    error_of(anonymous.get("/dashboard"), 401)
    api = as_user(world.principal)
    for bad in ("1999", "2100", "abc", "true"):
        error_of(api.get("/dashboard", {"year": bad}), 400)


def test_each_figures_query_lists_its_items_through_the_api(as_user, world, year_of_work):  # noqa: F811
    api = as_user(world.office_head)
    body = api.get("/dashboard", {"year": 2026}).json()
    checked = 0
    for section in ("lights", "overdue_units", "kinds", "leaders", "months"):
        for bar in body[section]:
            for key, query in bar["queries"].items():
                r = api.get("/items?" + query)
                assert r.status_code == 200, (query, r.content)
                assert r.json()["count"] == bar["values"][key], (section, query)
                checked += 1
    assert checked > 25


def test_the_dashboard_is_in_the_openapi_document(anonymous, db):  # noqa: F811
    schema = anonymous.get("/openapi.json").json()
    op = schema["paths"]["/api/v1/dashboard"]["get"]
    assert op["summary"] == "督查驾驶舱数据" and op["security"] == [{"BearerToken": []}]
    assert {"200", "400", "401", "403"} <= set(op["responses"])
    assert "on_time_rate" in schema["components"]["schemas"]["Totals"]["properties"]
