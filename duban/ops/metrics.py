"""Metrics in the Prometheus text format (issue 13, point 4), with prometheus_client.

Two kinds:
- measured in the web processes: the request latency histogram, labelled by route (the URL
  pattern, never the raw path), method and status class. Under gunicorn with several workers,
  ``PROMETHEUS_MULTIPROC_DIR`` makes every worker write its samples to files there and a scrape
  sums them (deploy/gunicorn.conf.py clears the directory at start and marks dead workers);
- read from the record at scrape time, so they are the same from any web process and survive
  restarts: rungs of the escalation ladder fired (``FiredStep`` rows), notification deliveries
  that failed (``Delivery`` in ``failed``/``gave_up``), and the queue's pending tasks and probe
  (``tasks.queue_probe``).
"""

from __future__ import annotations

import logging
import os
import time

from django.db.models import Count
from huey.contrib import djhuey
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
UNRESOLVED = "<unresolved>"

# Not in prometheus_client's global registry: each scrape builds its own (see ``exposition``).
REQUEST_SECONDS = Histogram(
    "duban_http_request_duration_seconds",
    "Time from the request entering Django to its response, by URL pattern, method and status class",
    ["route", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=None,
)


def observe_request(request, response, seconds: float) -> None:
    match = getattr(request, "resolver_match", None)
    route = (match.route or match.view_name or UNRESOLVED) if match else UNRESOLVED
    method = request.method if request.method in METHODS else "other"
    status = f"{response.status_code // 100}xx"
    REQUEST_SECONDS.labels(route="/" + route.lstrip("/") if route != UNRESOLVED else route,
                           method=method, status=status).observe(seconds)


class _ThisProcess:
    """Without multiprocess mode (runserver, tests, one gunicorn worker): this process's samples."""

    def collect(self):
        return REQUEST_SECONDS.collect()


class RecordCollector:
    """Figures read from the database and the queue when Prometheus scrapes. A part that cannot
    be read is left out of this scrape (and logged); /healthz tells which part is down."""

    def collect(self):
        for part in (self._rungs, self._deliveries, self._queue):
            try:
                yield from part()
            except Exception:
                logger.exception("metrics: %s could not be read", part.__name__.strip("_"))

    def _rungs(self):
        from duban.urging.models import FiredStep, LadderStep

        family = CounterMetricFamily(
            "duban_ladder_rungs_fired", "Rungs of the escalation ladder fired, by action (FiredStep rows)",
            labels=["action"],
        )
        counts = dict.fromkeys(LadderStep.Action.values, 0)
        for row in FiredStep.objects.values("step__action").annotate(n=Count("id")).order_by():
            counts[row["step__action"]] = row["n"]
        for action, n in counts.items():
            family.add_metric([action], n)
        yield family

    def _deliveries(self):
        from duban.notify.models import Delivery

        family = GaugeMetricFamily(
            "duban_notify_deliveries_failed",
            "Notification deliveries not sent: failed (to be retried) or gave_up, by channel",
            labels=["state", "channel"],
        )
        states = [Delivery.State.FAILED, Delivery.State.GAVE_UP]
        counts = {(s, c): 0 for s in states for c in Delivery.Channel.values}
        rows = Delivery.objects.filter(state__in=states).values("state", "channel").annotate(n=Count("id")).order_by()
        for row in rows:
            counts[(row["state"], row["channel"])] = row["n"]
        for (state, channel), n in counts.items():
            family.add_metric([state, channel], n)
        yield family

    def _queue(self):
        from .tasks import last_probe

        huey = djhuey.HUEY
        yield GaugeMetricFamily("duban_queue_pending_tasks", "Tasks waiting in the queue for a consumer",
                                value=huey.pending_count())
        yield GaugeMetricFamily("duban_queue_scheduled_tasks", "Tasks waiting for their time (retries, delays)",
                                value=huey.scheduled_count())
        probe = last_probe()
        yield GaugeMetricFamily(
            "duban_queue_probe_wait_seconds",
            "How long the last queue probe waited between being sent and being run (queue lag)",
            value=probe["waited"] if probe else float("nan"),
        )
        yield GaugeMetricFamily(
            "duban_queue_probe_age_seconds",
            "Seconds since a consumer last ran a queue probe (one is sent every minute); +Inf if never",
            value=max(0.0, time.time() - probe["ran_at"]) if probe else float("inf"),
        )


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition() -> bytes:
    registry = CollectorRegistry()
    if multiprocess_dir():
        MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(RecordCollector())
    return generate_latest(registry)
