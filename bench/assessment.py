#!/usr/bin/env python
"""Time an annual assessment (年终督查考核) of all 300 units on the bench database (issue 9:
under 5 s on the 100,000-item database).

    DATABASE_URL=postgres://postgres@localhost:5432/duban_bench .venv/bin/python bench/assessment.py

Applies pending migrations, then, inside a transaction that is rolled back at the end (the bench
database is left as it was): gives a third of the year's closing instructions a leader's rating
(the generator writes none), and runs ``duban.assessment.services.run`` for the year of the data's
last day ``--runs`` times as the office head, each a full computation: fact records, circulars'
mentions, sanctions, ratings, every line stored, totals and ranks. Prints each time, the median,
the lines written and the query count.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
os.environ.setdefault("DUBAN_DEBUG", "0")
os.environ.setdefault("DUBAN_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from duban.assessment import services  # noqa: E402
from duban.assessment.models import Assessment  # noqa: E402
from duban.items.models import Instruction, Item  # noqa: E402
from duban.orgs.models import Organization, Role, User  # noqa: E402

TARGET_S = 5.0


class Rollback(Exception):
    pass


def backend_cpu(pid: int) -> float:
    """CPU seconds the PostgreSQL backend serving this connection has used (same machine only)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    org = Organization.objects.get(name="江川市人民政府")
    office = User.objects.filter(org=org, role=Role.OFFICE_HEAD).first()
    last = Item.objects.filter(org=org).aggregate(m=Max("created_at"))["m"]
    now = last + (timezone.timedelta(hours=1))
    year = timezone.localdate(now).year
    times, cpu, db_cpu, lines, queries = [], [], [], 0, 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with transaction.atomic():
            # Foreign keys are checked at commit, which the rollback skips: check them as rows go in.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            rated = 0
            ids = list(Instruction.objects.filter(item__org=org, outcome="close", at__year=year)
                       .values_list("id", flat=True))
            for k, choice in enumerate(("satisfied", "basically_satisfied", "dissatisfied")):
                part = ids[k::9]
                rated += Instruction.objects.filter(pk__in=part).update(satisfaction=choice)
            for i in range(args.runs):
                Assessment.objects.filter(org=org, kind="year_end", year=year).delete()
                with CaptureQueriesContext(connection) as ctx:
                    t, c, d = time.perf_counter(), time.process_time(), backend_cpu(pid)
                    a = services.run(org, office, kind="year_end", year=year, now=now)
                    times.append(time.perf_counter() - t)
                    cpu.append(time.process_time() - c)
                    db_cpu.append(backend_cpu(pid) - d)
                queries = len(ctx.captured_queries)
                lines = a.lines.count()
                print(f"run {i + 1}: {times[-1]:.2f} s (CPU: Python {cpu[-1]:.2f} s + PostgreSQL {db_cpu[-1]:.2f} s)",
                      flush=True)
            units = a.scores.count()
            raise Rollback
    except Rollback:
        pass
    med = statistics.median(times)
    print(f"annual assessment {year} (as of {timezone.localdate(now)}): {units} units, {lines:,} lines, "
          f"{rated:,} ratings, {queries} queries; median {med:.2f} s, max {max(times):.2f} s "
          f"(target < {TARGET_S:.0f} s) {'OK' if med < TARGET_S else 'TOO SLOW'}; CPU median: Python "
          f"{statistics.median(cpu):.2f} s + PostgreSQL {statistics.median(db_cpu):.2f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
