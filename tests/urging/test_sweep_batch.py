"""The batched sweep (issue 13, point 2): rungs fire a chunk at a time, and each chunk makes exactly
the rows that firing its rungs one by one made — the same notice numbers in the same order, the
same events and hash chain, the same people told through the same channels — all or nothing."""

import datetime as dt
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from duban.documents.archive import verify
from duban.items import services as svc
from duban.items.models import ChainHead, Event, Status, Urgency
from duban.notify.models import Delivery, Notification, UnitWebhook
from duban.notify.services import notify, set_preferences
from duban.orgs.acting import people_acting_for
from duban.orgs.models import Role, Unit, User
from duban.urging import ladder
from duban.urging.models import FiredStep, LadderStep, Notice, NoticeSeries, Recipient

from ..factories import UnitFactory, UserFactory, World, aware

D = dt.date.fromisoformat
NOW = aware(2026, 10, 15, 9)  # T+3 of 10-12: T−1, T+0 and T+3 caught up; urgent items up to u+3


# The per-firing path as it was before batching (commit 70d0787), kept as the oracle the batched
# path must agree with: one transaction a rung, record() per event, notify() per rung, the
# recipients read per item through people_acting_for.
def old_recipients(item, codes):
    people = []
    liaison, head = Recipient.LIAISON in codes, Recipient.UNIT_HEAD in codes
    if (liaison or head) and item.lead_unit_id:
        people += list(people_acting_for([item.lead_unit_id], liaison=liaison, head=head).filter(is_active=True))
    if Recipient.SUPERVISOR in codes:
        people.append(item.drafter)
    if Recipient.OFFICE_HEAD in codes:
        people += list(User.objects.filter(org_id=item.org_id, role=Role.OFFICE_HEAD, is_active=True))
    if Recipient.LEADER in codes and item.responsible_leader_id:
        people.append(item.responsible_leader)
    return list({p.id: p for p in people}.values())


def old_fire(item_id, step, deadline, now):
    from duban.items.models import Item

    with transaction.atomic():
        item = (Item.objects.select_for_update(of=("self",))
                .select_related("org", "lead_unit", "responsible_leader", "drafter").get(pk=item_id))
        if item.deadline != deadline or item.status not in ladder.HANDLING:
            return False
        FiredStep.objects.create(item=item, step=step, deadline=deadline, fired_at=now)
        notice = None
        if step.action in ladder.WRITTEN:
            year = now.year
            seq = svc.take_next(NoticeSeries, org=item.org, kind=step.action, year=year)
            notice = Notice.objects.create(org=item.org, item=item, unit=item.lead_unit, kind=step.action, year=year,
                                           seq=seq, number=f"{Notice.PREFIX[step.action]}〔{year}〕{seq}号", body="",
                                           issued_at=now)
        text = ladder.describe(item, step, notice)
        svc.record(item, None, "auto_urge", comment=text, now=now,
                   data={"step": step.name, "action": step.action, "deadline": deadline.isoformat(),
                         "notice": notice.number if notice else None})
        people = old_recipients(item, step.recipients)
        if people:
            notify(people, kind=step.action, title=f"{step.get_action_display()}：{item.title}", body=text, item=item,
                   now=now)
    return True


def old_sweep(now):
    """Each due rung by itself, by item and then by the rung's offset."""
    due = sorted(ladder.due_firings(now=now), key=lambda f: (f.item_id, f.step.offset_working_days))
    return sum(old_fire(f.item_id, f.step, f.deadline, now) for f in due)


def snapshot():
    """Every row a sweep writes, without the ids the database hands out."""
    notes = {n.pk: (n.recipient_id, n.kind, n.title, n.body, n.item_id, n.url, n.created_at)
             for n in Notification.objects.all()}
    return {
        "fired": sorted(FiredStep.objects.values_list("item_id", "step_id", "deadline", "fired_at")),
        "notices": list(Notice.objects.order_by("org_id", "kind", "seq").values_list(
            "org_id", "item_id", "unit_id", "kind", "year", "seq", "number", "body", "issued_at")),
        "series": sorted(NoticeSeries.objects.values_list("org_id", "kind", "year", "last")),
        # in insertion order: the chain's order
        "events": list(Event.objects.order_by("item_id", "id").values_list(
            "item_id", "actor_id", "action", "comment", "data", "at", "prev_hash", "hash")),
        "heads": sorted(ChainHead.objects.values_list("item_id", "hash", "length")),
        "notifications": sorted(notes.values()),
        "deliveries": sorted((notes[d.notification_id], d.channel, d.target, d.webhook_id, d.state)
                             for d in Delivery.objects.all()),
    }


