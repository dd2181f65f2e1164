"""A year of work for the dashboard's tests, driven through the services at chosen dates.

Seen on 2026-11-20 (``NOW``):
- ``on_time``: registered and closed 2026-03-02, well before its deadline (按期办结);
- ``closed_late``: registered 2026-01-05, closed 2026-10-09, after its deadline;
- ``last_year``: registered 2025-12-01, closed 2026-01-12 after its deadline: counts among the
  year's closings, not among the year's assignments;
- ``overdue``: registered 2026-02-02 and still in progress: past its deadline (red);
- ``fresh``: registered 2026-11-19, waiting to be signed for (green), led by the "co" unit, under the other leader;
- ``secret``: registered 2026-06-01, secret, past its deadline; named: drafter, the leader and the
  units' people, not the other leader nor the principal leader (seed 002 art. 7(5));
- a draft, which no leader sees and no figure counts.
"""

from __future__ import annotations

import pytest

from duban.items import services as svc
from duban.items.models import Status
from tests.factories import aware

NOW = aware(2026, 11, 20)


@pytest.fixture
def year_of_work(world):
    w = world
    items = {
        "on_time": w.item_in(Status.CLOSED, now=aware(2026, 3, 2), title="按期办结的事项"),
        "closed_late": w.item_in(Status.PENDING_LEADER, now=aware(2026, 1, 5), title="逾期办结的事项"),
        "last_year": w.item_in(Status.PENDING_LEADER, now=aware(2025, 12, 1), title="上年交办的事项"),
        "overdue": w.item_in(Status.IN_PROGRESS, now=aware(2026, 2, 2), title="超期未办结的事项"),
        "fresh": w.item_in(Status.PENDING_APPROVAL, now=aware(2026, 11, 19), title="新交办的事项",
                           lead_unit=w.units["co"], co_units=[w.units["other"]], responsible_leader=w.other_leader),
        "secret": w.item_in(Status.IN_PROGRESS, now=aware(2026, 6, 1), title="涉密的超期事项", is_secret=True),
        "draft": w.draft(title="草拟中的事项"),
    }
    svc.approve_proposal(items["fresh"].id, w.other_leader, now=aware(2026, 11, 19))
    svc.close(items["closed_late"].id, w.leader, now=aware(2026, 10, 9))
    svc.close(items["last_year"].id, w.leader, now=aware(2026, 1, 12))
    for item in items.values():
        item.refresh_from_db()
    return items
