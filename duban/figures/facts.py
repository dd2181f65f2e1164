"""``unit_facts`` and ``fact_records``: the facts of a period, per unit, and the records behind them.

What is counted (every figure for items of the organisation only; a lower organisation's own
items are its own):

- an item counts for each unit handling it, lead or co (主办、协办; a declined assignment does not
  count): the co-unit answers for its part too (seed 001 art. 7(2), 002 art. 5(3));
- ``assigned``: items registered (立项交办) in the period;
- ``closed`` / ``closed_on_time``: items closed in the period / of those, closed on or before the
  deadline in force (``counting.on_time_q``);
- ``overdue_now``: open items past their deadline on ``today`` (``counting.overdue_q``);
- ``extensions``: extension requests the unit filed in the period;
- ``urge_notices`` / ``supervision_orders``: 催办单 / 督办令 issued to the unit in the period;
- ``returns_for_rework``: the office's reviews returning the unit's report in the period (退回重办);
- ``missed_reports``: periodic reports due in the period and missed (缺报, owed by the lead unit);
- ``plan_rate``: of the unit's items that are measures of a rectification plan, the rate done by
  the period's end (None if it has none).
"""

from __future__ import annotations

import datetime as dt
from operator import attrgetter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from duban.items.counting import DONE_STATUSES, OPEN_STATUSES, done_q, end_of_day, on_time_q, overdue_q, rate
from duban.items.models import Assignment, ExtensionRequest, Item, Review, Status
from duban.orgs.models import Unit
from duban.urging.models import Notice, ReportObligation

UNREGISTERED = (Status.DRAFT, Status.PENDING_APPROVAL)


@dataclass
class UnitFacts:
    unit_id: int
    unit_name: str
    assigned: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue_now: int = 0
    extensions: int = 0
    urge_notices: int = 0
    supervision_orders: int = 0
    returns_for_rework: int = 0
    missed_reports: int = 0
    plan_rate: Decimal | None = None
    plan_total: int = field(default=0, repr=False)
    plan_done: int = field(default=0, repr=False)

    @property
    def on_time_rate(self) -> Decimal | None:
        """Closed on time among closed in the period, per cent (None when nothing closed)."""
        return rate(self.closed_on_time, self.closed) if self.closed else None

    def as_dict(self) -> dict:
        """JSON-ready (rates as strings: a circular freezes these)."""
        d = {k: getattr(self, k) for k in FIELDS}
        for k in ("plan_rate", "on_time_rate"):
            d[k] = None if d[k] is None else str(d[k])
        return d


FIELDS = ("unit_id", "unit_name", "assigned", "closed", "closed_on_time", "overdue_now", "extensions",
          "urge_notices", "supervision_orders", "returns_for_rework", "missed_reports", "plan_rate", "on_time_rate")
COUNTS = ("assigned", "closed", "closed_on_time", "overdue_now", "extensions", "urge_notices",
          "supervision_orders", "returns_for_rework", "missed_reports")


