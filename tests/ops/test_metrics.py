"""/metrics in the Prometheus text format (issue 13, point 4)."""

import datetime as dt

import pytest
from prometheus_client.parser import text_string_to_metric_families

from duban.items.models import Status
from duban.notify.models import Delivery, Notification
from duban.ops.tasks import queue_probe
from duban.urging.models import FiredStep, LadderStep


def scrape(client, **extra) -> dict:
    r = client.get("/metrics", **extra)
    assert r.status_code == 200, r.content
    assert r["Content-Type"].startswith("text/plain; version=")
    return {s.name + str(sorted(s.labels.items())): s.value
            for f in text_string_to_metric_families(r.content.decode()) for s in f.samples}


def value(samples, name, **labels):
    return samples.get(name + str(sorted(labels.items())), 0)


def test_the_four_kinds_of_metric_are_exposed(db, client):
    client.get("/healthz")
    body = client.get("/metrics").content.decode()
    for name in ("duban_http_request_duration_seconds_bucket", "duban_ladder_rungs_fired_total",
                 "duban_notify_deliveries_failed", "duban_queue_pending_tasks", "duban_queue_probe_wait_seconds",
                 "duban_queue_probe_age_seconds"):
        assert f"\n{name}" in body, name


def test_a_request_is_counted_under_its_route_not_its_path(world, client):
    item = world.item_in(Status.IN_PROGRESS)
    client.force_login(world.supervisor)
    labels = {"route": "/items/<int:item_id>/", "method": "GET", "status": "2xx"}
    before = value(scrape(client), "duban_http_request_duration_seconds_count", **labels)
    assert client.get(f"/items/{item.id}/").status_code == 200
    after = scrape(client)
    assert value(after, "duban_http_request_duration_seconds_count", **labels) == before + 1
    assert not any(f"/items/{item.id}/" in key for key in after)


def test_rungs_fired_and_failed_deliveries_follow_the_record(world, client):
    before = scrape(client)
    item = world.item_in(Status.IN_PROGRESS)
    step = LadderStep.objects.create(org=world.org, name="到期提醒", offset_working_days=0,
                                     action=LadderStep.Action.URGE_NOTICE, recipients=["liaison"])
    FiredStep.objects.create(item=item, step=step, deadline=item.deadline or dt.date(2026, 12, 1))
    note = Notification.objects.create(recipient=world.liaison["lead"], title="催办单")
    Delivery.objects.create(notification=note, channel="sms", target="13800000000", state="failed")
    Delivery.objects.create(notification=note, channel="email", target="a@example.org", state="sent")
    after = scrape(client)
    fired = "duban_ladder_rungs_fired_total"
    assert value(after, fired, action="urge_notice") == value(before, fired, action="urge_notice") + 1
    failed = "duban_notify_deliveries_failed"
    assert value(after, failed, state="failed", channel="sms") == value(before, failed, state="failed", channel="sms") + 1
    assert value(after, failed, state="failed", channel="email") == value(before, failed, state="failed", channel="email")


def test_the_queue_probe_reports_its_wait(db, client):
    queue_probe(0.0)  # sent at the epoch: it waited decades (tests run tasks inline)
    samples = scrape(client)
    assert value(samples, "duban_queue_probe_wait_seconds") > 1e9
    assert 0 <= value(samples, "duban_queue_probe_age_seconds") < 60


@pytest.mark.parametrize("address", ["10.1.2.3", "192.168.0.9", "2001:db8::1"])
def test_metrics_are_refused_to_other_addresses(db, client, address):
    r = client.get("/metrics", REMOTE_ADDR=address)
    assert r.status_code == 403
    assert b"duban_" not in r.content


def test_a_listed_network_or_the_bearer_token_opens_metrics(db, client, settings):
    settings.DUBAN_METRICS_ALLOWED = ["127.0.0.1", "10.0.0.0/8"]
    settings.DUBAN_METRICS_TOKEN = "s3cret-scrape-token"
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.0.9").status_code == 403
    ok = client.get("/metrics", REMOTE_ADDR="192.168.0.9", headers={"Authorization": "Bearer s3cret-scrape-token"})
    assert ok.status_code == 200
    bad = client.get("/metrics", REMOTE_ADDR="192.168.0.9", headers={"Authorization": "Bearer s3cret-scrape-tokeN"})
    assert bad.status_code == 403


def test_behind_a_proxy_the_forwarded_address_decides(db, client, settings):
    settings.DUBAN_PROXY_COUNT = 1
    # nginx connects from 127.0.0.1 but forwards an outside client's address: refused.
    r = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert r.status_code == 403


def test_metrics_touch_no_session(db, client):
    r = client.get("/metrics")
    assert "Cookie" not in r.get("Vary", "")
    assert not r.cookies
