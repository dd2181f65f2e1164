"""Can this web process serve? One ``SELECT 1`` on the database and one cheap call to the queue's
storage (huey's pending count: LLEN on Redis, a COUNT on SQLite or PostgreSQL). Load balancers
probe it through /healthz (issue 13, point 4); it reads nothing else and writes nothing."""

from __future__ import annotations

import logging

from django.db import connection
from huey.contrib import djhuey

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_queue() -> None:
    djhuey.HUEY.pending_count()


PROBES = {"database": check_database, "queue": check_queue}


def report() -> dict[str, str]:
    """``{"database": "ok", "queue": "ok", "status": "ok"}``; a failing part says "error" and is
    logged with its cause (the answer itself tells an anonymous caller nothing more)."""
    result = {}
    for name, probe in PROBES.items():
        try:
            probe()
        except Exception:
            logger.exception("health check: %s does not answer", name)
            result[name] = "error"
        else:
            result[name] = "ok"
    result["status"] = "ok" if all(v == "ok" for v in result.values()) else "error"
    return result
