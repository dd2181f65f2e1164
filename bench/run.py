#!/usr/bin/env python
"""Time Duban's pages on the database bench/generate.py filled, as four kinds of user see them.

    DATABASE_URL=postgres://postgres@localhost:5432/duban_bench .venv/bin/python bench/run.py

Each page is requested through Django's test client (whole request: middleware, session, view,
queries, template) ``--runs`` times after two warm-up requests; the table gives the median and the
95th percentile, and the number of SQL queries of one request (CaptureQueriesContext). The
slowest queries of the list and search pages are run again under EXPLAIN ANALYZE and saved in
bench/out/ with the table (results.md, results.json). DEBUG is off, as in production.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
os.environ.setdefault("DUBAN_DEBUG", "0")
os.environ.setdefault("DUBAN_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)  # required with DEBUG off
# The test client calls itself "testserver".
os.environ["DUBAN_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
# The test client speaks plain HTTP: without this every request would be redirected to HTTPS.
os.environ.setdefault("DUBAN_HTTPS", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from duban.api.models import ApiToken  # noqa: E402
from duban.items.models import OPEN_STATUSES, Assignment, Event, Item  # noqa: E402
from duban.items.selectors import items_visible_to  # noqa: E402
from duban.orgs.models import Role, Unit, User  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
TARGET_MS = 300


def shape(sql: str) -> str:
    """A statement with its literals and cursor names blanked, to spot one query run per row."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r'"_django_curs_[^"]*"', "?", sql)


def percentile(values, p):
    """Nearest-rank percentile: p95 of 20 runs is the 19th fastest."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, -(-len(ordered) * p // 100) - 1))
    return ordered[int(k)]


class Bench:
    def __init__(self, runs: int, explain: bool, only: str = ""):
        self.runs = runs
        self.only = only
        self.explain = explain
        self.rows = []
        self.explained = []
        self.notes = []

    # --- who and what ----------------------------------------------------------------------------

    def people(self):
        """A supervisor, the busiest responsible leader, and the liaison and head of the busiest unit."""
        supervisor = User.objects.get(username="duchayuan")
        leader = (
            User.objects.filter(role=Role.RESPONSIBLE_LEADER)
            .annotate(n=Count("led_items", filter=Q(led_items__status__in=OPEN_STATUSES)))
            .order_by("-n", "id").first()
        )
        busy = (
            Assignment.objects.filter(item__status__in=OPEN_STATUSES).values("unit_id")
            .annotate(n=Count("id")).order_by("-n", "unit_id").first()["unit_id"]
        )
        liaison = User.objects.get(unit_id=busy, role=Role.LIAISON)
        head = User.objects.get(unit_id=busy, role=Role.UNIT_HEAD)
        return [("督查员", supervisor), ("分管领导", leader), ("联络员（最忙单位）", liaison), ("单位负责人（同单位）", head)]

    def rich_item(self, user, open_=True, fewest=False):
        """The visible item with the longest (or shortest) timeline, in progress or archived; for a
        unit, one it leads."""
        qs = items_visible_to(user).filter(status__in=OPEN_STATUSES if open_ else ["archived"])
        if user.role in (Role.LIAISON, Role.UNIT_HEAD):
            qs = qs.filter(lead_unit_id=user.unit_id)
        ids = list(qs.values_list("id", flat=True))
        top = (
            Event.objects.filter(item_id__in=ids).values("item_id").annotate(n=Count("id"))
            .order_by("n" if fewest else "-n", "-item_id").first()
        )
        return top["item_id"], top["n"]

    def other_unit(self, user):
        """A busy unit other than the user's own, for the unit filter."""
        row = (
            Assignment.objects.filter(item__status__in=OPEN_STATUSES).exclude(unit_id=user.unit_id)
            .values("unit_id").annotate(n=Count("id")).order_by("-n", "unit_id").first()
        )
        return row["unit_id"]

    def pages(self, user, unit_id):
        rich_open, n_open = self.rich_item(user, True)
        rich_arch, n_arch = self.rich_item(user, False)
        small, n_small = self.rich_item(user, True, fewest=True)
        pages = [
            ("工作台 /worklist/", "/worklist/"),  # "/" is the dashboard for leaders: bench/dashboard.py
            ("事项列表（全部）", "/items/"),
            ("事项列表 status=open", "/items/?" + urlencode({"status": "open"})),
            ("搜索 2字 q=督办", "/items/?" + urlencode({"q": "督办"})),
            ("搜索 2字 open+q=整治", "/items/?" + urlencode({"status": "open", "q": "整治"})),
            ("搜索 4字 q=加装电梯", "/items/?" + urlencode({"q": "加装电梯"})),
            ("搜索编号 q=〔2025〕10", "/items/?" + urlencode({"q": "〔2025〕10"})),
            ("已超期 overdue=on", "/items/?" + urlencode({"overdue": "on"})),
            ("单位筛选 open+unit", "/items/?" + urlencode({"status": "open", "unit": unit_id})),
            ("翻页 page=100", "/items/?" + urlencode({"page": 100})),
            # the pager's total, which the list asks for once it is on screen (duban/web/paging.py)
            ("总数 全部", "/items/count/"),
            ("总数 overdue=on", "/items/count/?" + urlencode({"overdue": "on"})),
            ("总数 q=督办", "/items/count/?" + urlencode({"q": "督办"})),
            (f"事项页（办理中，{n_open}条记录）", f"/items/{rich_open}/"),
            (f"事项页（已归档，{n_arch}条记录）", f"/items/{rich_arch}/"),
            (f"事项页（办理中，{n_small}条记录）", f"/items/{small}/"),
            ("导出CSV status=open", "/items/export.csv?" + urlencode({"status": "open"})),
            ("JSON 列表 /api/v1/items", "/api/v1/items"),
            ("JSON 列表 status=open", "/api/v1/items?" + urlencode({"status": "open"})),
        ]
        return pages

    # --- measuring -------------------------------------------------------------------------------

    def measure(self, client, url):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(max(1, self.runs)):
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        queries = [(float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries]
        return times, queries, response

    def run(self):
        people = self.people()
        for role_label, user in people:
            client = Client()
            client.force_login(user)
            # The JSON API takes a bearer token, as an OA integration sends it.
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(user)[1]}"
            unit_id = self.other_unit(user)
            visible = items_visible_to(user).count()
            print(f"\n## {role_label} {user.username}（{user.unit or '—'}），可见事项 {visible} 件", flush=True)
            for index, (label, url) in enumerate(self.pages(user, unit_id), start=1):
                if self.only not in label:
                    continue
                times, queries, response = self.measure(client, url)
                med, p95 = statistics.median(times), percentile(times, 95)
                sql_ms = sum(t for t, _ in queries)
                slowest = max(queries, key=lambda q: q[0])
                size = len(response.content)
                statements = [shape(sql) for _, sql in queries]
                repeated = {s: n for s, n in Counter(statements).items() if n >= 5}  # one query per row
                row = dict(role=role_label, user=user.username, page=label, url=url, median_ms=round(med, 1),
                           p95_ms=round(p95, 1), min_ms=round(min(times), 1), queries=len(queries), sql_ms=round(sql_ms, 1),
                           slowest_sql_ms=round(slowest[0], 1), bytes=size, visible=visible,
                           statements=statements, repeated=repeated)
                for stmt, n in repeated.items():
                    self.notes.append(f"{role_label} {label}: the same statement {n}× in one request: {stmt[:160]}")
                self.rows.append(row)
                flag = "" if med < TARGET_MS else "  ← over target"
                print(f"  {label:<28} median {med:7.1f} ms  p95 {p95:7.1f} ms  min {min(times):7.1f} ms  {len(queries):3d} queries "
                      f"(SQL {sql_ms:6.1f} ms, slowest {slowest[0]:6.1f} ms)  {size // 1024} KB{flag}", flush=True)
                if self.explain and (url.startswith("/items/?") or url in ("/worklist/", "/items/")):
                    self.explain_slowest(role_label, user, index, label, queries)
            # An item page's queries must not grow with the item's record (reports, events, urges):
            # compare the statements of the richest and the smallest open item the user can see.
            item_pages = [r for r in self.rows if r["user"] == user.username and r["page"].startswith("事项页（办理中")]
            if len(item_pages) != 2:
                continue
            rich, small = item_pages
            extra = Counter(rich["statements"]) - Counter(small["statements"])
            self.notes.append(
                f"{role_label}: 事项页 {rich['queries']} queries for the rich item, {small['queries']} for the small one; "
                f"the difference: {', '.join(f'{n}× {s[:60]}' for s, n in extra.items()) or 'none'}")

    def explain_slowest(self, role_label, user, index, label, queries):
        """EXPLAIN ANALYZE the page's two slowest queries (the list query and its count, usually)."""
        for rank, (ms, sql) in enumerate(sorted(queries, key=lambda q: -q[0])[:2], start=1):
            if not sql.lstrip().upper().startswith("SELECT") or "items_item" not in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(r[0] for r in cursor.fetchall())
            name = re.sub(r"[^\w]+", "_", f"{user.username}_{index:02d}_{label}_{rank}").strip("_")
            (OUT / "explain").mkdir(parents=True, exist_ok=True)
            path = OUT / "explain" / f"{name}.txt"
            path.write_text(f"-- {role_label} {user.username}: {label} (query {rank}, {ms:.1f} ms in the page)\n"
                            f"{sql}\n\n{plan}\n", encoding="utf-8")
            self.explained.append(str(path.relative_to(OUT.parent.parent)))

    # --- reporting -------------------------------------------------------------------------------

    def markdown(self, header):
        lines = [header, "", "| 角色 | 页面 | 中位数 ms | p95 ms | 最快 ms | SQL 次数 | SQL ms | 最慢 SQL ms | 大小 KB |",
                 "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
        for r in self.rows:
            median = f"**{r['median_ms']}**" if r["median_ms"] >= TARGET_MS else f"{r['median_ms']}"
            lines.append(f"| {r['role']} | {r['page']} | {median} | {r['p95_ms']} | {r['min_ms']} | {r['queries']} | {r['sql_ms']} | "
                         f"{r['slowest_sql_ms']} | {r['bytes'] // 1024} |")
        lines += [""] + [f"- {n}" for n in self.notes]
        return "\n".join(lines) + "\n"


def check_dead_rows():
    """Rolled-back or deleted rows slow every scan until vacuumed: a run on a bloated copy of the
    data measures the bloat (2-character search 170 → 450 ms after 200,000 dead item rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_live_tup, n_dead_tup FROM pg_stat_user_tables "
            "WHERE relname LIKE 'items\\_%' AND n_dead_tup > 0.1 * n_live_tup + 1000"
        )
        bloated = cursor.fetchall()
    for table, live, dead in bloated:
        print(f"warning: {table} has {dead} dead rows for {live} live: run with --vacuum", file=sys.stderr)


def code_version():
    """The commit measured, with "+uncommitted" when the working tree differs from it."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "duban"], cwd=root, capture_output=True, text=True).stdout
    except OSError:
        return "unknown"
    return head + ("+uncommitted changes in duban/" if dirty.strip() else "")


def yardstick() -> float:
    """A fixed piece of the work a page does (a Django template rendering 500 rows and 500 model
    instances built), best of 7, in ms: the same on every machine, so that figures measured on
    machines of different speed can be compared (the page medians scale with it, the SQL less)."""
    from django.template import Context, Engine

    template = Engine().from_string(
        "{% for u in rows %}<tr><td>{{ u.name|escape }}</td><td>{{ u.short_name|default:'—' }}</td>"
        "<td>{{ u.order }}</td>{% if u.is_active %}<td>启用</td>{% endif %}</tr>{% endfor %}")
    best = float("inf")
    for _ in range(7):
        t = time.perf_counter()
        rows = [Unit(id=i, name=f"市第{i}局", short_name=f"{i}局" if i % 2 else "", order=i, is_active=True)
                for i in range(500)]
        template.render(Context({"rows": rows}))
        best = min(best, time.perf_counter() - t)
    return best * 1000


def machine():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared = cursor.fetchone()[0]
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{os.cpu_count()} cores ({cpu or platform.machine()}), CPU yardstick {yardstick():.1f} ms, "
            f"Python {platform.python_version()}, "
            f"Django {django.get_version()}, PostgreSQL {pg} (shared_buffers {shared}), database {size}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=20, help="timed requests per page (after 2 warm-ups)")
    p.add_argument("--only", default="", help="measure only pages whose label contains this text")
    p.add_argument("--no-explain", action="store_true", help="skip EXPLAIN ANALYZE")
    p.add_argument("--vacuum", action="store_true", help="VACUUM ANALYZE first (after anything wrote to the data)")
    args = p.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/run.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # the app may have grown tables since the data were made
    if not Item.objects.exists():
        sys.exit("no items: run bench/generate.py first")
    if args.vacuum:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    check_dead_rows()
    OUT.mkdir(exist_ok=True)
    for old in (OUT / "explain").glob("*.txt"):
        old.unlink()
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    b = Bench(args.runs, not args.no_explain, args.only)
    b.run()
    counts = f"{Item.objects.count()} items, {Event.objects.count()} events"
    load = f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
    header = (f"Machine: {machine()}. Code: {code_version()}. Data: {counts}. {args.runs} timed runs per page, "
              f"DEBUG off, measured {time.strftime('%Y-%m-%d %H:%M')} ({load}).")
    md = b.markdown(header)
    (OUT / "results.md").write_text(md, encoding="utf-8")
    rows = [{k: v for k, v in r.items() if k != "statements"} for r in b.rows]
    (OUT / "results.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n" + md)
    if b.explained:
        print(f"EXPLAIN ANALYZE plans: {len(b.explained)} files in bench/out/explain/")
    print(f"time taken: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