def _on(prefix: str, q: Q) -> Q:
    """``q`` (written on Item) rewritten to apply through a relation: ``status`` → ``item__status``."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    out.children = [
        _on(prefix, c) if isinstance(c, Q)
        else (prefix + c[0], F(prefix + c[1].name) if isinstance(c[1], F) else c[1])
        for c in q.children
    ]
    return out


def _window(start: dt.date, end: dt.date):
    return end_of_day(start - dt.timedelta(days=1)), end_of_day(end)


def _check_period(start, end, today):
    if not all(isinstance(d, dt.date) for d in (start, end, today)) or start > end:
        raise ValueError("period must be two dates, start <= end, and today a date")


def _assignments(org):
    return Assignment.objects.filter(item__org=org).exclude(state=Assignment.State.DECLINED).exclude(
        item__status__in=UNREGISTERED)


def unit_facts(org, start: dt.date, end: dt.date, *, today: dt.date) -> list[UnitFacts]:
    """One row per unit of ``org`` that had work in the period (an item open at some time in it, or
    any event counted), in the units' order; six aggregate queries and one for the names."""
    _check_period(start, end, today)
    lo, hi = _window(start, end)
    item = lambda q: _on("item__", q)  # noqa: E731
    in_period = lambda field: Q(**{f"{field}__gte": lo, f"{field}__lt": hi})  # noqa: E731
    closed = item(done_q() & in_period("closed_at"))
    # Only what can count: open items, and items closed since the period began (an item registered
    # in the period is one or the other). Not the organisation's whole history.
    relevant = Q(item__status__in=OPEN_STATUSES) | Q(item__status__in=DONE_STATUSES, item__closed_at__gte=lo)
    rows = _assignments(org).filter(relevant).order_by().values("unit_id").annotate(
        worked=Count("id", filter=Q(item__registered_at__lt=hi)),
        assigned=Count("id", filter=Q(item__registered_at__gte=lo, item__registered_at__lt=hi)),
        closed=Count("id", filter=closed),
        closed_on_time=Count("id", filter=closed & item(on_time_q())),
        overdue_now=Count("id", filter=item(overdue_q(today))),
    )
    facts: dict[int, dict] = {}
    for r in rows:
        facts[r.pop("unit_id")] = r
    # A plan's rate counts all its measures, however long ago they were closed: a query of its own
    # over the (few) items that are plan measures.
    plans = _assignments(org).filter(item__plan_node__isnull=False, item__registered_at__lt=hi).order_by().values(
        "unit_id").annotate(plan_total=Count("id"), plan_done=Count("id", filter=item(done_q(as_of=end))))
    for r in plans:
        facts.setdefault(r.pop("unit_id"), {}).update(r)

    def add(unit_id, key, n):
        if unit_id is not None and n:
            facts.setdefault(unit_id, {})[key] = n

    for r in ExtensionRequest.objects.filter(item__org=org, created_at__gte=lo, created_at__lt=hi).order_by().values(
            "unit_id").annotate(n=Count("id")):
        add(r["unit_id"], "extensions", r["n"])
    for r in Notice.objects.filter(item__org=org, issued_at__gte=lo, issued_at__lt=hi).order_by().values(
            "unit_id", "kind").annotate(n=Count("id")):
        add(r["unit_id"], "urge_notices" if r["kind"] == Notice.Kind.URGE_NOTICE else "supervision_orders", r["n"])
    for r in Review.objects.filter(item__org=org, decision=Review.Decision.RETURN, at__gte=lo, at__lt=hi).order_by().values(
            "report__unit_id").annotate(n=Count("id")):
        add(r["report__unit_id"], "returns_for_rework", r["n"])
    for r in ReportObligation.objects.filter(item__org=org, state=ReportObligation.State.MISSED, due__gte=start,
                                             due__lte=end).order_by().values("item__lead_unit_id").annotate(n=Count("id")):
        add(r["item__lead_unit_id"], "missed_reports", r["n"])

    active = {uid for uid, f in facts.items() if f.get("worked") or any(f.get(k) for k in COUNTS)}
    out = []
    for unit in Unit.objects.filter(org=org, pk__in=active).order_by("order", "id").only("id", "name"):
        f = facts[unit.id]
        row = UnitFacts(unit_id=unit.id, unit_name=unit.name, **{k: f.get(k, 0) for k in COUNTS},
                        plan_total=f.get("plan_total", 0), plan_done=f.get("plan_done", 0))
        row.plan_rate = rate(row.plan_done, row.plan_total) if row.plan_total else None
        out.append(row)
    return out


@dataclass(frozen=True)
class FactRecord:
    """One record behind a count, for the assessment to attach a point to what earned it."""

    unit_id: int
    kind: str  # overdue | urge_notice | supervision_order | return_for_rework | missed_report | closed_early | closed
    at: dt.date
    item_id: int
    item_number: str
    ref_model: str  # "items.Item", "urging.Notice", "items.Review", "urging.ReportObligation"
    ref_id: int
    label: str


ITEM = "items.Item"
KINDS = ("overdue", "urge_notice", "supervision_order", "return_for_rework", "missed_report", "closed_early", "closed")


