"""下级办理情况: the upper office sees the progress of everything it sent down, rolled up, and
nothing else of the district's (一级抓一级, seed 001 art. 3; 分级负责, art. 5). "Everything" is the
district's own item and, where the district decomposed it, the leaves of its plans."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.items import selectors
from duban.items import services as svc
from duban.items.models import Status
from duban.ledgers.models import Plan, PlanNode
from duban.orgs.models import Unit

from ..factories import UnitFactory, World
from .conftest import login

S = Status


def decompose(world, lower, states):
    """The district splits its item into measures (a plan whose source is its item), one leaf item
    per state given, driven through the district's own procedure."""
    plan = Plan.objects.create(org=world.org, title=f"{lower.title}分解方案", kind=Plan.Kind.DOCUMENT,
                               source_item=lower, start_date=lower.created_at.date(), created_by=world.supervisor)
    problem = PlanNode.objects.create(plan=plan, level=PlanNode.Level.PROBLEM, path="00001", number=1, title="燃气隐患")
    for n, state in enumerate(states, start=1):
        leaf = world.item_in(state, title=f"整改措施{n}")
        PlanNode.objects.create(plan=plan, parent=problem, level=PlanNode.Level.MEASURE, path=f"00001.{n:05d}",
                                number=n, title=leaf.title, item=leaf)
    return plan


@pytest.fixture
def sent(levels):
    upper = levels.send_down(S.IN_PROGRESS, co_units=[levels.city.units["co"]])
    lower = levels.register(upper)
    decompose(levels.district, lower, [S.CLOSED, S.ARCHIVED, S.IN_PROGRESS, S.ASSIGNED])
    return upper, lower


def test_the_rollup_counts_the_district_item_and_its_leaves(levels, sent):
    upper, lower = sent
    (row,) = selectors.sent_down_progress(upper)
    assert (row.org_name, row.number, row.status_label) == (levels.district.org.name, lower.number, "已交办待签收")
    assert row.deadline == lower.deadline
    assert (row.total, row.done, str(row.rate)) == (5, 2, "40.00")
    assert row.by_status == [("已交办待签收", 2), ("办理中", 1), ("已办结", 1), ("已归档", 1)]


def test_the_rollup_is_a_fixed_number_of_queries_for_any_number_of_districts_and_leaves(levels):
    upper = levels.send_down(S.IN_PROGRESS)
    levels.register(upper)
    west = World("西")
    west.org.parent = levels.city.org
    west.org.save()
    west_link = UnitFactory(org=levels.city.org, name="西城区人民政府", kind=Unit.Kind.DISTRICT, org_link=west.org)
    svc.reassign(upper.id, levels.city.supervisor, lead_unit=levels.link, co_units=[west_link])
    svc.accept_as_co(upper.id, west.supervisor, responsible_person="魏志强")
    west_lower = svc.register_lower(upper.id, west.supervisor)
    with CaptureQueriesContext(connection) as few:
        selectors.sent_down_progress(upper)
    decompose(west, west_lower, [S.CLOSED] * 3 + [S.IN_PROGRESS] * 3)
    with CaptureQueriesContext(connection) as many:
        rows = selectors.sent_down_progress(upper)
    assert len(many.captured_queries) == len(few.captured_queries) == 2  # the lower items; one aggregate
    assert [(r.org_name, r.total, r.done) for r in rows] == sorted(
        [(levels.district.org.name, 1, 0), (west.org.name, 7, 3)])
    assert rows[[r.org_name for r in rows].index(west.org.name)].number == ""  # a draft: no number yet


def test_the_city_office_and_leaders_see_the_panel_without_links_into_the_district(levels, sent, client):
    upper, lower = sent
    below = set(lower.org.items.values_list("id", flat=True))
    for person in (levels.city.supervisor, levels.city.office_head, levels.city.leader, levels.city.principal):
        page = login(client, person).get(reverse("item_detail", args=[upper.id])).content.decode()
        panel = page.split('id="sent-down"')[1].split('id="reports"')[0]
        assert "下级办理情况" in panel and lower.number in panel and "40.00%" in panel
        assert re.search(r"<td>5</td><td>2</td>", panel)
        linked = {int(i) for i in re.findall(r'href="/items/(\d+)/', page)}
        assert not linked & below
    for item_id in below:  # and the door stays shut
        assert client.get(reverse("item_detail", args=[item_id])).status_code == 404


@pytest.mark.parametrize("person", ["dc_supervisor", "dc_office_head", "city.liaison.co"])
def test_the_panel_is_the_upper_offices_only(levels, sent, client, person):
    upper, _ = sent
    user = levels.city.liaison["co"] if person == "city.liaison.co" else getattr(levels, person)
    page = login(client, user).get(reverse("item_detail", args=[upper.id])).content.decode()
    assert 'id="sent-down"' not in page


def test_before_the_district_registers_the_panel_says_so(levels, client):
    upper = levels.send_down()
    page = login(client, levels.city.supervisor).get(reverse("item_detail", args=[upper.id])).content.decode()
    assert "下级组织尚未登记为本级事项" in page
    plain = levels.city.item_in(S.IN_PROGRESS)
    assert 'id="sent-down"' not in client.get(reverse("item_detail", args=[plain.id])).content.decode()


def test_the_api_gives_the_same_figures(levels, sent, as_user):
    upper, lower = sent
    body = as_user(levels.city.leader).get(f"/items/{upper.id}").json()
    assert body["lower_progress"] == [{
        "org": levels.district.org.name, "number": lower.number, "status_label": "已交办待签收",
        "deadline": lower.deadline.isoformat(), "total": 5, "done": 2, "rate": "40.00",
        "by_status": [{"label": "已交办待签收", "count": 2}, {"label": "办理中", "count": 1},
                      {"label": "已办结", "count": 1}, {"label": "已归档", "count": 1}],
    }]
    assert as_user(levels.city.liaison["co"]).get(f"/items/{upper.id}").json()["lower_progress"] == []
