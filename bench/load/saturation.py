"""The saturation run: the same users as locustfile.py without think time, added step by step.

``bench/load/run.sh --saturation`` runs it (LOAD_THINK_SCALE=0). Each step holds a number of
users for STEP_SECONDS; at the end a table per step (users, requests/s, median, p95, failures)
is printed and written next to the request log (``saturation.md``). Throughput at saturation is
the highest requests/s of a step whose p95 is under 500 ms and that has no failure; the step
after it shows what more users get.
"""

from __future__ import annotations

import os

from locust import LoadTestShape, events

from locustfile import _LOG, LOG_PATH  # noqa: F401 - the user classes are found through this import
from locustfile import *  # noqa: F401,F403

STEP_SECONDS = int(os.environ.get("LOAD_STEP_SECONDS", "40"))
STEPS = [int(n) for n in os.environ.get("LOAD_STEPS", "2,4,6,8,12,16,24,32").split(",")]


class Steps(LoadTestShape):
    def tick(self):
        step = int(self.get_run_time() // STEP_SECONDS)
        if step >= len(STEPS):
            return None
        return STEPS[step], 50


@events.test_stop.add_listener
def _steps_table(environment, **_):
    rows = [r for r in _LOG if r[1] != "DOMAIN"]
    if not rows:
        return
    t0 = min(r[0] for r in rows)
    lines = ["| 用户数 | 请求数 | 请求/秒 | 中位数 ms | p95 ms | p99 ms | 失败 |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for i, users in enumerate(STEPS):
        # The first 5 s of a step are its ramp: measured from then to the step's end.
        lo, hi = t0 + i * STEP_SECONDS + 5, t0 + (i + 1) * STEP_SECONDS
        sample = [r for r in rows if lo <= r[0] < hi]
        if not sample:
            continue
        ms = sorted(r[3] for r in sample)
        pct = lambda p: ms[min(len(ms) - 1, int(p / 100 * len(ms)))]  # noqa: E731
        lines.append(f"| {users} | {len(sample)} | {len(sample) / (hi - lo):.1f} | {pct(50):.0f} | {pct(95):.0f} | "
                     f"{pct(99):.0f} | {sum(1 for r in sample if not r[5])} |")
    table = "\n".join(lines)
    print(table)
    if LOG_PATH:
        with open(os.path.join(os.path.dirname(LOG_PATH), "saturation.md"), "w", encoding="utf-8") as f:
            f.write(table + "\n")
