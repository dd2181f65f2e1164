"""Working off deliveries: retries with backoff, giving up, exactly-once claims, the sweep."""

import datetime as dt
import threading
import time

import pytest
from django.db import connection

from duban.notify import delivery
from duban.notify.models import Delivery
from duban.notify.services import notify, set_preferences

from ..factories import UserFactory
from .conftest import T0

MIN = dt.timedelta(minutes=1)


class CountingSms:
    """Records each message; fails while `failing` is set. Slow enough for two workers to overlap."""

    sent: list = []
    failing = False
    lock = threading.Lock()

    def send(self, phone, text):
        time.sleep(0.05)
        if CountingSms.failing:
            raise ConnectionError("网关拒绝连接")
        with CountingSms.lock:
            CountingSms.sent.append(phone)


@pytest.fixture
def queue_idle(monkeypatch):
    """Outside a test transaction notify()'s on-commit hand-over would send at once; keep the rows
    pending, as when the queue has not got to them yet."""
    monkeypatch.setattr("duban.notify.services._enqueue", lambda ids: None)


@pytest.fixture
def sms(settings):
    settings.DUBAN_SMS_PROVIDER = "tests.notify.test_delivery.CountingSms"
    CountingSms.sent, CountingSms.failing = [], False
    return CountingSms


def sms_delivery(person, now=T0) -> Delivery:
    person.phone = "13800000001"
    person.save()
    set_preferences(person, email=False, sms=True, webhook=False, daily_digest=False)
    note, = notify([person], kind="reminder", title="提醒", body="正文", now=now)
    return note.deliveries.get()


def state(d):
    d.refresh_from_db()
    return d.state, d.attempts, d.next_attempt_at


def test_failures_are_retried_after_1_5_25_125_minutes_then_given_up(world, sms):
    sms.failing = True
    d = sms_delivery(world.liaison["lead"])
    now = T0
    for attempt, wait in enumerate([1, 5, 25, 125], start=1):
        assert delivery.deliver(d.pk, now=now) == Delivery.State.FAILED
        assert state(d) == (Delivery.State.FAILED, attempt, now + wait * MIN)
        # Not due a second earlier: neither the sweep nor a direct call sends it.
        assert delivery.sweep(now=now + wait * MIN - dt.timedelta(seconds=1)) == {}
        assert delivery.deliver(d.pk, now=now + wait * MIN - dt.timedelta(seconds=1)) is None
        now += wait * MIN
    assert delivery.sweep(now=now) == {Delivery.State.GAVE_UP: 1}
    assert state(d)[:2] == (Delivery.State.GAVE_UP, 5)
    assert "网关拒绝连接" in d.last_error
    assert delivery.sweep(now=now + dt.timedelta(days=1)) == {}  # given up stays given up
    assert sms.sent == []


def test_a_retry_that_succeeds_is_sent_once(world, sms):
    sms.failing = True
    d = sms_delivery(world.liaison["lead"])
    delivery.deliver(d.pk, now=T0)
    sms.failing = False
    assert delivery.sweep(now=T0 + MIN) == {Delivery.State.SENT: 1}
    assert state(d)[:2] == (Delivery.State.SENT, 2) and d.sent_at == T0 + MIN and d.last_error == ""
    assert delivery.sweep(now=T0 + dt.timedelta(days=1)) == {}
    assert delivery.deliver(d.pk, now=T0 + dt.timedelta(days=1)) is None  # re-running does nothing
    assert sms.sent == ["13800000001"]


def test_two_claims_of_the_same_delivery_only_one_wins(world, sms):
    d = sms_delivery(world.liaison["lead"])
    assert delivery.claim(d.pk, now=T0) == 1
    assert delivery.claim(d.pk, now=T0) is None
    assert delivery.claim(d.pk, now=T0 + 5 * MIN) is None  # still leased to the first worker


