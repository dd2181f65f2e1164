"""Integrity checks after a load run (issue 13, point 3): bench/load/run.sh calls this twice.

``check.py baseline --dsn ... --out base.json`` records, before the run, the database's deadlock
counter, the PostgreSQL log's size and the highest ids of the tables the checks look at.
``check.py verify --dsn ... --baseline base.json --stats locust_stats.csv --log requests.csv``
prints PASS or FAIL per check and exits 1 if any failed:

- no deadlock: ``pg_stat_database.deadlocks`` did not move, and the server log written during the
  run has no "deadlock detected";
- every numbering series is gapless and agrees with its counter row: items 督〔YYYY〕N号 per
  organisation and year (``items_numberseries``), 催办单/督办令 (``urging_noticeseries``), issued
  documents (``documents_documentseries``), circulars (``circulars_circularseries``): numbers
  1..last, each once;
- every rung fired once: no (item, step, deadline) twice in ``urging_firedstep`` and, among the
  ``auto_urge`` events written during the run, none twice for one (item, step, deadline); every
  notice issued during the run is named by exactly one such event;
- the items touched during the run: status equal to their last event's, and their event hash
  chains verify (``duban.items.chain.verify_chain``, as ``manage.py verify_archive`` does);
- the requests: 0 failures, p95 under 500 ms (locust's aggregated row, and computed exactly from
  the request log, all requests and after the ramp-up).

Plain SQL over psycopg: it needs no Django settings and runs while the servers are down.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys

import psycopg

PG_LOG = "/var/log/postgresql/postgresql-15-main.log"
P95_LIMIT_MS = 500

SERIES = [
    # label, table, group columns, counter table
    ("事项编号 督〔YYYY〕N号", "items_item", ["org_id", "year"], "items_numberseries"),
    ("催办单/督办令编号", "urging_notice", ["org_id", "kind", "year"], "urging_noticeseries"),
    ("公文编号 (documents)", "documents_issueddocument", ["org_id", "kind", "year"], "documents_documentseries"),
    ("通报期号 (circulars)", "circulars_circular", ["org_id", "year"], "circulars_circularseries"),
]


def baseline(args):
    with psycopg.connect(args.dsn) as conn:
        base = {
            "deadlocks": _deadlocks(conn),
            "pg_log_size": os.path.getsize(PG_LOG) if os.access(PG_LOG, os.R_OK) else None,
            "max_event_id": _one(conn, "select coalesce(max(id), 0) from items_event"),
            "max_notice_id": _one(conn, "select coalesce(max(id), 0) from urging_notice"),
            "max_fired_id": _one(conn, "select coalesce(max(id), 0) from urging_firedstep"),
            "started_at": _one(conn, "select now()").isoformat(),
        }
    with open(args.out, "w") as f:
        json.dump(base, f)
    print(json.dumps(base))


def _one(conn, sql, params=()):
    return conn.execute(sql, params).fetchone()[0]


def _deadlocks(conn) -> int:
    return _one(conn, "select deadlocks from pg_stat_database where datname = current_database()")


def verify(args) -> int:
    with open(args.baseline) as f:
        base = json.load(f)
    results: list[tuple[bool, str, str]] = []

    def check(ok: bool, name: str, detail: str):
        results.append((ok, name, detail))

    with psycopg.connect(args.dsn) as conn:
        conn.execute("select pg_stat_clear_snapshot()")
        delta = _deadlocks(conn) - base["deadlocks"]
        check(delta == 0, "无死锁 pg_stat_database.deadlocks", f"delta {delta}")
        if base.get("pg_log_size") is not None and os.access(PG_LOG, os.R_OK):
            with open(PG_LOG, "rb") as f:
                f.seek(base["pg_log_size"])
                text = f.read().decode("utf-8", "replace")
            lines = [line for line in text.splitlines() if "deadlock detected" in line]
            check(not lines, "无死锁 PostgreSQL 日志", f"{len(lines)} 'deadlock detected' lines" + (f": {lines[0][:160]}" if lines else ""))

        for label, table, cols, counter in SERIES:
            group = ", ".join(cols)
            on = " and ".join(f"s.{c} = g.{c}" for c in cols)
            rows = conn.execute(f"""
                with g as (select {group}, count(*) n, count(distinct seq) d, max(seq) m, min(seq) lo
                           from {table} where seq is not null group by {group})
                select g.*, s.last from g left join {counter} s on {on}
                where not (g.n = g.d and g.d = g.m and g.lo = 1 and g.m = coalesce(s.last, -1))
            """).fetchall()
            total = _one(conn, f"select count(*) from {table} where seq is not null")
            groups = _one(conn, f"select count(*) from (select 1 from {table} where seq is not null group by {group}) x")
            new = ""
            if table == "items_item":
                n = _one(conn, "select count(*) from items_item where seq is not null and registered_at >= %s",
                         (base["started_at"],))
                new = f", {n} numbered during the run"
            check(not rows, f"编号连续 {label}",
                  f"{total} numbers in {groups} series{new}" + (f"; broken: {rows[:3]}" if rows else ""))

        dup = _one(conn, "select count(*) from (select 1 from urging_firedstep group by item_id, step_id, deadline having count(*) > 1) x")
        fired = _one(conn, "select count(*) from urging_firedstep where id > %s", (base["max_fired_id"],))
        check(dup == 0, "催办只触发一次 FiredStep (item, step, deadline)", f"{fired} fired during the run, {dup} duplicated")
        twice = conn.execute("""
            select item_id, data->>'step', data->>'deadline', count(*) from items_event
            where id > %s and action = 'auto_urge' group by 1, 2, 3 having count(*) > 1 limit 5
        """, (base["max_event_id"],)).fetchall()
        events = _one(conn, "select count(*) from items_event where id > %s and action = 'auto_urge'", (base["max_event_id"],))
        check(not twice and events == fired, "催办只触发一次 timeline events",
              f"{events} auto_urge events for {fired} rungs" + (f"; twice: {twice}" if twice else ""))
        notices = conn.execute("""
            select n.number, (select count(*) from items_event e where e.id > %s and e.action = 'auto_urge'
                              and e.item_id = n.item_id and e.data->>'notice' = n.number)
            from urging_notice n where n.id > %s
        """, (base["max_event_id"], base["max_notice_id"])).fetchall()
        bad = [(num, c) for num, c in notices if c != 1]
        check(not bad, "催办单/督办令 each named by one firing",
              f"{len(notices)} notices issued during the run" + (f"; not once: {bad[:5]}" if bad else ""))

        touched = [r[0] for r in conn.execute(
            "select distinct item_id from items_event where id > %s", (base["max_event_id"],))]
        wrong = conn.execute("""
            select i.id, i.status, last.to_status from items_item i
            cross join lateral (select to_status from items_event e where e.item_id = i.id and e.to_status <> ''
                                order by e.id desc limit 1) last
            where i.id = any(%s) and i.status <> last.to_status limit 5
        """, (touched,)).fetchall()
        check(not wrong, "事项状态 = 最后一条记录的状态 (items touched)",
              f"{len(touched)} items touched during the run" + (f"; differ: {wrong}" if wrong else ""))
        breaks = _chain_breaks(conn, touched)
        check(not breaks, "记录链完整 (event hash chains of the items touched)",
              f"{len(touched)} chains verified" + (f"; {len(breaks)} breaks: {breaks[:3]}" if breaks else ""))

    if args.stats and os.path.exists(args.stats):
        with open(args.stats, newline="", encoding="utf-8") as f:
            agg = next((r for r in csv.DictReader(f) if r["Name"] == "Aggregated"), None)
        if agg:
            failures, p95 = int(agg["Failure Count"]), float(agg["95%"])
            check(failures == 0, "0 失败请求 (locust)", f"{agg['Request Count']} requests, {failures} failures")
            if not args.no_latency:
                check(p95 < P95_LIMIT_MS, f"p95 < {P95_LIMIT_MS} ms (locust, all requests)",
                      f"p95 {p95:.0f} ms, median {float(agg['50%']):.0f} ms, {float(agg['Requests/s']):.1f} req/s")
        exceptions = args.stats.replace("_stats.csv", "_exceptions.csv")
        if os.path.exists(exceptions):
            with open(exceptions, newline="", encoding="utf-8") as f:
                errs = [(r["Count"], r["Message"][:100]) for r in csv.DictReader(f)]
            check(not errs, "0 异常 (locust: errors in the users' own code)", f"{errs}" if errs else "none")
    if args.log and os.path.exists(args.log) and not args.no_latency:
        rows = _read_log(args.log)
        if rows:
            t0 = rows[0][0]
            steady = [r for r in rows if r[0] >= t0 + args.ramp_seconds]
            for label, sample in (("all requests", rows), (f"after the first {args.ramp_seconds} s", steady),
                                  ("excluding sign-in", [r for r in rows if "登录" not in r[1]])):
                if sample:
                    p95 = _pct([r[2] for r in sample], 95)
                    check(p95 < P95_LIMIT_MS, f"p95 < {P95_LIMIT_MS} ms (request log, {label})",
                          f"p95 {p95:.0f} ms, p99 {_pct([r[2] for r in sample], 99):.0f} ms over {len(sample)} requests")

    for ok, name, detail in results:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    return 0 if all(ok for ok, *_ in results) else 1


def _chain_breaks(conn, item_ids) -> list:
    """duban.items.chain.verify_chain over each item's events as stored (pure functions, no Django)."""
    from collections import namedtuple

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    from duban.items.chain import verify_chain

    Ev = namedtuple("Ev", "id item_id actor_id action from_status to_status comment data at prev_hash hash")
    heads = dict((r[0], (r[1], r[2])) for r in conn.execute(
        "select item_id, hash, length from items_chainhead where item_id = any(%s)", (item_ids,)))
    events: dict[int, list] = {}
    for row in conn.execute(f"select {', '.join(Ev._fields)} from items_event where item_id = any(%s) order by id",
                            (item_ids,)):
        events.setdefault(row[1], []).append(Ev(*row))
    breaks = []
    for item_id in item_ids:
        head_hash, head_length = heads.get(item_id, (None, None))
        breaks += verify_chain(item_id, events.get(item_id, []), head_hash, head_length)
    return breaks


def _read_log(path):
    with open(path, newline="", encoding="utf-8") as f:
        return sorted((float(r["t"]), r["name"], float(r["ms"]), r["ok"] == "1") for r in csv.DictReader(f)
                      if r["type"] != "DOMAIN")


def _pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1)] if values else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("baseline")
    b.add_argument("--dsn", required=True)
    b.add_argument("--out", required=True)
    v = sub.add_parser("verify")
    v.add_argument("--dsn", required=True)
    v.add_argument("--baseline", required=True)
    v.add_argument("--stats", help="locust's <prefix>_stats.csv")
    v.add_argument("--log", help="the request log (LOAD_LOG)")
    v.add_argument("--ramp-seconds", type=int, default=30)
    v.add_argument("--no-latency", action="store_true", help="the saturation run: no p95 target")
    args = parser.parse_args()
    if args.cmd == "baseline":
        baseline(args)
        return 0
    return verify(args)


if __name__ == "__main__":
    sys.exit(main())