def run_then_undo(fire):
    """Run a sweep, read what it wrote, and roll it back: both paths start from identical data."""
    with transaction.atomic():
        fired = fire()
        rows = snapshot()
        transaction.set_rollback(True)
    return fired, rows


@pytest.fixture
def busy(world, other_world):
    """Items due in two organisations: normal and urgent ladders, several rungs caught up at once,
    an item led by a unit standing for a lower organisation (its office is told), an inactive
    liaison, people with SMS and the unit's robot, and a rung that also tells the office heads."""
    district = other_world
    district.org.parent = world.org
    district.org.save()
    link = UnitFactory(org=world.org, name="东城区人民政府", kind=Unit.Kind.DISTRICT, org_link=district.org)
    lead = world.units["lead"]
    UserFactory(unit=lead, role=Role.LIAISON, is_active=False)
    UserFactory(unit=lead, role=Role.LIAISON, email="second@example.gov.cn")
    UserFactory(unit=world.office, role=Role.OFFICE_HEAD)
    for person, phone in ((world.liaison["lead"], "13800000001"), (world.head["lead"], "13800000002")):
        person.email, person.phone = f"{person.username}@example.gov.cn", phone
        person.save()
        set_preferences(person, email=True, sms=True, webhook=True, daily_digest=False)
    UnitWebhook.objects.create(unit=lead, kind="wecom", url="http://127.0.0.1:9/never")
    LadderStep.objects.filter(org=world.org, preset="t+3").update(
        recipients=["liaison", "unit_head", "supervisor", "office_head"])
    at, due = aware(2026, 9, 1), dict(deadline=D("2026-10-12"), deadline_override_reason="测试")
    items = [
        world.item_in(Status.IN_PROGRESS, now=at, **due),
        world.item_in(Status.IN_PROGRESS, now=at, urgency=Urgency.URGENT, **due),
        world.item_in(Status.ASSIGNED, now=at, lead_unit=link, co_units=[], **due),
        world.item_in(Status.IN_PROGRESS, now=at, deadline=D("2026-10-14"), deadline_override_reason="测试"),
        world.item_in(Status.UNDER_REVIEW, now=at, **due),  # not urged
        district.item_in(Status.IN_PROGRESS, now=at, **due),
        district.item_in(Status.ASSIGNED, now=at, urgency=Urgency.URGENT, **due),
    ]
    return items


def test_batched_sweep_makes_the_same_rows_as_firing_rung_by_rung(busy):
    fired_old, old = run_then_undo(lambda: old_sweep(NOW))
    assert fired_old == 3 + 4 + 3 + 3 + 0 + 3 + 4  # the item due 10-14 also catches up T−3 (10-10)
    assert len(old["notices"]) == 7 and len(old["deliveries"]) > len(old["notices"])
    assert any(d[1] == "wecom" for d in old["deliveries"]) and any(d[1] == "sms" for d in old["deliveries"])
    for chunk in (ladder.CHUNK, 4, 1):  # one chunk, chunks that split an item's rungs, a rung a chunk
        fired_new, new = run_then_undo(lambda: ladder.sweep(now=NOW, chunk=chunk))
        assert fired_new == fired_old
        for table in old:
            assert new[table] == old[table], (chunk, table)


def test_notice_numbers_follow_the_items_and_their_rungs(world):
    items = [world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"),
                           deadline_override_reason="测试") for _ in range(3)]
    ladder.sweep(now=NOW, chunk=2)  # T−1, T+0, T+3 of each: chunks cut across items
    numbers = list(Notice.objects.order_by("seq").values_list("item_id", "number"))
    assert numbers == [(items[0].id, "催〔2026〕1号"), (items[1].id, "催〔2026〕2号"), (items[2].id, "催〔2026〕3号")]


def test_a_crash_mid_chunk_leaves_nothing_of_the_chunk(world, monkeypatch):
    """Rows of the chunk are written (FiredStep, notices, events, chain heads) when the hand-over
    to notifications fails: the whole chunk rolls back, and the next sweep fires it gapless."""
    items = [world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"),
                           deadline_override_reason="测试") for _ in range(3)]
    heads = sorted(ChainHead.objects.values_list("item_id", "hash", "length"))
    notes = Notification.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("crash")

    monkeypatch.setattr(ladder, "send_many", broken)
    with pytest.raises(RuntimeError):
        ladder.sweep(now=NOW)
    assert not FiredStep.objects.exists() and not Notice.objects.exists()
    assert not Event.objects.filter(action="auto_urge").exists()
    assert sorted(ChainHead.objects.values_list("item_id", "hash", "length")) == heads
    assert not NoticeSeries.objects.filter(last__gt=0).exists()
    assert Notification.objects.count() == notes
    monkeypatch.undo()
    assert ladder.sweep(now=NOW) == 9
    assert [n.number for n in Notice.objects.order_by("seq")] == ["催〔2026〕1号", "催〔2026〕2号", "催〔2026〕3号"]
    assert {n.item_id for n in Notice.objects.all()} == {i.id for i in items}


