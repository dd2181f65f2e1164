#!/usr/bin/env python
"""Where one page's time goes: cProfile of repeated requests, as one user, on the bench database.

    DATABASE_URL=postgres://postgres@localhost:5432/duban_bench .venv/bin/python bench/profile_page.py \
        --user duchayuan /items/123/ [--runs 20] [--top 40] [--sort tottime]

Prints the median time of the requests, the SQL share, and the functions that took the most time,
so that a slow page's rendering (templates, widgets, ORM overhead) can be told from its SQL.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
os.environ.setdefault("DUBAN_DEBUG", "0")
os.environ.setdefault("DUBAN_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ["DUBAN_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
os.environ.setdefault("DUBAN_HTTPS", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from duban.api.models import ApiToken  # noqa: E402
from duban.orgs.models import User  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("url")
    p.add_argument("--user", default="duchayuan")
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--top", type=int, default=40)
    p.add_argument("--sort", default="cumulative")
    p.add_argument("--callees", default="", help="show what the functions matching this name call")
    p.add_argument("--queries", action="store_true", help="list the page's queries (ms, first 160 characters)")
    args = p.parse_args()
    client = Client()
    user = User.objects.get(username=args.user)
    client.force_login(user)
    if args.url.startswith("/api/"):
        # The JSON API takes a bearer token, as an OA integration sends it (as run.py does).
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user)[1]}"
    for _ in range(3):
        assert client.get(args.url).status_code == 200
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        client.get(args.url)
        times.append((time.perf_counter() - t) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(args.url)
    sql = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    print(f"{args.url} as {args.user}: median {statistics.median(times):.1f} ms, "
          f"{len(ctx.captured_queries)} queries, SQL {sql:.1f} ms")
    if args.queries:
        for q in ctx.captured_queries:
            print(f"{float(q['time']) * 1000:6.1f}  {q['sql'][:160]}")
        return
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(args.runs):
        client.get(args.url)
    prof.disable()
    stats = pstats.Stats(prof).sort_stats(args.sort)
    if args.callees:
        stats.print_callees(args.callees)
    else:
        stats.print_stats(args.top)


if __name__ == "__main__":
    main()
