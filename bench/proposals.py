#!/usr/bin/env python
"""Time the public portal's list and search pages (anonymous) and the import of 1,000 suggestions.

    DATABASE_URL=postgres://postgres@localhost:5432/duban_bench .venv/bin/python bench/proposals.py

Runs on the database bench/generate.py filled. Applies pending migrations, then, once, publishes
every third registered, non-secret item of the 100,000 on the portal (``--share``; suggestions and
proposals as answers, the rest as disclosed items) by one INSERT … SELECT, as if the office had
published them over three years. Pages are requested through Django's test client without logging
in, ``--runs`` times after two warm-ups; the table gives median, p95 and queries per request.

The import reads, checks and writes a 1,000-row batch (the year's suggestions of a large city) in one
transaction that is rolled back at the end, so the run can be repeated.
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

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from duban.items.models import Status  # noqa: E402
from duban.orgs.models import Organization, User  # noqa: E402
from duban.portal.models import Publication  # noqa: E402
from duban.proposals import importing  # noqa: E402
from duban.proposals.models import Body  # noqa: E402

PAGES = [
    ("门户首页（最新20条）", "/public/"),
    ("门户翻页 page=2", "/public/?page=2"),
    ("门户翻页 page=100", "/public/?page=100"),
    ("按类型 kind=answer", "/public/?kind=answer"),
    ("搜索 2字 q=督办", "/public/?q=督办"),
    ("搜索 2字 q=整治", "/public/?q=整治"),
    ("搜索 4字 q=加装电梯", "/public/?q=加装电梯"),
    ("搜索编号 q=〔2025〕10", "/public/?q=〔2025〕10"),
    ("搜索无结果 q=不存在的词语", "/public/?q=不存在的词语"),
    ("接口 列表 entries.json", "/public/api/entries.json"),
    ("接口 搜索 entries.json?q=加装电梯", "/public/api/entries.json?q=加装电梯"),
]


def publish_share(share: int) -> int:
    """Publish every ``share``-th registered, non-secret item, once."""
    if Publication.objects.exists():
        return Publication.objects.count()
    sup = User.objects.get(username="duchayuan")
    labels = " ".join(f"WHEN '{s.value}' THEN '{s.label}'" for s in Status)
    with connection.cursor() as cur:
        cur.execute(f"""
            INSERT INTO portal_publication (org_id, kind, org_name, title, reference, unit_name, status_label, body,
                                            figures, source_key, published_by_id, published_at, updated_at)
            SELECT i.org_id,
                   CASE WHEN i.kind IN ('deputy_suggestion', 'cppcc_proposal') THEN 'answer' ELSE 'item' END,
                   o.name, i.title, i.number, COALESCE(u.name, ''), CASE i.status {labels} END,
                   i.content, '{{}}'::jsonb, 'item:' || i.id, %s,
                   COALESCE(i.registered_at, i.created_at), COALESCE(i.last_progress_at, i.created_at)
              FROM items_item i JOIN orgs_organization o ON o.id = i.org_id
              LEFT JOIN orgs_unit u ON u.id = i.lead_unit_id
             WHERE i.id %% %s = 0 AND NOT i.is_secret AND i.status NOT IN ('draft', 'pending_approval')
             ORDER BY i.id
        """, [sup.id, share])
        cur.execute("ANALYZE portal_publication")
    return Publication.objects.count()


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, -(-len(ordered) * p // 100) - 1))
    return ordered[int(k)]


def time_pages(runs: int) -> list[tuple]:
    client = Client()
    rows = []
    for label, url in PAGES:
        for _ in range(2):
            client.get(url)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (url, r.status_code)
            assert not r.cookies, url
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        rows.append((label, statistics.median(times), percentile(times, 95), min(times), len(ctx.captured_queries),
                     len(r.content) / 1024, r["Cache-Control"]))
    return rows


def batch(n: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in importing.COLUMNS])
    topics = ["加装电梯", "公交线路", "老旧小区改造", "学校扩容", "医保报销", "停车难", "河道治理", "农村公路"]
    for i in range(1, n + 1):
        t = topics[i % len(topics)]
        ws.append([i, f"关于加快推进{t}工作的建议（{i}）", f"代表{i % 400}", f"第{i % 12 + 1}代表团",
                   f"附议人{i % 97}、附议人{(i + 1) % 97}", "城乡建设", f"关于{t}的具体建议内容……" * 10,
                   "基准测试人大会议", f"138{i:08d}"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class Rollback(Exception):
    pass


def time_import(n: int) -> list[tuple]:
    org = Organization.objects.get(name="江川市人民政府")
    sup = User.objects.get(username="duchayuan")
    content = batch(n)
    lines = []
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            rows = importing.read_batch(io.BytesIO(content))
            t1 = time.perf_counter()
            by_session, errors = importing.check_batch(org, body=Body.CONGRESS, year=2026, default_session="",
                                                       rows=rows)
            assert not errors, errors[:3]
            t2 = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx:
                made = importing.write_batch(org, sup, body=Body.CONGRESS, year=2026, by_session=by_session)
            t3 = time.perf_counter()
            assert len(made) == n
            lines = [
                (f"导入：读取 .xlsx（{n}行，{len(content) / 1024:.0f} KB）", f"{t1 - t0:.2f} s", ""),
                ("导入：逐行校验", f"{t2 - t1:.2f} s", ""),
                ("导入：写入事项、建议、代表委员、记录（一个事务）", f"{t3 - t2:.2f} s", f"{len(ctx.captured_queries)} 次查询"),
                ("导入：合计", f"**{t3 - t0:.2f} s**", ""),
            ]
            raise Rollback
    except Rollback:
        pass
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--share", type=int, default=3, help="publish every N-th item (default 3)")
    ap.add_argument("--import-rows", type=int, default=1000)
    args = ap.parse_args()
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    count = publish_share(args.share)
    print(f"publications on the portal: {count:,} ({time.perf_counter() - t:.1f} s)")
    print("\n| 页面（匿名） | 中位数 ms | p95 ms | 最快 ms | SQL 次数 | 大小 KB | Cache-Control |\n|---|---:|---:|---:|---:|---:|---|")
    for label, med, p95, fastest, q, kb, cc in time_pages(args.runs):
        flag = "**" if med > 100 else ""
        print(f"| {label} | {flag}{med:.1f}{flag} | {p95:.1f} | {fastest:.1f} | {q} | {kb:.0f} | {cc} |")
    print("\n| 导入 | 时间 | |\n|---|---:|---|")
    for label, value, extra in time_import(args.import_rows):
        print(f"| {label} | {value} | {extra} |")


if __name__ == "__main__":
    main()
