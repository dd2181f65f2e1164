"""Re-checks (回头看, seed 000 art. 5; seed 004: closed-loop follow-up): proposed by configurable
rule or by hand; 巩固 or 反弹 with evidence; a relapse opens a new item linked to the old one."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from duban.inspections import services
from duban.inspections.models import Recheck, RecheckRule
from duban.items.errors import PermissionDenied, TransitionNotAllowed
from duban.items.models import Item, ItemKind, Status

from .conftest import jpeg

NOW = timezone.make_aware(dt.datetime(2026, 12, 1, 10))


def closed(world, kind=ItemKind.RECTIFICATION, closed_at=None):
    item = world.item_in(Status.CLOSED, kind=kind)
    Item.objects.filter(pk=item.pk).update(closed_at=closed_at or NOW - dt.timedelta(days=200))
    return item


def test_every_rectification_item_six_months_after_closing_is_proposed_once(world):
    RecheckRule.objects.create(org=world.org, kind="after_close", item_kind=ItemKind.RECTIFICATION, months=6)
    old = closed(world)
    closed(world, closed_at=NOW - dt.timedelta(days=30))  # too recent
    closed(world, kind=ItemKind.MEETING_DECISION)  # another kind
    made = services.propose_rechecks(world.org, now=NOW)
    assert [r.item for r in made] == [old]
    assert services.propose_rechecks(world.org, now=NOW) == []


def test_a_random_sample_takes_the_configured_share_of_a_kind(world):
    RecheckRule.objects.create(org=world.org, kind="sample", item_kind=ItemKind.RECTIFICATION, months=0, percent=50)
    items = [closed(world) for _ in range(4)]
    made = services.propose_rechecks(world.org, now=NOW, rng=random.Random(1))
    assert len(made) == 2 and {r.item for r in made} <= set(items)


def test_the_office_adds_a_closed_item_by_hand_but_not_an_open_one(world):
    item = closed(world)
    r = services.add_recheck(item.id, world.supervisor)
    assert r.rule is None and r.source_label == "督查室添加"
    with pytest.raises(TransitionNotAllowed):
        services.add_recheck(item.id, world.supervisor)
    with pytest.raises(TransitionNotAllowed, match="已办结"):
        services.add_recheck(world.item_in(Status.IN_PROGRESS).id, world.supervisor)
    with pytest.raises(PermissionDenied):
        services.add_recheck(item.id, world.liaison["lead"])


def test_holding_is_recorded_with_evidence_on_the_old_items_timeline(world):
    item = closed(world)
    r = services.add_recheck(item.id, world.supervisor)
    r = services.record_recheck(r.id, world.supervisor, holding=True, note="现场已无积水")
    services.add_media(world.supervisor, jpeg(), recheck=r)
    assert r.state == Recheck.State.HOLDING and r.media.count() == 1
    assert item.events.filter(action="recheck", comment__contains="巩固").exists()


def test_a_relapse_opens_a_new_item_linked_to_the_old_one(world):
    item = closed(world)
    r = services.add_recheck(item.id, world.supervisor)
    r = services.record_recheck(r.id, world.supervisor, holding=False, note="积水再次出现")
    new = r.relapse_item
    assert new.status == Status.PENDING_APPROVAL and new.lead_unit == item.lead_unit
    assert item.number in new.source_text and new.relapse_of == r
    with pytest.raises(TransitionNotAllowed):
        services.record_recheck(r.id, world.supervisor, holding=True, note="x")


def test_the_recheck_page_is_the_offices_and_adds_by_number(world, client):
    item = closed(world)
    client.force_login(world.liaison["lead"])
    assert client.get("/rechecks/").status_code == 404
    client.force_login(world.supervisor)
    client.post("/rechecks/add/", {"number": item.number})
    r = Recheck.objects.get()
    client.post(f"/rechecks/{r.id}/record/", {"result": "relapsed", "note": "反弹", "file": jpeg()})
    r.refresh_from_db()
    assert r.state == Recheck.State.RELAPSED and r.media.count() == 1
    assert "反弹" in client.get("/rechecks/?state=relapsed").content.decode()


def test_the_weekly_job_proposes_only_by_the_after_close_rules(world):
    from duban.inspections.tasks import propose_due_rechecks

    RecheckRule.objects.create(org=world.org, kind="after_close", item_kind=ItemKind.RECTIFICATION, months=6)
    RecheckRule.objects.create(org=world.org, kind="sample", item_kind=ItemKind.MEETING_DECISION, months=0, percent=100)
    due = closed(world, closed_at=timezone.now() - dt.timedelta(days=400))
    closed(world, kind=ItemKind.MEETING_DECISION)
    propose_due_rechecks.call_local()
    assert [r.item for r in Recheck.objects.all()] == [due]
