"""The escalation ladder (issue 3, points 2–3): each rung fires by itself, on the right working
day, exactly once per item and deadline."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.items import services as svc
from duban.items.models import Status, Urgency
from duban.urging import ladder
from duban.urging.models import FiredStep, Notice

from ..factories import World, aware

D = dt.date.fromisoformat


def walk(world, start, end):
    """Sweep once a day (at 09:00) from start to end; return {date: [rung names fired]}."""
    fired = {}
    day = start
    while day <= end:
        before = set(FiredStep.objects.values_list("id", flat=True))
        ladder.sweep(now=aware(day.year, day.month, day.day, 9))
        new = FiredStep.objects.exclude(id__in=before).select_related("step")
        if new:
            fired[day.isoformat()] = sorted(f.step.preset for f in new)
        day += dt.timedelta(days=1)
    return fired


def test_rungs_fire_on_the_right_working_days_across_national_day(world):
    """Deadline Mon 2026-10-12. T−3 = Thu 10-08, T−1 = Sat 10-10 (a makeup workday), T+0 = 10-12,
    T+3 = 10-15, T+10 = 10-26 (000 art. 4(4); 001 art. 16(2))."""
    world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"), deadline_override_reason="测试")
    fired = walk(world, D("2026-09-20"), D("2026-10-31"))
    assert fired == {
        "2026-10-08": ["t-3"], "2026-10-10": ["t-1"], "2026-10-12": ["t0"], "2026-10-15": ["t+3"], "2026-10-26": ["t+10"],
    }


def test_urgent_items_use_the_compressed_ladder(world):
    world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), urgency=Urgency.URGENT,
                  deadline=D("2026-10-12"), deadline_override_reason="测试")
    assert walk(world, D("2026-10-01"), D("2026-10-20")) == {
        "2026-10-10": ["u-1"], "2026-10-12": ["u0"], "2026-10-13": ["u+1"], "2026-10-15": ["u+3"]}


def test_a_second_sweep_fires_nothing(world):
    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"), deadline_override_reason="测试")
    now = aware(2026, 10, 15, 9)
    # The worker was down: T−1, T+0 and T+3 are caught up; T−3 is older than the catch-up window.
    assert ladder.sweep(now=now) == 3
    assert ladder.sweep(now=now) == 0
    assert item.events.filter(action="auto_urge").count() == 3


def test_written_rungs_issue_numbered_notices_that_wait_for_an_answer(world):
    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"), deadline_override_reason="测试")
    walk(world, D("2026-10-12"), D("2026-10-26"))
    notices = list(Notice.objects.order_by("id"))
    assert [(n.kind, n.number) for n in notices] == [
        ("urge_notice", "催〔2026〕1号"), ("supervision_order", "督令〔2026〕1号")]
    assert set(ladder.open_notices()) == set(notices)
    world.file_report(item, kind="explanation", body="因资金未到位超期", now=aware(2026, 10, 27))
    assert set(ladder.open_notices()) == set()


def test_moved_deadline_restarts_the_ladder_and_keeps_the_record(world):
    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"), deadline_override_reason="测试")
    walk(world, D("2026-10-08"), D("2026-10-09"))  # T−3 fired
    req = svc.request_extension(item.id, world.liaison["lead"], until=D("2026-10-30"), reason="需协调", progress="过半",
                                now=aware(2026, 10, 9))
    svc.decide_extension(req.id, world.supervisor, approve=True, now=aware(2026, 10, 9))
    fired = walk(world, D("2026-10-10"), D("2026-11-05"))
    assert fired["2026-10-27"] == ["t-3"]  # T−3 of the new deadline fires again
    assert "2026-10-12" not in fired  # nothing for the old deadline
    assert FiredStep.objects.filter(item=item, deadline=D("2026-10-12")).count() == 1  # still on the record


def test_closed_or_reviewed_items_are_not_urged(world):
    world.item_in(Status.UNDER_REVIEW, now=aware(2026, 9, 1), deadline=D("2026-10-12"), deadline_override_reason="测试")
    assert walk(world, D("2026-10-01"), D("2026-10-30")) == {}


def test_a_failure_midway_leaves_nothing_and_the_next_sweep_fires(world, monkeypatch):
    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"), deadline_override_reason="测试")

    def broken(*args, **kwargs):
        raise RuntimeError("crash")

    monkeypatch.setattr(ladder, "send_many", broken)
    with pytest.raises(RuntimeError):
        ladder.sweep(now=aware(2026, 10, 15, 9))
    assert not FiredStep.objects.exists() and not Notice.objects.exists()
    assert not item.events.filter(action="auto_urge").exists()
    monkeypatch.undo()
    assert ladder.sweep(now=aware(2026, 10, 15, 9)) == 3


def test_sweep_cost_does_not_grow_with_items_not_due(world):
    def queries_with(n_far):
        for _ in range(n_far):
            world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-12-30"), deadline_override_reason="远")
        with CaptureQueriesContext(connection) as ctx:
            ladder.sweep(now=aware(2026, 10, 1, 9))
        return len(ctx.captured_queries)

    world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"), deadline_override_reason="测试")
    assert queries_with(2) == queries_with(20)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_fire_each_rung_once():
    world = World("并发催办")
    for _ in range(5):
        world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"), deadline_override_reason="测试")
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(ladder.sweep(now=aware(2026, 10, 15, 9)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 15  # T−1, T+0, T+3 for each of 5 items, caught up once
    assert FiredStep.objects.count() == 15 and Notice.objects.count() == 5
    assert sorted(Notice.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_rungs_reach_the_people_they_name(world):
    from duban.notify.models import Notification

    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), deadline=D("2026-10-12"), deadline_override_reason="测试")
    walk(world, D("2026-10-08"), D("2026-10-08"))  # T−3: the liaison
    assert set(Notification.objects.filter(item=item).values_list("recipient_id", flat=True)) == {world.liaison["lead"].id}
    walk(world, D("2026-10-26"), D("2026-10-26"))  # T+10: the supervision order also reaches the leader
    order = Notification.objects.filter(item=item, kind="supervision_order")
    assert {n.recipient for n in order} == {world.liaison["lead"], world.head["lead"], world.supervisor, world.leader}
    assert "督令〔2026〕1号" in order.first().body
