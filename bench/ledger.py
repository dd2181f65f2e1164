#!/usr/bin/env python
"""Time a 10,000-row ledger: Excel import (read, check, write), roll-ups, lists, report, export.

    DATABASE_URL=postgres://postgres@localhost:5432/duban_bench .venv/bin/python bench/ledger.py

Runs on the database bench/generate.py filled (its 300 units and eight leaders are the names in
the ledger). The ledger: 20 categories × 25 problems × 20 measures = 10,000 rows, units and
leaders spread over the organisation, one co-unit on every third row. The imported plan is kept
(``--keep``) or deleted at the end, so the run can be repeated. Each timing is the median of
``--runs`` runs after one warm-up, except the import, which runs once (it writes).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
os.environ.setdefault("DUBAN_DEBUG", "0")
os.environ.setdefault("DUBAN_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ["DUBAN_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
# The test client speaks plain HTTP: without this every request would be redirected to HTTPS.
os.environ.setdefault("DUBAN_HTTPS", "0")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from duban.items.models import Assignment, Event, Item  # noqa: E402
from duban.ledgers import exporting, importing, report, selectors  # noqa: E402
from duban.ledgers.columns import IMPORTABLE  # noqa: E402
from duban.ledgers.models import Plan, PlanNode  # noqa: E402
from duban.orgs.models import LEADER_ROLES, Organization, Unit, User  # noqa: E402

TITLE = "基准测试：万条措施整改台账"


def make_ledger(org, rows: int) -> bytes:
    units = list(Unit.objects.filter(org=org, is_active=True).exclude(kind__in=["office", "leadership"])
                 .order_by("id").values_list("name", flat=True))
    leaders = [u.full_name or u.username for u in User.objects.filter(org=org, role__in=LEADER_ROLES).order_by("id")]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("整改台账")
    ws.append([c.header for c in IMPORTABLE])
    per_problem, per_category = 20, 25
    for i in range(rows):
        p = i // per_problem + 1
        c = (p - 1) // per_category + 1
        m = i % per_problem + 1
        ws.append([
            f"第{c}方面问题", p, f"问题{p}：工作推进不够有力", m, f"针对问题{p}制定第{m}项整改措施，明确责任和时限",
            "问题整改到位", leaders[p % len(leaders)], units[(i * 7) % len(units)],
            units[(i * 11 + 3) % len(units)] if i % 3 == 0 and units[(i * 11 + 3) % len(units)] != units[(i * 7) % len(units)] else "",
            ["1个月内整改到位", "3个月内整改到位", "3个月内取得阶段性成效并在1年内整改到位"][p % 3], None,
        ])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def timed(fn, runs):
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def explain(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(r[0] for r in cur.fetchall())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--keep", action="store_true", help="keep the imported plan")
    args = ap.parse_args()

    org = Organization.objects.get(name="江川市人民政府")
    sup = User.objects.get(username="duchayuan")
    for old in Plan.objects.filter(org=org, title=TITLE):
        delete_plan(old)

    t = time.perf_counter()
    content = make_ledger(org, args.rows)
    print(f"ledger file: {args.rows} rows, {len(content) / 1024:.0f} KB, made in {time.perf_counter() - t:.1f} s")
    params = importing.PlanParams(title=TITLE, kind="rectification", source_text="bench", item_kind="rectification",
                                  start_date=timezone.localdate())
    lines = []
    t0 = time.perf_counter()
    rows = importing.read_ledger(io.BytesIO(content))
    t1 = time.perf_counter()
    clean, errors = importing.check_rows(org, params, rows)
    assert not errors, errors[:5]
    t2 = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        plan = importing.write_plan(org, sup, params, clean)
    t3 = time.perf_counter()
    lines += [
        ("import: read the .xlsx", f"{(t1 - t0):.2f} s", ""),
        ("import: check every row", f"{(t2 - t1):.2f} s", ""),
        ("import: write plan, tree, items, units, events (one transaction)", f"{(t3 - t2):.2f} s", f"{len(ctx.captured_queries)} queries"),
        ("import: total", f"**{(t3 - t0):.2f} s**", ""),
    ]
    with connection.cursor() as cur:
        cur.execute("ANALYZE ledgers_plannode; ANALYZE items_item;")

    category = PlanNode.objects.filter(plan=plan, level="category").order_by("path")[3]
    problem = PlanNode.objects.filter(plan=plan, level="problem").order_by("path")[40]
    whole = lambda: selectors.rollup(selectors.leaf_items(plan))  # noqa: E731
    sub = lambda: selectors.rollup(selectors.leaf_items(plan, category))  # noqa: E731
    listing = lambda: list(selectors.leaf_items(plan, category).values_list("id", "status"))  # noqa: E731
    for label, fn in [
        (f"roll-up of all {args.rows} leaves", whole),
        ("roll-up of one category (500 leaves)", sub),
        ("list a subtree (500 leaves)", listing),
        ("problem list (500 problems, counts and names)", lambda: selectors.problem_rows(plan)),
        ("progress report (all figures)", lambda: report.progress_report(plan)),
        (f"ledger export .xlsx ({args.rows} rows)", lambda: exporting.ledger_workbook(
            plan, selectors.measure_nodes(sup, plan), subtitle="bench")),
    ]:
        ms = timed(fn, args.runs if "export" not in label else 3)
        lines.append((label, f"{ms:.0f} ms", f"{queries(fn)} queries"))

    client = Client()
    client.force_login(sup)
    for label, url in [
        ("page: plan list", "/plans/"),
        ("page: problem list", f"/plans/{plan.id}/"),
        ("page: responsibility list, one category", f"/plans/{plan.id}/?tab=responsibility&category={category.id}"),
        ("page: progress report", f"/plans/{plan.id}/report/"),
    ]:
        ms = timed(lambda: client.get(url), args.runs)
        lines.append((label, f"{ms:.0f} ms", f"{queries(lambda: client.get(url))} queries"))

    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "ledger_explain.txt").write_text(
        "-- roll-up of the whole plan\n" + explain(selectors.leaf_items(plan).order_by().values("status"))
        + "\n\n-- subtree of one category\n" + explain(selectors.leaf_items(plan, category).values("id", "status"))
        + "\n\n-- subtree of one problem\n" + explain(selectors.leaf_items(plan, problem).values("id", "status"))
    )
    print("\n| what | time | |\n|---|---:|---|")
    for label, value, extra in lines:
        print(f"| {label} | {value} | {extra} |")
    print("\nquery plans: bench/out/ledger_explain.txt")
    if not args.keep:
        delete_plan(plan)


def delete_plan(plan):
    with transaction.atomic():
        ids = list(Item.objects.filter(plan_node__plan=plan).values_list("id", flat=True))
        PlanNode.objects.filter(plan=plan).delete()
        plan.jobs.all().delete()
        plan.delete()
        Item.named_people.through.objects.filter(item_id__in=ids).delete()
        Assignment.objects.filter(item_id__in=ids).delete()
        # Events refuse deletion through the ORM (they are the record); a bench plan's go by SQL.
        with connection.cursor() as cur:
            cur.execute("DELETE FROM items_event WHERE item_id = ANY(%s)", [ids])
        Item.objects.filter(id__in=ids).delete()


if __name__ == "__main__":
    main()
