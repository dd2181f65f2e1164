"""Scores are computed from the record, never typed, and every point names the record that earned
it (issue 9 point 3; presets from 001 art. 16(4), 002 arts. 16–17, 000 art. 4(6))."""

from decimal import Decimal

import pytest

from duban.assessment import services as asv
from duban.assessment.models import Assessment, SchemeRule, ScoreKind
from duban.urging.models import Notice, ReportObligation

from .scenario import HalfYear

D = Decimal


@pytest.fixture
def half(world):
    return HalfYear(world)


def run(world, half, **kw):
    return asv.run(world.org, world.supervisor, kind=Assessment.Kind.MID_YEAR, year=2026, now=half.run_at, **kw)


def lines_of(a, unit):
    return {(l.kind, l.item_id): l for l in a.lines.filter(unit=unit)}


def test_every_deduction_and_addition_kind_is_a_line_linked_to_its_record(world, half):
    """One line per record, points from the organisation's scheme (the presets)."""
    a = run(world, half)
    lead = lines_of(a, world.units["lead"])
    notice = Notice.objects.get(item=half.stalled, kind="urge_notice")
    order = Notice.objects.get(item=half.stalled, kind="supervision_order")
    missed = ReportObligation.objects.get(item=half.monthly, state="missed")
    expected = {
        ("base", None): (D("100"), "", None),
        ("overdue", half.stalled.id): (D("-2"), "items.Item", half.stalled.id),
        ("urge_notice", half.stalled.id): (D("-1"), "urging.Notice", notice.id),
        ("supervision_order", half.stalled.id): (D("-3"), "urging.Notice", order.id),
        ("missed_report", half.monthly.id): (D("-1"), "urging.ReportObligation", missed.id),
        ("return_for_rework", half.reworked.id): (D("-1"), "items.Review", half.reworked.reviews.first().id),
        ("closed_early", half.reworked.id): (D("0.5"), "items.Item", half.reworked.id),
        ("dissatisfied", half.reworked.id): (D("-2"), "items.Instruction", half.reworked.instructions.get().id),
    }
    assert {k: (l.points, l.ref_model, l.ref_id) for k, l in lead.items()} == expected
    assert "逾期未办结" in lead[("overdue", half.stalled.id)].label
    assert notice.number in lead[("urge_notice", half.stalled.id)].label
    other = lines_of(a, world.units["other"])
    assert other[("satisfied", half.praised_item.id)].points == D("1")
    assert other[("closed_early", half.praised_item.id)].points == D("0.5")


def test_a_units_score_is_the_sum_of_its_lines_and_units_are_ranked(world, half):
    a = run(world, half)
    scores = {s.unit_id: s for s in a.scores.all()}
    lead, other, co = (scores[world.units[k].id] for k in ("lead", "other", "co"))
    assert lead.score == D("100") - 2 - 1 - 3 - 1 - 1 + D("0.5") - 2 == D("90.5")
    assert (lead.deductions, lead.additions) == (D("-10"), D("0.5"))
    assert other.score == D("101.5") and co.score == D("100")
    assert [(s.unit_id, s.rank) for s in a.scores.order_by("rank")] == [(other.unit_id, 1), (co.unit_id, 2),
                                                                          (lead.unit_id, 3)]
    assert a.as_of.isoformat() == "2026-06-30"  # a past period is judged at its end


def test_the_organisation_edits_its_scheme_and_a_rerun_follows_it(world, half):
    a = run(world, half)
    SchemeRule.objects.filter(org=world.org, kind="supervision_order").update(points=D("-5"))
    SchemeRule.objects.filter(org=world.org, kind="urge_notice").update(is_active=False)
    a = run(world, half)
    lead = lines_of(a, world.units["lead"])
    assert lead[("supervision_order", half.stalled.id)].points == D("-5")
    assert ("urge_notice", half.stalled.id) not in lead


def test_a_cap_limits_what_one_kind_can_take_from_a_unit(world, half):
    """The organisation may cap a kind (e.g. overdue items at 20 points): later records still show,
    with what they were worth once the cap was reached."""
    world.item_in("in_progress", co_units=[], now=half.stalled.registered_at,
                  deadline=half.stalled.deadline, deadline_override_reason="会议要求")
    SchemeRule.objects.filter(org=world.org, kind="overdue").update(cap=D("3"))
    a = run(world, half)
    overdue = list(a.lines.filter(unit=world.units["lead"], kind=ScoreKind.OVERDUE).order_by("id"))
    assert [l.points for l in overdue] == [D("-2"), D("-1")]
    assert "已达上限" in overdue[1].label


