"""What counts as done, on time, overdue, and the rate: defined once, below every reader of figures.

The plan roll-ups (``duban.ledgers``), the upper office's view of what it sent down
(``duban.items.selectors``), the period facts of circulars and assessment (``duban.figures``) and the
leaders' dashboard all count with these definitions (issue 9, "Figures are counted once"). This
module imports only ``duban.items.models`` and Django, so any layer may import it.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .models import OPEN_STATUSES, Item, Status

DONE_STATUSES = (Status.CLOSED, Status.ARCHIVED)

__all__ = ["DONE_STATUSES", "OPEN_STATUSES", "done_q", "end_of_day", "on_time_q", "overdue_q", "rate", "rollup_items"]


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the local time zone (closing "on the 30th" counts until midnight)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def done_q(as_of: dt.date | None = None) -> Q:
    """An item is done (已办结; a plan's leaf: 已整改) when closed or archived, by the end of ``as_of`` if given."""
    q = Q(status__in=DONE_STATUSES)
    if as_of is not None:
        q &= Q(closed_at__lt=end_of_day(as_of))
    return q


def on_time_q() -> Q:
    """Done, and closed on a local date on or before the deadline in force (the deadline as extended
    by an approved extension; an item without a deadline cannot be late)."""
    return done_q() & (Q(deadline__isnull=True) | Q(closed_at__date__lte=F("deadline")))


def overdue_q(today: dt.date) -> Q:
    """Open and past its deadline today (the deadline day itself is still in time)."""
    return Q(status__in=OPEN_STATUSES, deadline__lt=today)


def rate(done: int, total: int) -> Decimal:
    """A rate in per cent, two decimals, rounded half up: 170/193 → 88.08 (seed 003); 0.00 of nothing."""
    if not total:
        return Decimal("0.00")
    return (Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rollup_items(item: Item) -> QuerySet[Item]:
    """The leaves of every plan that decomposes ``item`` (e.g. an item received from the upper level)."""
    return Item.objects.filter(plan_node__plan__source_item=item)
