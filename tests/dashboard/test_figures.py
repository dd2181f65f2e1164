"""The dashboard's figures (issue 9, point 4), counted with ``duban.items.counting`` from what each
person may see: totals and on-time rate of the year, lights, overdue lead units, kinds, leaders,
months, plans and lower organisations. Results go to the leaders (seed 001 art. 7(7); 000 art. 4(6));
closing on time is what circulars and the assessment count (001 arts. 15, 16; 002 arts. 16, 17)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.dashboard.selectors import dashboard
from duban.items.models import Item, Status
from duban.ledgers import services as ledgers
from duban.ledgers.importing import PlanParams
from duban.ledgers.models import Plan
from tests.factories import aware

from .conftest import NOW


def listed(client, url) -> int:
    """The total the list at ``url`` shows: its pager asks item_list_count with the same query."""
    path, _, query = url.partition("?")
    assert path == reverse("item_list"), url
    text = client.get(reverse("item_list_count") + "?" + query).content.decode()
    return int(re.fullmatch(r"第 \d+ / \d+ 页，共 (\d+) 件", text).group(1))


def bars(rows):
    return {b.label: b.values for b in rows}


def test_the_office_head_counts_the_years_work_and_its_on_time_rate(world, year_of_work):
    d = dashboard(world.office_head, year=2026, now=NOW)
    t = d.totals
    # registered in 2026: on_time, closed_late, overdue, fresh, secret (not last year's, not the draft)
    assert (t["assigned"], t["assigned_done"], t["completion_rate"]) == (5, 2, Decimal("40.00"))
    # closed in 2026: on_time, closed_late and last year's item; only on_time before its deadline
    assert (t["closed"], t["closed_on_time"], t["on_time_rate"]) == (3, 1, Decimal("33.33"))
    assert (t["open"], t["overdue"]) == (3, 2)
    assert bars(d.lights) == {"超期（红灯）": {"n": 2}, "临期（黄灯）": {"n": 0}, "正常（绿灯）": {"n": 1}}
    assert bars(d.kinds) == {"会议决定事项": {"total": 5, "done": 2, "overdue": 2}}
    assert [(b.label, b.values["n"]) for b in d.overdue_units] == [(world.units["lead"].name, 2)]
    assert d.overdue_unit_count == 1


def test_a_past_year_counts_its_own_assignments_and_closings(world, year_of_work):
    t = dashboard(world.office_head, year=2025, now=NOW).totals
    assert (t["assigned"], t["assigned_done"], t["closed"]) == (1, 1, 0)
    assert t["on_time_rate"] == Decimal("0.00")  # nothing closed in 2025: 0.00, not an error


@pytest.mark.parametrize("who,sees_secret", [
    ("office_head", True), ("supervisor", True), ("leader", True),  # the leader is named on it
    ("other_leader", False), ("principal", False),  # not named: the secret item counts nowhere (002 art. 7(5))
])
def test_a_secret_item_counts_only_for_those_who_may_see_it(world, year_of_work, who, sees_secret):
    d = dashboard(getattr(world, who), year=2026, now=NOW)
    extra = 1 if sees_secret else 0
    assert d.totals["assigned"] == 4 + extra
    assert d.totals["overdue"] == 1 + extra
    assert d.lights[0].values["n"] == 1 + extra
    assert sum(b.values["total"] for b in d.leaders) == 4 + extra
    assert sum(b.values["assigned"] for b in d.months) == 4 + extra
    assert d.overdue_units[0].values["n"] == 1 + extra


def test_a_responsible_leader_finds_his_own_row_first(world, year_of_work):
    mine = dashboard(world.other_leader, year=2026, now=NOW).leaders
    assert [(b.label, b.mine) for b in mine] == [(world.other_leader.display_name, True), (world.leader.display_name, False)]
    assert mine[0].values == {"total": 1, "done": 0, "overdue": 0}
    # the principal leader has no row of his own: the busiest leader comes first
    principal = dashboard(world.principal, year=2026, now=NOW).leaders
    assert [b.label for b in principal] == [world.leader.display_name, world.other_leader.display_name]
    assert not any(b.mine for b in principal)


def test_months_count_registrations_and_closings_in_local_time(world, year_of_work):
    # closed at 20:30 UTC on 31 January: 1 February in Beijing, so February's closing
    Item.objects.filter(pk=year_of_work["closed_late"].pk).update(closed_at=dt.datetime(2026, 1, 31, 20, 30, tzinfo=dt.UTC))
    months = {b.key: b.values for b in dashboard(world.office_head, year=2026, now=NOW).months}
    assert len(months) == 12
    assert {k: v["assigned"] for k, v in months.items() if v["assigned"]} == {
        "2026-01": 1, "2026-02": 1, "2026-03": 1, "2026-06": 1, "2026-11": 1}
    assert {k: v["closed"] for k, v in months.items() if v["closed"]} == {"2026-01": 1, "2026-02": 1, "2026-03": 1}


def test_every_figure_links_to_a_list_of_exactly_the_items_it_counts(client, world, year_of_work):
    """Follow every bar's link as the same person: the list holds as many items as the bar says."""
    for user in (world.office_head, world.other_leader):
        d = dashboard(user, year=2026)  # the list counts overdue with today's date: so does this
        client.force_login(user)
        figures = [(b.values[k], url) for rows in (d.lights, d.overdue_units, d.kinds, d.leaders, d.months)
                   for b in rows for k, url in b.urls.items()]
        figures += [(d.totals[k], d.total_urls[k]) for k in ("assigned", "assigned_done", "closed", "open", "overdue")]
        assert len(figures) > 30
        for value, url in figures:
            r = client.get(url)
            assert r.status_code == 200, url
            assert r.context["form"].is_valid(), (url, r.context["form"].errors)
            assert listed(client, url) == value, (user.role, url)