def test_an_adjustment_is_its_own_line_with_the_written_reason_and_survives_a_rerun(world, half):
    a = run(world, half)
    unit = world.units["lead"]
    asv.adjust(a.id, world.supervisor, unit_id=unit.id, points="1.5", reason="牵头完成省级专项督查，经研究加分")
    a = run(world, half)  # recomputed from the record; the office's adjustment stays
    line = a.lines.get(unit=unit, kind=ScoreKind.ADJUSTMENT)
    assert (line.points, line.label, line.by) == (D("1.5"), "牵头完成省级专项督查，经研究加分", world.supervisor)
    assert a.scores.get(unit=unit).score == D("92")


@pytest.mark.parametrize("points, reason, field", [
    ("2", "", "reason"), ("0", "理由", "points"), ("abc", "理由", "points"), ("200", "理由", "points"),
    ("1.234", "理由", "points"),
])
def test_a_bad_adjustment_is_refused_and_changes_nothing(world, half, points, reason, field):
    from duban.items.errors import InvalidInput

    a = run(world, half)
    with pytest.raises(InvalidInput) as e:
        asv.adjust(a.id, world.supervisor, unit_id=world.units["lead"].id, points=points, reason=reason)
    assert e.value.field == field
    assert not a.lines.filter(kind=ScoreKind.ADJUSTMENT).exists()


def test_criticism_praise_and_sanctions_of_issued_circulars_are_lines(world, half):
    """002 art. 17: 通报表彰 / 通报批评; 001 art. 16(4): the sanction counts in the assessment."""
    from duban.accountability.models import Sanction

    from ..accountability.helpers import issue_circular
    from ..factories import aware

    c = issue_circular(world, aware(2026, 5, 6), criticise=["lead"], praise=["other"])
    issue_circular(world, aware(2026, 7, 2), criticise=["co"])  # after the period: not counted
    a = run(world, half)
    crit = a.lines.get(unit=world.units["lead"], kind="criticism")
    mention = c.mentions.get(kind="criticism")
    assert (crit.points, crit.ref_model, crit.ref_id) == (D("-5"), "circulars.Mention", mention.id)
    assert c.number in crit.label
    sanction = Sanction.objects.get(mention=mention)
    line = a.lines.get(unit=world.units["lead"], kind="sanction")
    assert (line.points, line.ref_model, line.ref_id, line.item_id) == (D("-3"), "accountability.Sanction",
                                                                        sanction.id, sanction.item_id)
    praise = a.lines.get(unit=world.units["other"], kind="praise")
    assert praise.points == D("3") and praise.ref_id == c.mentions.get(kind="praise").id
    assert not a.lines.filter(unit=world.units["co"], kind__in=["criticism", "sanction"]).exists()
    from duban.assessment.selectors import line_link

    assert line_link(crit) == f"/circulars/{c.id}/"
    assert line_link(line) == f"/units/{world.units['lead'].id}/year/2026/"


def test_each_of_the_three_ratings_is_scored_by_its_own_rule(world, half):
    """满意 / 基本满意 / 不满意 (000 art. 4(6)): the preset gives +1 / 0 / −2; 基本满意 still shows."""
    from duban.items import services as svc
    from duban.items.models import Satisfaction

    from ..factories import aware
    from .scenario import closed_by

    item = closed_by(world, "co", now=aware(2026, 6, 1))
    svc.close(item.id, world.leader, satisfaction=Satisfaction.BASICALLY_SATISFIED, now=aware(2026, 6, 2))
    a = run(world, half)
    ratings = {l.kind: l.points for l in a.lines.filter(kind__in=["satisfied", "basically_satisfied", "dissatisfied"])}
    assert ratings == {"satisfied": D("1"), "basically_satisfied": D("0"), "dissatisfied": D("-2")}
    assert "基本满意" in a.lines.get(kind="basically_satisfied", unit=world.units["co"]).label
