"""Markdown table of a load run for bench/README.md, from locust's <prefix>_stats.csv.

    .venv/bin/python bench/load/report.py bench/out/load/<run>/locust_stats.csv
"""

from __future__ import annotations

import csv
import sys


def main(path: str) -> None:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    print("| 请求 | 次数 | 失败 | 中位数 ms | p95 ms | p99 ms | 请求/秒 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    body = sorted((r for r in rows if r["Name"] != "Aggregated" and r["Type"] != "DOMAIN"),
                  key=lambda r: -int(r["Request Count"]))
    agg = [r for r in rows if r["Name"] == "Aggregated"]
    for r in body + agg:
        name = "**合计**" if r["Name"] == "Aggregated" else f"{r['Type']} {r['Name']}"
        print(f"| {name} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | {r['95%']} | {r['99%']} | "
              f"{float(r['Requests/s']):.2f} |")


if __name__ == "__main__":
    main(sys.argv[1])
