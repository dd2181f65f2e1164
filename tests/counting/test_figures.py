"""The period facts per unit (``duban.figures``): every count on a small month of work, the records
behind them, and that they are SQL aggregates (a fixed number of queries). Seed 001 art. 7(7):
the office collects and analyses each unit's completion of its work and circulates it; seed 004:
weekly, monthly and quarterly circulars are written from these facts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.figures import fact_records, unit_facts
from duban.items import services as svc
from duban.items.counting import on_time_q, overdue_q, rate
from duban.items.models import Item
from duban.ledgers import services as ledgers
from duban.ledgers.models import Plan
from duban.ledgers.importing import PlanParams
from tests.factories import aware

from .period import END, START, TODAY, build_october, close, registered


@pytest.fixture
def october(world, other_world):
    return build_october(world, other_world)


def by_unit(world, rows):
    names = {u.id: key for key, u in world.units.items()}
    return {names[r.unit_id]: r for r in rows}


def test_each_unit_that_had_work_gets_one_row_with_every_count(world, october):
    rows = by_unit(world, unit_facts(world.org, START, END, today=TODAY))
    assert set(rows) == {"lead", "co", "other"}
    lead, co, other = rows["lead"], rows["co"], rows["other"]
    # lead: A (主办, closed on time), B (assigned in Oct, closed late, returned once), C (协办, overdue)
    assert (lead.assigned, lead.closed, lead.closed_on_time, lead.overdue_now) == (2, 2, 1, 1)
    assert lead.returns_for_rework == 1 and lead.on_time_rate == Decimal("50.00")
    # co: A (协办, closed on time), F (主办, assigned in Oct, October report missed)
    assert (co.assigned, co.closed, co.closed_on_time, co.missed_reports) == (1, 1, 1, 1)
    assert co.on_time_rate == Decimal("100.00")
    # other: C (主办): assigned, overdue, an extension request and a 催办单 in October; the 督办令 came in November
    assert (other.assigned, other.closed, other.overdue_now, other.extensions) == (1, 0, 1, 1)
    assert (other.urge_notices, other.supervision_orders) == (1, 0)
    assert other.on_time_rate is None
    assert all(r.plan_rate is None for r in rows.values())


def test_the_next_month_counts_the_supervision_order_and_nothing_closed(world, october):
    rows = by_unit(world, unit_facts(world.org, dt.date(2026, 11, 1), dt.date(2026, 11, 30), today=TODAY))
    assert rows["other"].supervision_orders == 1 and rows["other"].urge_notices == 0
    assert rows["lead"].closed == 0 and rows["lead"].overdue_now == 1  # C is still open and late
    assert "co" in rows  # F is still open: the unit had work


def test_a_unit_without_work_in_the_period_has_no_row_unless_it_has_overdue_items(world, october):
    rows = by_unit(world, unit_facts(world.org, dt.date(2026, 12, 1), dt.date(2026, 12, 31), today=dt.date(2026, 10, 16)))
    # On 10-16, looking at December: B, C and F were registered before and are still open.
    assert set(rows) == {"lead", "co", "other"}
    rows = by_unit(world, unit_facts(world.org, dt.date(2026, 8, 1), dt.date(2026, 8, 31), today=TODAY))
    assert set(rows) == {"lead", "other"}  # nothing registered yet in August, but C is overdue today


def test_another_organisations_items_and_drafts_never_count(world, other_world, october):
    rows = unit_facts(other_world.org, START, END, today=TODAY)
    assert [(r.unit_name, r.assigned, r.closed) for r in rows] == [(other_world.units["lead"].name, 1, 0)]
    assert sum(r.assigned for r in unit_facts(world.org, START, END, today=TODAY)) == 4  # B, C twice (主办+协办), F


def test_counts_agree_with_the_counting_module(world, october):
    """One definition (issue 9): the figures equal the counting module's filters on the items."""
    items = Item.objects.filter(org=world.org, assignments__unit=world.units["lead"])
    lead = by_unit(world, unit_facts(world.org, START, END, today=TODAY))["lead"]
    assert lead.overdue_now == items.filter(overdue_q(TODAY)).count()
    closed = items.filter(closed_at__date__range=(START, END))
    assert lead.closed_on_time == closed.filter(on_time_q()).count()
    assert lead.on_time_rate == rate(closed.filter(on_time_q()).count(), closed.count())


