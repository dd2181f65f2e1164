"""Periodic reporting: each period's report is owed, reminded, and flagged when missing
(issue 3, point 4; 000 art. 4(2); 001 art. 12)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from duban.deadlines import services as deadlines
from duban.items.models import Item, Report, ReportCycle, Status
from duban.items.services import record

from .ladder import recipients, send
from .models import Recipient, ReportObligation

OPEN = (Status.ASSIGNED, Status.IN_PROGRESS)
REMIND_WORKING_DAYS = 3
COUNTING = (Report.Kind.PROGRESS, Report.Kind.COMPLETION)


def period_of(cycle: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar period of `cycle` that contains `day`: week (Mon–Sun), month, quarter, half-year."""
    if cycle == ReportCycle.WEEKLY:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    months = {ReportCycle.MONTHLY: 1, ReportCycle.QUARTERLY: 3, ReportCycle.HALF_YEARLY: 6}[cycle]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    end_month = first_month + months
    end = (dt.date(day.year + 1, 1, 1) if end_month > 12 else dt.date(day.year, end_month, 1)) - dt.timedelta(days=1)
    return start, end


def due_date(period_end: dt.date) -> dt.date:
    """The period's last day, or the next working day where it is a rest day (Civil Code art. 203)."""
    return deadlines.add_calendar_days(period_end - dt.timedelta(days=1), 1).date


def sweep_obligations(*, now=None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"opened": 0, "fulfilled": 0, "reminded": 0, "missed": 0}

    # 1. open this period's obligation for every open item on a cycle (a few queries per cycle)
    for cycle in [c for c in ReportCycle.values if c]:
        start, end = period_of(cycle, today)
        due = due_date(end)
        items = Item.objects.filter(status__in=OPEN, report_cycle=cycle)
        have = ReportObligation.objects.filter(item_id=OuterRef("pk"), period_start=start)
        new = [ReportObligation(item_id=i, period_start=start, period_end=end, due=due)
               for i in items.exclude(Exists(have)).values_list("id", flat=True)]
        ReportObligation.objects.bulk_create(new, ignore_conflicts=True)  # a concurrent sweep may have made some
        counts["opened"] += len(new)

    # 2. settle what a report has fulfilled
    filed = Report.objects.filter(
        item_id=OuterRef("item_id"), kind__in=COUNTING, submitted_at__date__gte=OuterRef("period_start"),
        submitted_at__date__lte=OuterRef("due"))
    counts["fulfilled"] = ReportObligation.objects.filter(state=ReportObligation.State.OPEN).filter(Exists(filed)).update(
        state=ReportObligation.State.FULFILLED, settled_at=now)

    # 3. remind once, a few working days before the due date
    remind_until = deadlines.shift_working_days(today, REMIND_WORKING_DAYS)
    for ob in ReportObligation.objects.filter(state=ReportObligation.State.OPEN, reminded_at__isnull=True,
                                              due__gte=today, due__lte=remind_until).select_related("item"):
        with transaction.atomic():
            if ReportObligation.objects.filter(pk=ob.pk, reminded_at__isnull=True).update(reminded_at=now):
                text = (f"督查事项“{ob.item.title}”须于{ob.due:%Y年%m月%d日}前报送"
                        f"{ob.period_start:%Y年%m月%d日}至{ob.period_end:%m月%d日}的进展情况。")
                send(recipients(ob.item, [Recipient.LIAISON]), kind="report_due", title=f"定期报告提醒：{ob.item.title}",
                     body=text, item=ob.item, now=now)
                counts["reminded"] += 1

    # 4. flag the ones past due with no report (after step 2, so a late sweep still credits a report)
    for ob in ReportObligation.objects.filter(state=ReportObligation.State.OPEN, due__lt=today).select_related("item"):
        with transaction.atomic():
            if ReportObligation.objects.filter(pk=ob.pk, state=ReportObligation.State.OPEN).update(
                    state=ReportObligation.State.MISSED, settled_at=now):
                text = f"{ob.period_start:%Y年%m月%d日}至{ob.period_end:%m月%d日}的定期进展报告逾期未报（期限{ob.due:%Y年%m月%d日}）。"
                record(ob.item, None, "report_missed", comment=text, now=now,
                       data={"period_start": ob.period_start.isoformat(), "due": ob.due.isoformat()})
                send(recipients(ob.item, [Recipient.LIAISON, Recipient.SUPERVISOR]), kind="report_missing",
                     title=f"缺报：{ob.item.title}", body=text, item=ob.item, now=now)
                counts["missed"] += 1
    return counts
