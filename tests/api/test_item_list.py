"""GET /items: what OA clients page through. Its answer skips ninja's output check (see
``routers/items.list_items``), so these tests hold it to ``ItemPage`` and to a fixed query count."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from duban.api.api import api
from duban.api.schemas import ItemPage
from duban.items.models import Item, Status

# Token (with its user, organisation and unit), urging policy, the office's linked unit, page, and
# the unfiltered count as what is in reach less what is kept back (selectors.count_visible).
LIST_QUERIES = 6


def _as_item_page_would_render(body: bytes) -> bytes:
    """The answer as ninja would send it after validating it against ItemPage."""
    validated = ItemPage.model_validate(json.loads(body)).model_dump()
    return api.renderer.render(None, validated, response_status=200).encode()


@pytest.fixture
def varied_items(world):
    """Items that fill every field of a summary one way or another."""
    today = timezone.localdate()
    world.draft(title="草拟中")
    red = world.item_in(Status.ASSIGNED, title="已超期", urgency="urgent", kind="petition")
    Item.objects.filter(pk=red.pk).update(deadline=today - dt.timedelta(days=3))
    stalled = world.item_in(Status.IN_PROGRESS, title="停滞", co_units=[])
    Item.objects.filter(pk=stalled.pk).update(last_progress_at=timezone.now() - dt.timedelta(days=60))
    world.item_in(Status.IN_PROGRESS, title="涉密", is_secret=True)
    world.item_in(Status.CLOSED, title="已办结")
    no_deadline = world.item_in(Status.ASSIGNED, title="无时限")
    Item.objects.filter(pk=no_deadline.pk).update(deadline=None)
    return world


@pytest.mark.parametrize("who", ["supervisor", "leader", "lead_liaison", "lead_head"])
@pytest.mark.parametrize("params", [{}, {"status": "open"}, {"light": "red"}, {"page": 2}])
def test_the_list_answers_exactly_what_item_page_declares(varied_items, as_user, who, params):
    world = varied_items
    user = {"lead_liaison": world.liaison["lead"], "lead_head": world.head["lead"]}.get(who) or getattr(world, who)
    response = as_user(user).get("/items", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content == _as_item_page_would_render(response.content)
    body = response.json()
    if params.get("page") != 2:
        assert body["results"], "the test must look at some items"


def test_every_state_of_a_summary_is_in_the_answer(varied_items, as_user):
    results = {i["title"]: i for i in as_user(varied_items.supervisor).get("/items").json()["results"]}
    assert results["已超期"]["light"] == "red" and results["已超期"]["is_overdue"] is True
    assert results["已超期"]["kind_label"] == "信访事项" and results["已超期"]["urgency_label"] == "紧急"
    assert results["停滞"]["stalled"] is True
    assert results["草拟中"]["status_label"] == "草拟" and results["草拟中"]["light"] == ""
    assert results["无时限"]["deadline"] is None and results["无时限"]["is_overdue"] is False
    assert results["涉密"]["is_secret"] is True
    assert results["已办结"]["responsible_leader"] == {"id": varied_items.leader.id, "name": varied_items.leader.full_name}


@pytest.mark.parametrize("n", [3, 50, 51])
def test_the_count_is_right_whether_or_not_the_first_page_is_full(world, as_user, n):
    for i in range(n):
        world.draft(title=f"事项{i}")
    body = as_user(world.supervisor).get("/items").json()
    assert (body["count"], body["pages"], len(body["results"])) == (n, 1 if n <= 50 else 2, min(n, 50))


def test_a_short_first_page_is_counted_by_its_length(world, as_user):
    for i in range(3):
        world.draft(title=f"事项{i}")
    sup = as_user(world.supervisor)
    sup.get("/me")  # the token's first use is recorded once; not part of what is measured
    with CaptureQueriesContext(connection) as ctx:
        assert sup.get("/items").json()["count"] == 3
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.parametrize("page", [1, 2])
def test_a_page_of_the_list_costs_a_fixed_number_of_queries(world, as_user, django_assert_max_num_queries, page):
    for i in range(55):
        world.draft(title=f"事项{i}")
    sup = as_user(world.supervisor)
    sup.get("/me")
    with django_assert_max_num_queries(LIST_QUERIES):
        body = sup.get("/items", {"page": page}).json()
    assert body["count"] == 55 and len(body["results"]) == (50 if page == 1 else 5)


@pytest.mark.postgres
def test_web_connections_plan_without_jit_parallel_workers_or_memoize(world):
    """Planner choices that cost a web request more than they save (settings.py, bench/README.md)."""
    with connection.cursor() as cursor:
        for name in ("jit", "max_parallel_workers_per_gather", "enable_memoize"):
            cursor.execute(f"SHOW {name}")
            assert cursor.fetchone()[0] in ("off", "0"), name
