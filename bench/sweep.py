#!/usr/bin/env python
"""Benchmark the escalation ladder's sweep on the database bench/generate.py filled (issue 3:
"a sweep over 100,000 open items where 1,000 are due must touch only the due ones by index").

    DATABASE_URL=postgres://postgres@localhost:5432/duban_bench .venv/bin/python bench/sweep.py

It picks a day, makes exactly --due open items fall due on it (their deadline set so that the T+3
rung fires that day) inside one transaction that it rolls back at the end, so the database is left
as it was. It then times one sweep (with every rung firing: FiredStep, notice, event, inbox rows),
counts its statements, times a second sweep that finds nothing left to fire, and saves EXPLAIN
ANALYZE of the candidate query to bench/out/sweep-plan.txt. ``--runs 3`` repeats it all (each run
rolled back) and gives the median: the machine is shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
os.environ.setdefault("DUBAN_DEBUG", "0")
os.environ.setdefault("DUBAN_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("DUBAN_QUEUE_IMMEDIATE", "0")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Value  # noqa: E402
from django.db.models.functions import Concat  # noqa: E402
from django.utils import timezone  # noqa: E402

from duban.deadlines.services import shift_working_days  # noqa: E402
from duban.items.models import Event, Item, Status  # noqa: E402
from duban.notify.models import Delivery, Notification  # noqa: E402
from duban.orgs.models import User  # noqa: E402
from duban.urging import ladder  # noqa: E402
from duban.urging.models import LadderStep, Notice  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


class Rollback(Exception):
    pass


class Counter:
    """Counts statements through an execute wrapper: Django's query log keeps only the last 9,000."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def timed_sweep(now, chunk=ladder.CHUNK):
    """(rungs fired, wall seconds, statements, this process's CPU seconds) of one sweep."""
    counter = Counter()
    with connection.execute_wrapper(counter):
        t0, c0 = time.perf_counter(), time.process_time()
        fired = ladder.sweep(now=now, chunk=chunk)
        if connection.vendor == "postgresql":
            # The foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED); the measurement
            # rolls back, so run those checks now: they are part of what a real sweep's commits cost.
            with connection.cursor() as cur:
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cur.execute("SET CONSTRAINTS ALL DEFERRED")
        return fired, time.perf_counter() - t0, counter.n, time.process_time() - c0


def one_run(args, day, now):
    """Set up the due items, time both sweeps and roll everything back: no row is changed (their space
    is given back by ``tidy``)."""
    handling = (Status.ASSIGNED, Status.IN_PROGRESS)
    rows, plan, total_open, written = [], "", 0, {}
    try:
        with transaction.atomic():
            # Only the general ladder's T+3 rung for the chosen items: their deadline is 3 working days ago.
            deadline = shift_working_days(day, -3)
            far = day + dt.timedelta(days=400)
            # Every item open and far from due, as in the case: 100,000 open, 1,000 due.
            Item.objects.update(status=Status.IN_PROGRESS, deadline=far)
            total_open = Item.objects.count()
            due_ids = list(Item.objects.filter(urgency="normal")
                           .order_by("id").values_list("id", flat=True)[: args.due])
            Item.objects.filter(id__in=due_ids).update(deadline=deadline)
            LadderStep.objects.exclude(preset="t+3").update(is_active=False)
            if args.email:
                # The generated people have no addresses, so no email deliveries: give them one.
                User.objects.update(email=Concat("username", Value("@example.gov.cn")))

            rows.append(("first sweep (fires every due rung)", *timed_sweep(now, args.chunk)))
            written = {
                "notices": Notice.objects.filter(issued_at=now).count(),
                "events": Event.objects.filter(at=now, action="auto_urge").count(),
                "notifications": Notification.objects.filter(created_at=now).count(),
                "deliveries": Delivery.objects.filter(notification__created_at=now).count(),
            }
            rows.append(("second sweep (nothing left to fire)", *timed_sweep(now, args.chunk)))

            org_id = Item.objects.filter(id__in=due_ids[:1]).values_list("org_id", flat=True).first()
            lo, hi = shift_working_days(day, -(3 + ladder.CATCH_UP_WORKING_DAYS)), day
            qs = Item.objects.filter(org_id=org_id, status__in=handling, deadline__gte=lo, deadline__lte=hi).only("id")
            sql, params = qs.query.sql_with_params()
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(r[0] for r in cur.fetchall())
            raise Rollback
    except Rollback:
        pass
    return total_open, rows, plan, written


def tidy(args):
    """Give back what the rolled-back runs left behind. Rolling back undoes the rows, not their space:
    every run rewrites all 100,000 items, so each of their indexes holds a dead entry per item, and
    the pages measured after it were 25 % slower even after VACUUM ANALYZE (bench/README.md, fifth
    round). The items are rewritten whole; the tables that took rolled-back inserts are vacuumed."""
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM (FULL) items_item")
        # A plain VACUUM after the FULL one: only it sets the visibility map that lets the covering
        # indexes answer without the table (the FULL rewrite leaves it empty: 22,000 heap fetches
        # in the office's work list, 3 → 13 ms).
        tables = ["items_item", "urging_firedstep", "urging_notice", "items_event", "notify_notification",
                  "notify_delivery", "urging_ladderstep", "items_chainhead"] + (["orgs_user"] if args.email else [])
        cur.execute("VACUUM (ANALYZE) " + ", ".join(tables))
    print(f"tidied: items_item rewritten, {len(tables)} tables vacuumed ({time.perf_counter() - t0:.0f} s)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--day", default="2026-11-24", help="the day the sweep runs (a working day)")
    parser.add_argument("--email", action="store_true", help="give every person an email address (rolled back): "
                        "each notification then also queues an email delivery")
    parser.add_argument("--chunk", type=int, default=ladder.CHUNK, help="firings per transaction")
    parser.add_argument("--runs", type=int, default=1, help="repeat the whole (rolled back) measurement; "
                        "the table gives each run's figures and the median time")
    args = parser.parse_args()
    day = dt.date.fromisoformat(args.day)
    now = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    OUT.mkdir(exist_ok=True)
    runs = []
    for _ in range(args.runs):
        total_open, rows, plan, written = one_run(args, day, now)
        runs.append(rows)
    tidy(args)
    (OUT / "sweep-plan.txt").write_text(plan + "\n", encoding="utf-8")
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"] * 3
    print(f"open items (assigned or in progress): {total_open}; due today: {args.due}; day: {day}; "
          f"chunk: {args.chunk}; emails: {'yes' if args.email else 'no'}; load average after: {' '.join(load)}")
    print("rows the first sweep wrote: " + ", ".join(f"{k} {v:,}" for k, v in written.items()))
    print("| sweep | rungs fired | time (s), each run | median (s) | fastest (s) | Python CPU (s), median | statements |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for i, (name, n, _, q, _) in enumerate(runs[0]):
        times = [r[i][2] for r in runs]
        cpu = statistics.median(r[i][4] for r in runs)
        print(f"| {name} | {n:,} | {', '.join(f'{t:.2f}' for t in times)} | {statistics.median(times):.2f} "
              f"| {min(times):.2f} | {cpu:.2f} | {q:,} |")
    print("\ncandidate query plan (bench/out/sweep-plan.txt):")
    print("\n".join(plan.splitlines()[:8]))


if __name__ == "__main__":
    main()
