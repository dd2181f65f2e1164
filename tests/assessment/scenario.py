"""A half year of one organisation's work with one record of every kind the scheme scores."""

from __future__ import annotations

import datetime as dt

from duban.items import services as svc
from duban.items.models import Report, ReportCycle, Satisfaction, Status
from duban.urging import ladder
from duban.urging.periodic import sweep_obligations

from ..factories import aware

D = dt.date.fromisoformat
ALL = dict.fromkeys(svc.REVIEW_CRITERIA, True)


def sweep_days(start, end, *, obligations=False):
    day = start
    while day <= end:
        ladder.sweep(now=aware(day.year, day.month, day.day, 9))
        if obligations:
            sweep_obligations(now=aware(day.year, day.month, day.day, 9))
        day += dt.timedelta(days=1)


def closed_by(w, key, *, now, deadline=D("2026-06-30")):
    """An item of unit ``key`` carried to the leader (pending_leader) on the day ``now``."""
    item = w.draft(now=now, lead_unit=w.units[key], co_units=[], deadline=deadline, deadline_override_reason="年中完成")
    svc.submit_proposal(item.id, w.supervisor, now=now)
    svc.approve_proposal(item.id, w.leader, now=now)
    svc.accept(item.id, w.liaison[key], responsible_person="李四", now=now)
    w.file_report(item, Report.Kind.COMPLETION, unit=key, now=now)
    svc.review(item.id, w.supervisor, accept=True, criteria=ALL, now=now)
    item.refresh_from_db()
    return item


class HalfYear:
    """In the first half of 2026, for the world's "lead" unit:

    - ``stalled``: deadline 03-20, never done: 催办单 (T+3), 督办令 (T+10), overdue at 06-30;
    - ``monthly``: a monthly report owed in April and not filed (缺报);
    - ``reworked``: its completion report returned once (退回重办), then closed on 04-20, before its
      06-30 deadline (提前办结), rated 不满意;
    and for the "other" unit: ``praised_item`` closed on 05-11 before its deadline, rated 满意.
    """

    def __init__(self, world):
        self.world = w = world
        self.stalled = w.item_in(Status.IN_PROGRESS, now=aware(2026, 3, 2), co_units=[], deadline=D("2026-03-20"),
                                 deadline_override_reason="会议要求")
        sweep_days(D("2026-03-19"), D("2026-04-06"))
        self.monthly = w.item_in(Status.IN_PROGRESS, now=aware(2026, 4, 1), co_units=[],
                                 report_cycle=ReportCycle.MONTHLY, deadline=D("2026-06-30"),
                                 deadline_override_reason="年中完成")
        for day in ("2026-04-02", "2026-05-08"):
            d = D(day)
            sweep_obligations(now=aware(d.year, d.month, d.day, 9))
        self.reworked = w.item_in(Status.UNDER_REVIEW, now=aware(2026, 4, 1), co_units=[], deadline=D("2026-06-30"),
                                  deadline_override_reason="年中完成")
        svc.review(self.reworked.id, w.supervisor, accept=False, criteria=ALL, comment="材料不全", now=aware(2026, 4, 10))
        w.file_report(self.reworked, Report.Kind.COMPLETION, now=aware(2026, 4, 15))
        svc.review(self.reworked.id, w.supervisor, accept=True, criteria=ALL, now=aware(2026, 4, 16))
        svc.close(self.reworked.id, w.leader, satisfaction=Satisfaction.DISSATISFIED, now=aware(2026, 4, 20))
        self.praised_item = closed_by(w, "other", now=aware(2026, 5, 4))
        svc.close(self.praised_item.id, w.leader, satisfaction=Satisfaction.SATISFIED, now=aware(2026, 5, 11))
        self.run_at = aware(2026, 7, 3)