def test_a_crash_in_the_second_chunk_keeps_the_first(world, monkeypatch):
    first, second = [world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"),
                                   deadline_override_reason="测试") for _ in range(2)]
    real, calls = ladder.send_many, []

    def second_call_breaks(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("crash")
        return real(*args, **kwargs)

    monkeypatch.setattr(ladder, "send_many", second_call_breaks)
    with pytest.raises(RuntimeError):
        ladder.sweep(now=NOW, chunk=3)  # a chunk per item: T−1, T+0, T+3
    assert set(FiredStep.objects.values_list("item_id", flat=True)) == {first.id}
    assert list(Notice.objects.values_list("item_id", "seq")) == [(first.id, 1)]
    monkeypatch.undo()
    assert ladder.sweep(now=NOW, chunk=3) == 3
    assert list(Notice.objects.order_by("seq").values_list("item_id", "seq")) == [(first.id, 1), (second.id, 2)]


def test_a_batched_sweep_keeps_every_event_chain_verifiable(busy, world):
    """The events a chunk appends extend each item's hash chain (issue 10, point 5)."""
    assert ladder.sweep(now=NOW, chunk=4) == 20
    for item in busy:
        evs = list(Event.objects.filter(item=item).order_by("id"))
        assert all(b.prev_hash == a.hash for a, b in zip(evs, evs[1:]))
        assert ChainHead.objects.get(item=item).length == len(evs)
    checked, broken = verify()
    assert checked >= len(busy) and broken == []
    call_command("verify_archive")  # raises CommandError on any break


def test_firing_one_rung_is_a_chunk_of_one(world):
    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"),
                         deadline_override_reason="测试")
    step = LadderStep.objects.get(org=world.org, preset="t+3")
    assert ladder.fire(item.id, step, item.deadline, now=NOW) is True
    assert ladder.fire(item.id, step, item.deadline, now=NOW) is False  # fired already
    assert ladder.fire(item.id, step, D("2026-10-01"), now=NOW) is False  # the deadline moved since
    assert FiredStep.objects.filter(item=item).count() == 1
    assert Notice.objects.get(item=item).number == "催〔2026〕1号"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_sweeping_in_small_chunks_at_once_fire_each_rung_once():
    world = World("分批并发")
    for _ in range(12):
        world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"), deadline_override_reason="测试")
    barrier = threading.Barrier(3)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(ladder.sweep(now=NOW, chunk=5))
        except Exception as err:  # a deadlock would land here
            errors.append(err)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(results) == 36 and FiredStep.objects.count() == 36
    assert sorted(Notice.objects.values_list("seq", flat=True)) == list(range(1, 13))
    assert Event.objects.filter(action="auto_urge").count() == 36
    assert verify(org=world.org)[1] == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_sweep_waits_for_a_person_acting_on_the_item_and_sees_what_they_did():
    """The chunk locks its items as a person's action does: a sweep that read the old deadline
    waits for the extension being approved, then finds the deadline moved and fires nothing."""
    world = World("让行")
    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"),
                         deadline_override_reason="测试")
    req = svc.request_extension(item.id, world.liaison["lead"], until=D("2026-10-30"), reason="需协调", progress="过半",
                                now=aware(2026, 10, 9))
    locked, errors = threading.Event(), []

    def approve_slowly():
        try:
            with transaction.atomic():
                svc.decide_extension(req.id, world.supervisor, approve=True, now=aware(2026, 10, 9))
                locked.set()
                time.sleep(1.0)
        except Exception as err:
            errors.append(err)
            locked.set()
        finally:
            connection.close()

    person = threading.Thread(target=approve_slowly)
    person.start()
    locked.wait(10)
    assert [f.deadline for f in ladder.due_firings(now=NOW)] == [D("2026-10-12")] * 3  # read before the commit
    started = time.perf_counter()
    fired = ladder.sweep(now=NOW)
    waited = time.perf_counter() - started
    person.join()
    assert errors == []
    assert fired == 0 and not FiredStep.objects.exists()
    assert waited > 0.3
    assert verify(org=world.org)[1] == []