def test_facts_are_a_fixed_number_of_aggregate_queries(world, october):
    with CaptureQueriesContext(connection) as few:
        unit_facts(world.org, START, END, today=TODAY)
    for _ in range(5):
        registered(world, dt.date(2026, 10, 10), deadline=dt.date(2026, 10, 20), title="又一项")
    with CaptureQueriesContext(connection) as more:
        unit_facts(world.org, START, END, today=TODAY)
    assert len(few) == len(more) <= 7
    assert all("GROUP BY" in q["sql"].upper() for q in more.captured_queries[:6])


def test_records_behind_the_counts(world, october):
    recs = fact_records(world.org, START, END, today=TODAY)
    kinds = {}
    for r in recs:
        kinds.setdefault((r.unit_id, r.kind), []).append(r)
    lead, co, other = (world.units[k].id for k in ("lead", "co", "other"))
    a, b, c, f = (october[k] for k in "abcf")
    assert [r.item_id for r in kinds[(lead, "closed")]] == [a.id, b.id]
    assert [r.item_id for r in kinds[(lead, "closed_early")]] == [a.id]
    # B closed late (逾期办结) on 10-23; C overdue since 10-31 (逾期未办结)
    assert [(r.item_id, r.at) for r in kinds[(lead, "overdue")]] == [(b.id, dt.date(2026, 10, 23)), (c.id, dt.date(2026, 10, 31))]
    assert "逾期办结" in kinds[(lead, "overdue")][0].label and "逾期未办结" in kinds[(lead, "overdue")][1].label
    (ret,) = kinds[(lead, "return_for_rework")]
    assert (ret.ref_model, ret.item_id, ret.at, ret.item_number) == ("items.Review", b.id, dt.date(2026, 10, 18), b.number)
    (urge,) = kinds[(other, "urge_notice")]
    assert (urge.ref_model, urge.ref_id, urge.at) == ("urging.Notice", october["urge"].id, dt.date(2026, 10, 31))
    assert (other, "supervision_order") not in kinds
    (miss,) = kinds[(co, "missed_report")]
    assert (miss.ref_model, miss.ref_id, miss.item_id) == ("urging.ReportObligation", october["missed"].id, f.id)
    assert [r.item_id for r in kinds[(co, "closed_early")]] == [a.id]


def test_records_can_be_narrowed_to_some_units(world, october):
    only = fact_records(world.org, START, END, today=TODAY, unit_ids=[world.units["other"].id])
    assert {r.unit_id for r in only} == {world.units["other"].id}
    assert {r.kind for r in only} == {"overdue", "urge_notice"}


def test_plan_rate_counts_the_units_measures_done_by_the_periods_end(world):
    plan = ledgers.create_plan(world.org, world.supervisor, PlanParams(
        title="整改方案", kind=Plan.Kind.RECTIFICATION, source_text="巡视反馈", item_kind="rectification",
        start_date=dt.date(2026, 9, 1)))
    problem = ledgers.add_problem(plan.id, world.supervisor, title="问题一")
    t = aware(2026, 9, 1)
    items = []
    for n in range(3):
        node = ledgers.add_measure(plan.id, world.supervisor, problem=problem, now=t, fields=world.fields(
            title=f"措施{n}", co_units=[], deadline=dt.date(2026, 12, 31), deadline_override_reason="按方案"))
        svc.submit_proposal(node.item_id, world.supervisor, now=t)
        svc.approve_proposal(node.item_id, world.leader, now=t)
        svc.accept(node.item_id, world.liaison["lead"], responsible_person="李四", now=t)
        items.append(node.item)
    close(world, items[0], dt.date(2026, 10, 10))
    close(world, items[1], dt.date(2026, 11, 10))
    (row,) = unit_facts(world.org, START, END, today=TODAY)
    assert (row.plan_rate, row.closed) == (Decimal("33.33"), 1)
    (row,) = unit_facts(world.org, dt.date(2026, 11, 1), dt.date(2026, 11, 30), today=dt.date(2026, 11, 30))
    assert row.plan_rate == Decimal("66.67")


def test_a_period_the_wrong_way_round_is_refused(world):
    with pytest.raises(ValueError):
        unit_facts(world.org, END, START, today=TODAY)


def test_facts_serialise_for_freezing(world, october):
    row = by_unit(world, unit_facts(world.org, START, END, today=TODAY))["lead"]
    d = row.as_dict()
    assert d["on_time_rate"] == "50.00" and d["plan_rate"] is None and d["unit_name"] == world.units["lead"].name


def test_period_totals_count_each_item_once(world, october):
    from duban.figures import period_totals

    t = period_totals(world.org, START, END, today=TODAY)
    # B, C, F registered in October; A and B closed, A on time; C overdue on 11-05
    assert (t.assigned, t.closed, t.closed_on_time, t.overdue_now) == (3, 2, 1, 1)
    assert t.on_time_rate == Decimal("50.00")
