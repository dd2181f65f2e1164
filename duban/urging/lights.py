"""Warning lights (issue 3, point 1): green on track, yellow due within the organisation's warning
window, red overdue; and a stall mark when nothing has moved for N working days.

The light is computed in the query from two dates per request (the warning boundary and the stall
boundary), so lists filter and sort by it through the (status, deadline) index."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from duban.deadlines import services as deadlines
from duban.items.models import Status

LIGHT_STATUSES = (Status.ASSIGNED, Status.DECLINED, Status.IN_PROGRESS)  # the units still owe work
STALL_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS)

NONE, GREEN, YELLOW, RED = 0, 1, 2, 3
LABELS = {GREEN: "正常", YELLOW: "临期", RED: "超期"}
COLORS = {GREEN: "success", YELLOW: "warning", RED: "danger"}
CHOICES = [("red", "超期（红灯）"), ("yellow", "临期（黄灯）"), ("green", "正常（绿灯）"), ("stalled", "停滞"),
           ("missing", "定期报告缺报")]


@dataclass(frozen=True)
class Boundaries:
    today: dt.date
    warning: dt.date  # due on or before this (and not overdue): yellow
    stall: dt.datetime  # no progress since before this: stalled


def boundaries(org, *, now=None) -> Boundaries:
    from .models import UrgingPolicy

    now = now or timezone.now()
    today = timezone.localdate(now)
    # One per organisation: read by the key, without first()'s ORDER BY to compile.
    policy = next(iter(UrgingPolicy.objects.filter(org=org).order_by()[:1]), None) or UrgingPolicy()
    warning = deadlines.shift_working_days(today, policy.warning_working_days)
    stall_day = deadlines.shift_working_days(today, -policy.stall_working_days)
    stall = timezone.make_aware(dt.datetime.combine(stall_day, dt.time.min))
    return Boundaries(today, warning, stall)


def light_of(status: str, deadline: dt.date | None, b: Boundaries) -> int:
    """The same rule as `annotate`, for one item in hand."""
    if status not in LIGHT_STATUSES or deadline is None:
        return NONE
    if deadline < b.today:
        return RED
    if deadline <= b.warning:
        return YELLOW
    return GREEN


def is_stalled(status: str, last_progress_at, b: Boundaries) -> bool:
    return status in STALL_STATUSES and last_progress_at is not None and last_progress_at < b.stall


def annotate(qs: QuerySet, b: Boundaries) -> QuerySet:
    open_ = Q(status__in=LIGHT_STATUSES, deadline__isnull=False)
    return qs.annotate(
        light=Case(
            When(open_ & Q(deadline__lt=b.today), then=Value(RED)),
            When(open_ & Q(deadline__lte=b.warning), then=Value(YELLOW)),
            When(open_, then=Value(GREEN)),
            default=Value(NONE), output_field=IntegerField(),
        ),
        stalled=Case(
            When(Q(status__in=STALL_STATUSES, last_progress_at__lt=b.stall), then=Value(True)),
            default=Value(False), output_field=BooleanField(),
        ),
    )


def filter_light(qs: QuerySet, light: str, b: Boundaries) -> QuerySet:
    """Filter by plain date comparisons, so the database can use its indexes."""
    open_ = Q(status__in=LIGHT_STATUSES, deadline__isnull=False)
    if light == "red":
        return qs.filter(open_, deadline__lt=b.today)
    if light == "yellow":
        return qs.filter(open_, deadline__gte=b.today, deadline__lte=b.warning)
    if light == "green":
        return qs.filter(open_, deadline__gt=b.warning)
    if light == "stalled":
        return qs.filter(status__in=STALL_STATUSES, last_progress_at__lt=b.stall)
    if light == "missing":
        from .models import ReportObligation

        missed = ReportObligation.objects.filter(item_id=OuterRef("pk"), state=ReportObligation.State.MISSED)
        return qs.filter(status__in=LIGHT_STATUSES).filter(Exists(missed))
    return qs
