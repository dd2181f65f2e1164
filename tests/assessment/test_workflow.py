"""Run → adjust → submit → approve → publish; a published assessment is a record: it does not
change when the items change later (issue 9, "Engineering"); each role sees what it may."""

from decimal import Decimal

import pytest

from duban.assessment import selectors as sel
from duban.assessment import services as asv
from duban.assessment.models import Assessment, SchemeRule
from duban.items import services as svc
from duban.items.errors import PermissionDenied, TransitionNotAllowed

from ..factories import aware
from .scenario import HalfYear

S = Assessment.Status


@pytest.fixture
def half(world):
    return HalfYear(world)


def published(world, half):
    a = asv.run(world.org, world.supervisor, kind="mid_year", year=2026, now=half.run_at)
    asv.adjust(a.id, world.supervisor, unit_id=world.units["co"].id, points="-1", reason="年中材料报送迟缓")
    asv.submit(a.id, world.supervisor)
    asv.approve(a.id, world.principal, comment="同意")
    return asv.publish(a.id, world.office_head)


def snapshot(a):
    return (sorted((s.unit_id, s.score, s.rank) for s in a.scores.all()),
            sorted((l.unit_id, l.kind, l.points, l.label) for l in a.lines.all()))


def change_the_record(world, half):
    """In July the stalled item is reassigned to the co-unit, and the office makes overdue items
    cost more: both would move a computed score of the first half year."""
    svc.reassign(half.stalled.id, world.supervisor, lead_unit=world.units["co"], comment="职责调整",
                 now=aware(2026, 7, 6))
    SchemeRule.objects.filter(org=world.org, kind="overdue").update(points=Decimal("-10"))


def test_a_published_assessment_does_not_change_when_the_items_change_later(world, half):
    a = published(world, half)
    before = snapshot(a)
    change_the_record(world, half)
    assert snapshot(Assessment.objects.get(pk=a.id)) == before
    with pytest.raises(TransitionNotAllowed):
        asv.run(world.org, world.supervisor, kind="mid_year", year=2026, now=aware(2026, 7, 10))
    with pytest.raises(TransitionNotAllowed):
        asv.recompute(a.id, world.supervisor, now=aware(2026, 7, 10))
    with pytest.raises(TransitionNotAllowed):
        asv.adjust(a.id, world.supervisor, unit_id=world.units["lead"].id, points="5", reason="补加")
    assert snapshot(Assessment.objects.get(pk=a.id)) == before


def test_a_draft_recomputed_after_the_same_change_does_differ(world, half):
    """The control for the test above: the change moves a computed score."""
    a = asv.run(world.org, world.supervisor, kind="mid_year", year=2026, now=half.run_at)
    assert a.scores.get(unit=world.units["lead"]).score == Decimal("90.5")
    change_the_record(world, half)
    a = asv.recompute(a.id, world.supervisor, now=aware(2026, 7, 10))
    assert a.scores.get(unit=world.units["lead"]).score == Decimal("92.5")  # the overdue line moved to co
    assert a.scores.get(unit=world.units["co"]).score == Decimal("90")


def test_the_procedure_runs_through_its_states_and_the_unit_is_told(world, half):
    a = asv.run(world.org, world.supervisor, kind="mid_year", year=2026, now=half.run_at)
    assert a.status == S.DRAFT and a.title.endswith("2026年年中督查考核")
    a = asv.submit(a.id, world.supervisor)
    a = asv.send_back(a.id, world.leader, comment="请核实协办单位得分")
    assert a.status == S.DRAFT and a.leader_comment == "请核实协办单位得分"
    asv.submit(a.id, world.supervisor)
    asv.approve(a.id, world.leader)
    a = asv.publish(a.id, world.supervisor)
    assert a.status == S.PUBLISHED and a.published_by == world.supervisor
    from duban.notify.models import Notification

    n = Notification.objects.get(recipient=world.liaison["lead"], title__contains="结果已发布")
    assert "90.5" in n.body and "第3名" in n.body


@pytest.mark.parametrize("step, who", [
    ("run", "liaison"), ("run", "leader"), ("submit", "leader"), ("approve", "supervisor"),
    ("approve", "liaison"), ("publish", "leader"),
])
def test_each_step_is_for_its_role_only(world, half, step, who):
    user = world.liaison["lead"] if who == "liaison" else getattr(world, who)
    a = asv.run(world.org, world.supervisor, kind="mid_year", year=2026, now=half.run_at)
    if step in ("approve", "publish"):
        asv.submit(a.id, world.supervisor)
    if step == "publish":
        asv.approve(a.id, world.principal)
    call = {
        "run": lambda: asv.run(world.org, user, kind="mid_year", year=2026, now=half.run_at),
        "submit": lambda: asv.submit(a.id, user),
        "approve": lambda: asv.approve(a.id, user),
        "publish": lambda: asv.publish(a.id, user),
    }[step]
    with pytest.raises(PermissionDenied):
        call()


def test_another_organisations_office_cannot_touch_it(world, other_world, half):
    a = asv.run(world.org, world.supervisor, kind="mid_year", year=2026, now=half.run_at)
    with pytest.raises(PermissionDenied):
        asv.adjust(a.id, other_world.supervisor, unit_id=world.units["lead"].id, points="1", reason="x")
    assert sel.get_visible_assessment(other_world.supervisor, a.id) is None


def test_units_see_only_their_own_published_score_leaders_see_the_ranking(world, half):
    a = asv.run(world.org, world.supervisor, kind="mid_year", year=2026, now=half.run_at)
    lead_liaison = world.liaison["lead"]
    assert sel.get_visible_assessment(lead_liaison, a.id) is None  # not yet published
    assert sel.get_visible_assessment(world.leader, a.id) is None  # a draft is the office's
    assert sel.get_visible_assessment(world.supervisor, a.id) is not None
    asv.submit(a.id, world.supervisor)
    assert [s.rank for s in sel.scores_visible_to(world.leader, a)] == [1, 2, 3]
    asv.approve(a.id, world.principal)
    asv.publish(a.id, world.supervisor)
    a = sel.get_visible_assessment(lead_liaison, a.id)
    mine = list(sel.scores_visible_to(lead_liaison, a))
    assert [(s.unit_id, s.score) for s in mine] == [(world.units["lead"].id, Decimal("90.5"))]
    assert sel.lines_visible_to(lead_liaison, a, world.units["lead"].id).count() == 8
    assert not sel.lines_visible_to(lead_liaison, a, world.units["other"].id).exists()


def test_the_dashboard_reads_the_latest_published_ranking(world, half):
    assert sel.latest_published_ranking(world.org) == []
    published(world, half)
    ranking = sel.latest_published_ranking(world.org)
    assert ranking[0] == (world.units["other"].name, Decimal("101.50"), 1)
    assert [r[2] for r in ranking] == [1, 2, 3]