def fact_records(org, start: dt.date, end: dt.date, *, today: dt.date, unit_ids=None,
                 kinds=None) -> list[FactRecord]:
    """The records behind ``unit_facts``, one per (unit, event), sorted by unit and date:

    - ``closed``: each item closed in the period (``UnitFacts.closed``); ``closed_early`` besides,
      when it closed before the day of its deadline (提前办结);
    - ``overdue``: each open item overdue on ``today`` (``overdue_now``), dated the first day late,
      and each item closed late in the period (``closed - closed_on_time``, 逾期办结);
    - ``urge_notice``, ``supervision_order``, ``return_for_rework``, ``missed_report``: each notice,
      returning review and missed periodic report counted in ``unit_facts``.

    ``kinds``: only these kinds (the assessment leaves out ``closed``, which it does not score:
    62,000 records of the bench's year).
    """
    _check_period(start, end, today)
    lo, hi = _window(start, end)
    units = None if unit_ids is None else [int(u) for u in unit_ids]
    want = frozenset(KINDS if kinds is None else kinds)
    out: list[FactRecord] = []

    def mine(qs, field):
        return qs if units is None else qs.filter(**{f"{field}__in": units})

    # Tuples, not model instances: a year of a large city is 100,000+ records.
    local = timezone.get_current_timezone()
    asg = mine(_assignments(org), "unit_id").order_by()
    one_day = dt.timedelta(days=1)
    # Two queries, each on its own index path (open items by deadline; items closed in the period).
    overdue = asg.filter(_on("item__", overdue_q(today))).values_list(
        "unit_id", "item_id", "item__number", "item__title", "item__deadline")
    for unit_id, item_id, number, title, deadline in overdue.iterator(chunk_size=5000):
        out.append(FactRecord(unit_id, "overdue", deadline + one_day, item_id, number, ITEM, item_id,
                              f"{number} {title}：逾期未办结（时限{deadline.isoformat()}）"))
    closed = asg.filter(_on("item__", done_q()), item__closed_at__gte=lo, item__closed_at__lt=hi).values_list(
        "unit_id", "item_id", "item__number", "item__title", "item__deadline", TruncDate("item__closed_at"))
    for unit_id, item_id, number, title, deadline, day in closed.iterator(chunk_size=5000):
        if "closed" in want:
            out.append(FactRecord(unit_id, "closed", day, item_id, number, ITEM, item_id, f"{number} {title}：办结"))
        if deadline and day < deadline:
            out.append(FactRecord(unit_id, "closed_early", day, item_id, number, ITEM, item_id,
                                  f"{number} {title}：提前办结（时限{deadline.isoformat()}）"))
        elif deadline and day > deadline:
            out.append(FactRecord(unit_id, "overdue", day, item_id, number, ITEM, item_id,
                                  f"{number} {title}：逾期办结（时限{deadline.isoformat()}）"))

    kind_label = dict(Notice.Kind.choices)
    notices = mine(Notice.objects.filter(item__org=org, issued_at__gte=lo, issued_at__lt=hi), "unit_id").values_list(
        "id", "unit_id", "kind", "number", "issued_at", "item_id", "item__number", "item__title")
    for pk, unit_id, kind, notice_number, at, item_id, number, title in notices.iterator(chunk_size=5000):
        out.append(FactRecord(unit_id, kind, at.astimezone(local).date(), item_id, number, "urging.Notice", pk,
                              f"{kind_label[kind]}{notice_number}（{number} {title}）"))

    reviews = mine(Review.objects.filter(item__org=org, decision=Review.Decision.RETURN, at__gte=lo, at__lt=hi),
                   "report__unit_id").values_list("id", "report__unit_id", "at", "item_id", "item__number", "item__title")
    for pk, unit_id, at, item_id, number, title in reviews:
        out.append(FactRecord(unit_id, "return_for_rework", at.astimezone(local).date(), item_id, number,
                              "items.Review", pk, f"{number} {title}：办结报告退回重办"))

    missed = mine(ReportObligation.objects.filter(item__org=org, state=ReportObligation.State.MISSED,
                                                  due__gte=start, due__lte=end, item__lead_unit__isnull=False),
                  "item__lead_unit_id").values_list("id", "item__lead_unit_id", "due", "period_start", "period_end",
                                                    "item_id", "item__number", "item__title")
    for pk, unit_id, due, p_start, p_end, item_id, number, title in missed:
        out.append(FactRecord(unit_id, "missed_report", due, item_id, number, "urging.ReportObligation", pk,
                              f"{number} {title}：{p_start.month:02d}月{p_start.day:02d}日至{p_end.month:02d}月{p_end.day:02d}日定期报告缺报"))

    if kinds is not None:
        out = [r for r in out if r.kind in want]
    out.sort(key=attrgetter("unit_id", "at"))  # stable: within a day, items before notices, reviews, reports
    return out



@dataclass
class PeriodTotals:
    """The organisation's own figures for the period, each item counted once (a unit row counts an
    item once per unit handling it, so unit rows do not add up to these)."""

    assigned: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue_now: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.closed_on_time, self.closed) if self.closed else None

    def as_dict(self) -> dict:
        r = self.on_time_rate
        return {"assigned": self.assigned, "closed": self.closed, "closed_on_time": self.closed_on_time,
                "overdue_now": self.overdue_now, "on_time_rate": None if r is None else str(r)}


def period_totals(org, start: dt.date, end: dt.date, *, today: dt.date) -> PeriodTotals:
    """Items of ``org`` registered, closed, closed on time in the period and overdue on ``today``: one query."""
    _check_period(start, end, today)
    lo, hi = _window(start, end)
    closed = done_q() & Q(closed_at__gte=lo, closed_at__lt=hi)
    agg = Item.objects.filter(org=org).exclude(status__in=UNREGISTERED).aggregate(
        assigned=Count("id", filter=Q(registered_at__gte=lo, registered_at__lt=hi)),
        closed=Count("id", filter=closed),
        closed_on_time=Count("id", filter=closed & on_time_q()),
        overdue_now=Count("id", filter=overdue_q(today)),
    )
    return PeriodTotals(**agg)