def test_plans_show_their_rectification_rate_over_the_leaves_one_may_see(world):
    plan = ledgers.create_plan(world.org, world.supervisor, PlanParams(
        title="巡察反馈意见整改落实方案", kind=Plan.Kind.RECTIFICATION, source_text="", item_kind="rectification",
        start_date=dt.date(2026, 3, 1), source_item_id=None))
    problem = ledgers.add_problem(plan.id, world.supervisor, title="问题一")
    leaves = [ledgers.add_measure(plan.id, world.supervisor, problem=problem,
                                  fields=world.fields(title=f"整改措施{n}", is_secret=n == 0,
                                                      deadline=dt.date(2026, 6, 30), deadline_override_reason="按方案"),
                                  now=aware(2026, 3, 1)).item for n in range(4)]
    Item.objects.filter(pk__in=[i.pk for i in leaves[:3]]).update(status=Status.CLOSED, closed_at=aware(2026, 5, 1))
    Item.objects.filter(pk=leaves[3].pk).update(status=Status.IN_PROGRESS)
    (head_row,) = dashboard(world.office_head, now=NOW).plans
    assert (head_row.label, head_row.values, head_row.rate) == (
        "巡察反馈意见整改落实方案", {"total": 4, "done": 3, "overdue": 1}, Decimal("75.00"))
    assert head_row.urls["total"] == f"/plans/{plan.id}/"
    (other,) = dashboard(world.other_leader, now=NOW).plans  # the secret leaf (closed) is not his to count
    assert (other.values, other.rate) == ({"total": 3, "done": 2, "overdue": 1}, Decimal("66.67"))


def test_nothing_to_count_gives_zeros_not_errors(world):
    d = dashboard(world.principal, now=NOW)
    assert d.totals["assigned"] == d.totals["closed"] == d.totals["open"] == 0
    assert d.totals["on_time_rate"] == d.totals["completion_rate"] == Decimal("0.00")
    assert d.overdue_units == d.kinds == d.leaders == d.plans == d.lower_orgs == []
    assert len(d.months) == 12


def test_circulars_and_ranking_stay_out_until_their_apps_are_installed(world, settings):
    from django.apps import apps

    d = dashboard(world.principal, now=NOW)
    assert d.circulars is None if not apps.is_installed("duban.circulars") else isinstance(d.circulars, list)
    assert d.ranking is None if not apps.is_installed("duban.assessment") else isinstance(d.ranking, list)


