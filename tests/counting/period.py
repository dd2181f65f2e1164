"""A small month of work (October 2026) used by the figures and circulars tests.

- A: registered 09-10 (before the month), lead 主办 + co 协办, deadline 10-20, closed 10-15 (early, on time)
- B: registered 10-08, lead only, deadline 10-20, returned for rework 10-18, closed 10-23 (late)
- C: registered 10-09, other 主办 + lead 协办, deadline 10-30, still open on 11-05 (overdue);
     extension requested by other 10-12 (refused), 催办单 10-31, 督办令 11-02 (after the month)
- F: registered 10-05, co 主办, monthly reports, the October report missed
- a draft, and an item of another organisation: never counted
"""

from __future__ import annotations

import datetime as dt

from duban.items import services as svc
from duban.items.models import Report, ReportCycle, Status
from duban.urging.ladder import issue_notice
from duban.urging.models import Notice, ReportObligation
from tests.factories import aware

START, END, TODAY = dt.date(2026, 10, 1), dt.date(2026, 10, 31), dt.date(2026, 11, 5)


def registered(world, day: dt.date, *, deadline: dt.date, lead="lead", co=(), **kw):
    now = aware(day.year, day.month, day.day, 9)
    item = world.draft(now=now, deadline=deadline, deadline_override_reason="按会议要求", lead_unit=world.units[lead],
                       co_units=[world.units[c] for c in co], **kw)
    svc.submit_proposal(item.id, world.supervisor, now=now)
    svc.approve_proposal(item.id, world.leader, now=now)
    svc.accept(item.id, world.liaison[lead], responsible_person="张三", now=now)
    item.refresh_from_db()
    return item


def close(world, item, day: dt.date, *, unit="lead", returned_on: dt.date | None = None):
    if returned_on:
        t = aware(returned_on.year, returned_on.month, returned_on.day, 9)
        world.file_report(item, Report.Kind.COMPLETION, unit=unit, now=t)
        svc.review(item.id, world.supervisor, accept=False, criteria={}, comment="整改措施不具体，退回重办", now=t)
    t = aware(day.year, day.month, day.day, 15)
    if item.deadline and day > item.deadline:
        world.file_report(item, Report.Kind.EXPLANATION, body="因协调用地超期，现已完成。", unit=unit, now=t)
    world.file_report(item, Report.Kind.COMPLETION, unit=unit, now=t)
    svc.review(item.id, world.supervisor, accept=True, criteria=dict.fromkeys(svc.REVIEW_CRITERIA, True), now=t)
    svc.close(item.id, world.leader, now=t)
    item.refresh_from_db()
    assert item.status == Status.CLOSED
    return item


def build_october(world, other_world=None) -> dict:
    a = registered(world, dt.date(2026, 9, 10), deadline=dt.date(2026, 10, 20), co=("co",), title="事项A")
    close(world, a, dt.date(2026, 10, 15))
    b = registered(world, dt.date(2026, 10, 8), deadline=dt.date(2026, 10, 20), title="事项B")
    close(world, b, dt.date(2026, 10, 23), returned_on=dt.date(2026, 10, 18))
    c = registered(world, dt.date(2026, 10, 9), deadline=dt.date(2026, 10, 30), lead="other", co=("lead",), title="事项C")
    ext = svc.request_extension(c.id, world.liaison["other"], until=dt.date(2026, 11, 30), reason="需协调用地",
                                progress="已完成方案", now=aware(2026, 10, 12))
    svc.decide_extension(ext.id, world.office_head, approve=False, comment="不同意", now=aware(2026, 10, 13))
    urge = issue_notice(c, Notice.Kind.URGE_NOTICE, now=aware(2026, 10, 31))
    order = issue_notice(c, Notice.Kind.SUPERVISION_ORDER, now=aware(2026, 11, 2))
    f = registered(world, dt.date(2026, 10, 5), deadline=dt.date(2026, 12, 31), lead="co", title="事项F",
                   report_cycle=ReportCycle.MONTHLY)
    missed = ReportObligation.objects.create(item=f, period_start=dt.date(2026, 10, 1), period_end=START.replace(day=31),
                                             due=dt.date(2026, 10, 31), state=ReportObligation.State.MISSED)
    world.draft(title="草拟中的事项")
    if other_world is not None:
        registered(other_world, dt.date(2026, 10, 8), deadline=dt.date(2026, 10, 20), title="别的组织的事项")
    return {"a": a, "b": b, "c": c, "f": f, "urge": urge, "order": order, "missed": missed, "extension": ext}
