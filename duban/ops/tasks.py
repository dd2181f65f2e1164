"""The queue's own pulse: every minute the scheduling consumer enqueues a probe stamped with the
time it was sent; whichever consumer runs it records how long it waited. /metrics reports that
wait (queue lag) and how long ago a probe last ran (are the consumers alive at all?)."""

from __future__ import annotations

import json
import time

from huey import crontab
from huey.contrib import djhuey
from huey.contrib.djhuey import db_periodic_task, db_task
from huey.constants import EmptyData

PROBE_KEY = "duban.ops.queue-probe"


@db_periodic_task(crontab(minute="*"))
def send_queue_probe():
    queue_probe(time.time())


@db_task()
def queue_probe(sent_at: float):
    now = time.time()
    record = {"ran_at": now, "waited": max(0.0, now - sent_at)}
    djhuey.HUEY.storage.put_data(PROBE_KEY, json.dumps(record).encode())
    return record


def last_probe() -> dict | None:
    """The last probe a consumer ran, or None if none has run (or the queue forgot it)."""
    raw = djhuey.HUEY.storage.peek_data(PROBE_KEY)
    if raw is EmptyData or raw is None:
        return None
    return json.loads(raw)