def test_the_figures_take_a_fixed_number_of_queries(world, year_of_work, django_assert_max_num_queries):
    with django_assert_max_num_queries(16) as first:
        dashboard(world.principal, now=NOW)
    for n in range(5):
        world.item_in(Status.IN_PROGRESS, now=aware(2026, 4, 1 + n), title=f"更多事项{n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        dashboard(world.principal, now=NOW)


def test_today_is_local(world, year_of_work):
    """At 23:30 Beijing time on 31 December the year is still 2026."""
    d = dashboard(world.office_head, now=timezone.make_aware(dt.datetime(2026, 12, 31, 23, 30)))
    assert d.year == 2026


def test_lower_organisations_show_what_they_made_of_the_work_sent_down(db, client):
    """下级办理情况: the city sees how many of its items the district registered and how far they got,
    with no way into the district's own items (一级抓一级, seed 001 arts. 3, 5)."""
    from duban.deadlines.official import ensure_official_calendar
    from tests.crosslevel.conftest import Levels

    ensure_official_calendar()
    levels = Levels()
    upper = levels.send_down(Status.IN_PROGRESS, title="燃气安全专项整治")
    levels.send_down(Status.ASSIGNED, title="尚未签收的事项")
    lower = levels.register(upper)
    Item.objects.filter(pk=lower.pk).update(status=Status.CLOSED, closed_at=timezone.now())
    city = levels.city.principal
    (row,) = dashboard(city).lower_orgs
    assert (row.name, row.sent, row.registered, row.total, row.done, row.rate) == (
        "东城区人民政府", 2, 1, 1, 1, Decimal("100.00"))
    client.force_login(city)
    assert listed(client, row.url) == 2
    # the district's own dashboard counts its own items, not the city's
    district = dashboard(levels.district.principal)
    assert district.totals["assigned"] == 1 and district.lower_orgs == []


def test_the_latest_issued_circulars_are_listed_once_the_circulars_app_is_there(client, world):
    from django.apps import apps

    if not apps.is_installed("duban.circulars"):
        pytest.skip("the circulars app is not merged")
    from duban.circulars.models import Circular

    def circular(n, status, day):
        return Circular.objects.create(
            org=world.org, kind="monthly", period_start=dt.date(2026, n, 1), period_end=dt.date(2026, n, 28),
            title=f"关于2026年{n}月督查工作情况的通报", body="……", status=status, year=2026, seq=n,
            number=f"督查通报〔2026〕第{n}期" if status == "issued" else "", drafted_by=world.supervisor,
            issued_at=aware(2026, n + 1, day) if status == "issued" else None)

    circular(9, "issued", 3)
    circular(10, "issued", 5)
    circular(11, "draft", 1)  # a draft is nobody's news yet
    rows = dashboard(world.leader, now=NOW).circulars
    assert [c["number"] for c in rows] == ["督查通报〔2026〕第10期", "督查通报〔2026〕第9期"]
    client.force_login(world.leader)
    page = client.get("/").content.decode()
    assert f'href="/circulars/{rows[0]["id"]}/"' in page and "关于2026年10月督查工作情况的通报" in page
    assert "关于2026年11月" not in page


@pytest.mark.postgres
def test_the_years_registrations_and_closings_are_read_from_an_index_alone(world, year_of_work):
    """The two grouped reads over a year's items (30,000 a year in a city) need no table row:
    item_org_year_figures and item_org_closed hold every column they use, so PostgreSQL answers
    them from the index (bench/README.md, "The leaders' dashboard"). A column added to either read
    and not to its index brings back the table scan: this test names it."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        dashboard(world.office_head, year=2026, now=NOW)
    reads = {"item_org_year_figures": '"items_item"."year" = 2026', "item_org_closed": '"items_item"."closed_at" >= '}
    indexes = {i.name: i for i in Item._meta.indexes}
    for name, marker in reads.items():
        sqls = [q["sql"] for q in ctx.captured_queries if marker in q["sql"] and "GROUP BY" in q["sql"]]
        assert len(sqls) == 1, (name, sqls)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (VERBOSE) " + sqls[0])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        # The columns of the outer read, bare or as items_item.x (a subquery's are u0.x, u1.x).
        used = {f.column for f in Item._meta.concrete_fields
                if re.search(rf"(?<![\w.]){f.column}\b|\bitems_item\.{f.column}\b", plan)}
        index = indexes[name]
        held = {Item._meta.get_field(f).column for f in [*index.fields, *index.include]}
        assert used and used <= held, (name, used - held)
