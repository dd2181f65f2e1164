"""Assigning lead and co-units, contesting within the window, the office's decision, co-units'
opinions (001 art. 10: answered within 3 months, at most 6)."""

import datetime as dt

import pytest

from duban.items import services as item_services
from duban.items.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from duban.items.models import Assignment, Status
from duban.proposals import services as ps
from duban.proposals.models import Contest, ProposalConfig, ProposalState

from .conftest import NOW


def test_assignment_registers_the_item_with_a_three_month_deadline(world, journey):
    p = journey.assign(journey.receive())
    item = p.item
    assert p.state == ProposalState.HANDLING and item.status == Status.IN_PROGRESS
    assert item.lead_unit == world.units["lead"]
    assert [u.name for u in item.co_units] == [world.units["co"].name]
    assert item.deadline == dt.date(2026, 6, 2)  # 3 months from 2 March (001 art. 10)
    assert item.number == "2026年人大建议第1号"
    assert item.responsible_leader == world.principal
    # The contest window: 7 working days (preset), here 2 → 11 March.
    assert p.contest_until == dt.date(2026, 3, 11)
    assert p.co_opinion_due == item.deadline - dt.timedelta(days=30)


def test_extensions_are_capped_at_six_months(world, journey):
    p = journey.assign(journey.receive())
    with pytest.raises(InvalidInput, match="最迟不得超过2026年09月02日"):
        item_services.request_extension(p.item.id, world.liaison["lead"], until=dt.date(2026, 9, 30),
                                        reason="涉及面广", progress="正在协调", now=NOW)
    item_services.request_extension(p.item.id, world.liaison["lead"], until=dt.date(2026, 9, 2),
                                    reason="涉及面广", progress="正在协调", now=NOW)


def test_the_session_fixed_date_is_the_deadline(world, session, journey):
    session.answer_due = dt.date(2026, 5, 31)
    session.save()
    p = journey.assign(journey.receive())
    assert p.item.deadline == dt.date(2026, 5, 31)


def test_the_window_is_configurable(world, journey):
    ProposalConfig.objects.update_or_create(org=world.org, defaults={"contest_working_days": 3})
    p = journey.assign(journey.receive())
    assert p.contest_until == dt.date(2026, 3, 5)


def test_only_the_office_assigns(world, journey):
    p = journey.receive()
    with pytest.raises(PermissionDenied):
        ps.assign(p.id, world.liaison["lead"], lead_unit=world.units["lead"], now=NOW)


def test_a_unit_contests_within_the_window_and_the_office_reassigns(world, journey):
    p = journey.assign(journey.receive())
    c = ps.contest(p.id, world.liaison["lead"], reason="属于住建部门职责", now=NOW + dt.timedelta(days=2))
    with pytest.raises(TransitionNotAllowed, match="待督查室决定"):
        ps.contest(p.id, world.liaison["lead"], reason="再次", now=NOW + dt.timedelta(days=2))
    ps.decide_contest(c.id, world.supervisor, uphold=True, lead_unit=world.units["other"],
                      co_units=[world.units["co"]], now=NOW + dt.timedelta(days=3))
    p.refresh_from_db()
    c.refresh_from_db()
    assert c.state == Contest.State.UPHELD
    assert p.item.lead_unit == world.units["other"]
    assert set(p.item.assignments.values_list("state", flat=True)) == {Assignment.State.ACCEPTED}
    # The new lead unit has a fresh window.
    assert p.contest_until == dt.date(2026, 3, 16)


def test_a_rejected_contest_leaves_the_assignment_standing_and_needs_a_reason(world, journey):
    p = journey.assign(journey.receive())
    c = ps.contest(p.id, world.liaison["co"], reason="不相关", now=NOW)
    with pytest.raises(InvalidInput):
        ps.decide_contest(c.id, world.supervisor, uphold=False, now=NOW)
    ps.decide_contest(c.id, world.supervisor, uphold=False, comment="涉及本单位职责，应予会办", now=NOW)
    p.refresh_from_db()
    assert p.item.lead_unit == world.units["lead"]
    assert world.units["co"] in p.item.co_units


def test_after_the_window_the_assignment_stands(world, journey):
    p = journey.assign(journey.receive())
    with pytest.raises(TransitionNotAllowed, match="异议期已于2026年03月11日届满"):
        ps.contest(p.id, world.liaison["lead"], reason="不属于本单位", now=NOW + dt.timedelta(days=10))


def test_a_unit_not_on_the_suggestion_cannot_contest(world, journey):
    p = journey.assign(journey.receive())
    with pytest.raises(PermissionDenied):
        ps.contest(p.id, world.liaison["other"], reason="x", now=NOW)


def test_a_co_unit_sends_its_opinion_and_lateness_is_recorded(world, journey):
    p = journey.assign(journey.receive())
    ps.submit_co_opinion(p.id, world.liaison["co"], body="建议结合城市更新统筹", now=NOW + dt.timedelta(days=20))
    late = p.co_opinion_due + dt.timedelta(days=1)
    ps.submit_co_opinion(p.id, world.liaison["co"], body="补充意见",
                         now=NOW.replace(month=late.month, day=late.day))
    events = list(p.item.events.filter(action="submit_co_opinion").values_list("data", flat=True))
    assert [e["late"] for e in events] == [False, True]
    with pytest.raises(PermissionDenied):
        ps.submit_co_opinion(p.id, world.liaison["lead"], body="x", now=NOW)