def test_a_delivery_whose_worker_died_is_claimed_again_after_the_lease(world, sms):
    d = sms_delivery(world.liaison["lead"])
    assert delivery.claim(d.pk, now=T0) == 1  # ...and the worker crashed before sending
    assert delivery.sweep(now=T0 + delivery.LEASE - MIN) == {}
    assert delivery.sweep(now=T0 + delivery.LEASE) == {Delivery.State.SENT: 1}
    assert state(d)[:2] == (Delivery.State.SENT, 2) and sms.sent == ["13800000001"]


def test_a_late_worker_does_not_overwrite_the_result_of_a_newer_attempt(world, sms):
    d = sms_delivery(world.liaison["lead"])
    assert delivery.claim(d.pk, now=T0) == 1
    assert delivery.deliver(d.pk, now=T0 + delivery.LEASE) == Delivery.State.SENT  # attempt 2
    stale = Delivery.objects.get(pk=d.pk)
    assert delivery._finish(stale, 1, now=T0 + delivery.LEASE, error="旧的超时") == Delivery.State.FAILED
    assert state(d)[:2] == (Delivery.State.SENT, 2)  # attempt 1's late failure changed nothing


def test_the_sweep_takes_only_due_deliveries_oldest_first_and_in_batches(world, sms):
    people = [UserFactory(unit=world.units["co"]) for _ in range(4)]
    due = [sms_delivery(p, now=T0 + i * MIN) for i, p in enumerate(people)]
    assert list(delivery.due(T0 + 2 * MIN)) == [d.pk for d in due[:3]]
    assert delivery.sweep(now=T0 + 2 * MIN, batch=2) == {Delivery.State.SENT: 2}
    assert [state(d)[0] for d in due] == ["sent", "sent", "pending", "pending"]


def test_the_sweep_finds_due_deliveries_by_index(db):
    qs = delivery.due(T0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # small tables: make the planner show what it would use
            cursor.execute("SET enable_seqscan = off")
        plan = qs.explain()
        if connection.vendor == "postgresql":
            cursor.execute("RESET enable_seqscan")
    assert "delivery_due" in plan, plan


def test_retry_now_makes_failed_and_given_up_deliveries_due_but_never_resends(world, sms):
    sms.failing = True
    failed = sms_delivery(world.liaison["lead"])
    delivery.deliver(failed.pk, now=T0)
    sent = sms_delivery(world.head["lead"])
    sms.failing = False
    delivery.deliver(sent.pk, now=T0)
    Delivery.objects.filter(pk=failed.pk).update(state=Delivery.State.GAVE_UP)
    ids = delivery.retry_now(Delivery.objects.all(), now=T0 + MIN)
    assert ids == [failed.pk]
    assert delivery.sweep(now=T0 + MIN) == {Delivery.State.SENT: 1}
    assert sms.sent == ["13800000001", "13800000001"]  # one each, the sent one not again


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_one_delivery_send_it_once(sms, queue_idle):
    person = UserFactory()
    d = sms_delivery(person, now=T0)
    assert d.state == Delivery.State.PENDING
    barrier = threading.Barrier(6)
    results = []

    def work():
        try:
            barrier.wait()
            results.append(delivery.deliver(d.pk, now=T0))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [None] * 5 + [Delivery.State.SENT]
    assert sms.sent == ["13800000001"]
    assert state(d)[:2] == (Delivery.State.SENT, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sweeps_racing_over_many_deliveries_send_each_once(sms, queue_idle):
    people = [UserFactory() for _ in range(10)]
    for i, p in enumerate(people):
        p.phone = f"1390000{i:04d}"
        p.save()
        set_preferences(p, email=False, sms=True, webhook=False, daily_digest=False)
    notify(people, kind="reminder", title="提醒", body="正文", now=T0)
    assert Delivery.objects.filter(state=Delivery.State.PENDING).count() == 10
    barrier = threading.Barrier(3)

    def work():
        try:
            barrier.wait()
            delivery.sweep(now=T0)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(sms.sent) == sorted(p.phone for p in people)
    assert set(Delivery.objects.values_list("state", "attempts")) == {(Delivery.State.SENT, 1)}
