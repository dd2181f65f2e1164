"""The sanction ladder: each criticism (通报批评) counts toward the unit's tally for the calendar
year, and the rung it reaches writes sanctions (seed 001 art. 16(2)(3); seed 000 art. 6)."""

import pytest

from duban.accountability.models import Sanction
from duban.accountability.presets import install_sanction_presets
from duban.items.models import Item, Status
from duban.notify.models import Notification

from ..factories import aware
from .helpers import issue_circular


def measures(world, key="lead", year=2026):
    return [(s.ordinal, s.measure) for s in Sanction.objects.filter(unit=world.units[key], year=year)
            .order_by("ordinal", "rule__id")]


def test_001_art_16_first_second_and_third_criticism_in_a_year(world):
    """一年内受到通报批评一次的，作出书面检查；两次的，约谈主要负责人并取消年度评先树优资格；
    三次及以上的，组织处理 (001 art. 16(2)(3)); a fourth is 三次及以上 too."""
    issue_circular(world, aware(2026, 3, 5), criticise=["lead"])
    assert measures(world) == [(1, "written_self_examination")]
    issue_circular(world, aware(2026, 6, 4), criticise=["lead"])
    assert measures(world)[1:] == [(2, "admonitory_talk"), (2, "no_awards")]
    no_awards = Sanction.objects.get(measure="no_awards")
    assert no_awards.state == "fulfilled" and "取消2026年度评先评优资格" in no_awards.note  # in effect at once
    assert Sanction.objects.get(measure="admonitory_talk").state == "pending"  # the talk is still to be held
    issue_circular(world, aware(2026, 9, 3), criticise=["lead"])
    assert measures(world)[3:] == [(3, "organisational_handling")]
    issue_circular(world, aware(2026, 10, 9), criticise=["lead"])
    assert measures(world)[4:] == [(4, "organisational_handling")]
    assert measures(world, "co") == []  # another unit's tally is its own


def test_000_art_6_criticised_twice_in_a_year_means_a_talk_with_the_units_principal(world):
    """000 art. 6: 通报批评，责令作出书面检查；年度内被通报批评两次的，对单位主要负责人进行约谈."""
    install_sanction_presets(world.org, "000", replace=True)
    issue_circular(world, aware(2026, 3, 5), criticise=["lead"])
    issue_circular(world, aware(2026, 6, 4), criticise=["lead"])
    issue_circular(world, aware(2026, 9, 3), criticise=["lead"])
    assert measures(world) == [(1, "written_self_examination"), (2, "admonitory_talk"), (3, "admonitory_talk")]
    assert "对单位主要负责人进行约谈" in Sanction.objects.get(ordinal=2).requirement


@pytest.mark.parametrize("preset", ["001", "000"])
def test_a_criticism_in_december_then_january_starts_at_the_first_rung_again(world, preset):
    install_sanction_presets(world.org, preset, replace=True)
    issue_circular(world, aware(2025, 11, 5), criticise=["lead"])
    issue_circular(world, aware(2025, 12, 31, 20), criticise=["lead"])  # 20:00 Beijing time, still 2025
    issue_circular(world, aware(2026, 1, 5), criticise=["lead"])
    assert [(s.year, s.ordinal) for s in Sanction.objects.filter(measure="written_self_examination")
            .order_by("created_at")] == [(2025, 1), (2026, 1)]
    assert measures(world, year=2025)[-1][0] == 2
    assert measures(world, year=2026) == [(1, "written_self_examination")]


def test_the_self_examination_is_a_tracked_item_of_the_unit_with_a_deadline_in_working_days(world):
    """Issued Thu 2026-04-30: five working days skip the 05-01..05-05 holiday and count the 05-09
    makeup Saturday: 05-06, 07, 08, 09, 11."""
    c = issue_circular(world, aware(2026, 4, 30), criticise=["lead"])
    s = Sanction.objects.get()
    item = s.item
    assert item.status == Status.ASSIGNED and item.number.startswith("督〔2026〕")
    assert item.lead_unit == world.units["lead"] and item.deadline.isoformat() == "2026-05-11"
    assert c.number in item.title and "书面检查" in item.title
    assert item.registered_at == c.issued_at and item.responsible_leader == world.principal
    # Urged like any other item: it appears in the unit's list and the ladder fires on it.
    from duban.items.selectors import items_visible_to
    from duban.urging import ladder

    assert items_visible_to(world.liaison["lead"]).filter(pk=item.id).exists()
    ladder.sweep(now=aware(2026, 5, 14, 9))
    assert item.events.filter(action="auto_urge").exists()
    assert Notification.objects.filter(recipient=world.liaison["lead"], title="问责：书面检查").exists()


def test_the_sanction_is_fulfilled_when_its_item_is_closed(world):
    issue_circular(world, aware(2026, 4, 30), criticise=["lead"])
    s = Sanction.objects.get()
    assert s.effective_state == "pending"
    from duban.items import services as svc
    from duban.items.models import Report

    svc.accept(s.item.id, world.liaison["lead"], responsible_person="王五", now=aware(2026, 5, 6))
    world.file_report(s.item, Report.Kind.COMPLETION, body="书面检查已报送", now=aware(2026, 5, 7))
    svc.review(s.item.id, world.supervisor, accept=True, criteria=dict.fromkeys(svc.REVIEW_CRITERIA, True),
               now=aware(2026, 5, 8))
    svc.close(s.item.id, world.principal, now=aware(2026, 5, 8))
    s = Sanction.objects.get()
    assert s.effective_state == "fulfilled"


def test_a_failure_in_the_ladder_rolls_the_issue_back(world, monkeypatch):
    """The receiver runs inside the issuing transaction: no sanction, no number, no issue."""
    from duban.accountability import services as acc
    from duban.circulars.models import Circular

    def boom(*a, **k):
        raise RuntimeError("ladder failed")

    monkeypatch.setattr(acc, "_obligation_item", boom)
    with pytest.raises(RuntimeError):
        issue_circular(world, aware(2026, 4, 30), criticise=["lead"])
    c = Circular.objects.get()
    assert c.status == "approved" and not c.number
    assert not Sanction.objects.exists() and not Item.objects.filter(title__contains="书面检查").exists()


def test_a_sanction_stays_as_written_when_the_rules_change_later(world):
    issue_circular(world, aware(2026, 3, 5), criticise=["lead"])
    from duban.accountability.models import SanctionRule

    SanctionRule.objects.filter(org=world.org, ordinal=1).update(requirement="改写后的要求", measure="other")
    s = Sanction.objects.get()
    assert s.measure == "written_self_examination" and s.requirement.startswith("一年内受到通报批评一次")


def test_praise_writes_no_sanction(world):
    issue_circular(world, aware(2026, 3, 5), praise=["lead"])
    assert not Sanction.objects.exists()
