"""Reads of plans and their roll-ups. Leaf items are always read through ``items_visible_to``;
the figures of a plan (counts and rates) are aggregates and count every leaf."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from duban.items.counting import (  # noqa: F401  (end_of_day, rate, rollup_items: kept importable from here)
    DONE_STATUSES, OPEN_STATUSES, done_q, end_of_day, overdue_q, rate, rollup_items,
)
from duban.items.models import Item, Status
from duban.items.selectors import items_visible_to
from duban.orgs.models import Role

from .models import Plan, PlanNode

PLAN_READERS = (Role.SUPERVISOR, Role.OFFICE_HEAD, Role.ADMIN, Role.PRINCIPAL_LEADER, Role.RESPONSIBLE_LEADER)


def plans_visible_to(user) -> QuerySet[Plan]:
    """The office and the leaders read their organisation's plans; units read their own items."""
    if not user.is_authenticated or not user.org_id or user.role not in PLAN_READERS:
        return Plan.objects.none()
    return Plan.objects.filter(org_id=user.org_id)


def can_edit_plans(user, plan: Plan | None = None) -> bool:
    return (
        user.is_authenticated and user.role in (Role.SUPERVISOR, Role.OFFICE_HEAD)
        and (plan is None or plan.org_id == user.org_id)
    )


def subtree_prefix(node: PlanNode | None) -> str:
    return "" if node is None else node.path


def leaf_items(plan: Plan, node: PlanNode | None = None) -> QuerySet[Item]:
    """Every leaf item under ``node`` (the whole plan if None): one indexed range on the path."""
    qs = Item.objects.filter(plan_node__plan=plan)
    if node is not None:
        qs = qs.filter(plan_node__path__startswith=node.path + ".")
    return qs


@dataclass
class Rollup:
    total: int = 0
    done: int = 0
    overdue: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def under_way(self) -> int:
        return self.total - self.done

    @property
    def rate(self) -> Decimal:
        return rate(self.done, self.total)

    def status_rows(self):
        return [(Status(s).label, s, n) for s, n in sorted(self.by_status.items(), key=lambda kv: Status.values.index(kv[0]))]


def rollup(items: QuerySet[Item], *, as_of: dt.date | None = None, today: dt.date | None = None) -> Rollup:
    """Counts of a set of leaves in one aggregate query: total, done, overdue, and by state."""
    today = today or timezone.localdate()
    rows = items.order_by().values("status").annotate(
        n=Count("id"),
        done=Count("id", filter=done_q(as_of)),
        overdue=Count("id", filter=overdue_q(today)),
    )
    r = Rollup()
    for row in rows:
        r.total += row["n"]
        r.done += row["done"]
        r.overdue += row["overdue"]
        r.by_status[row["status"]] = row["n"]
    return r


def plan_figures(plans, *, today: dt.date | None = None) -> dict[int, Rollup]:
    """The roll-up of each plan of a list, in one query grouped by plan and state."""
    today = today or timezone.localdate()
    rows = Item.objects.filter(plan_node__plan__in=plans).order_by().values("plan_node__plan_id", "status").annotate(
        n=Count("id"), done=Count("id", filter=done_q()),
        overdue=Count("id", filter=overdue_q(today)),
    )
    figures = {p.id: Rollup() for p in plans}
    for row in rows:
        r = figures[row["plan_node__plan_id"]]
        r.total += row["n"]
        r.done += row["done"]
        r.overdue += row["overdue"]
        r.by_status[row["status"]] = row["n"]
    return figures


def visible_leaves(user, plan: Plan) -> QuerySet[Item]:
    return items_visible_to(user).filter(plan_node__plan=plan)


# --- the three lists ---------------------------------------------------------------------------

@dataclass
class LedgerFilters:
    category: int | None = None
    problem: int | None = None
    deadline_class: str = ""
    unit: int | None = None
    leader: int | None = None
    state: str = ""  # done | under_way | overdue
    q: str = ""


STATE_CHOICES = (("", "全部"), ("done", "已整改"), ("under_way", "正在整改"), ("overdue", "已超期"))


def measure_nodes(user, plan: Plan, filters: LedgerFilters | None = None, *, today=None) -> QuerySet[PlanNode]:
    """The measure (task) list: leaves the user may see, with everything the lists show joined."""
    from django.db.models import Prefetch

    from duban.items.models import Assignment

    f = filters or LedgerFilters()
    today = today or timezone.localdate()
    qs = PlanNode.objects.filter(plan=plan, level=PlanNode.Level.MEASURE, item__in=items_visible_to(user))
    if f.category:
        cat = PlanNode.objects.filter(plan=plan, pk=f.category).values_list("path", flat=True).first()
        qs = qs.filter(path__startswith=(cat or "-") + ".")
    if f.problem:
        qs = qs.filter(parent_id=f.problem)
    if f.deadline_class:
        qs = qs.filter(Q(deadline_class=f.deadline_class) | Q(deadline_class="", parent__deadline_class=f.deadline_class))
    if f.unit:
        from django.db.models import Exists, OuterRef

        qs = qs.filter(Exists(Assignment.objects.filter(item_id=OuterRef("item_id"), unit_id=f.unit)))
    if f.leader:
        qs = qs.filter(item__responsible_leader_id=f.leader)
    if f.state == "done":
        qs = qs.filter(item__status__in=DONE_STATUSES)
    elif f.state == "under_way":
        qs = qs.exclude(item__status__in=DONE_STATUSES)
    elif f.state == "overdue":
        qs = qs.filter(item__status__in=OPEN_STATUSES, item__deadline__lt=today)
    if f.q:
        q = f.q.strip()[:100]
        qs = qs.filter(Q(title__contains=q) | Q(item__content__contains=q) | Q(parent__title__contains=q))
    return qs.select_related(
        "item", "item__lead_unit", "item__responsible_leader", "parent", "parent__parent",
    ).prefetch_related(
        Prefetch("item__assignments", queryset=Assignment.objects.select_related("unit").order_by("id")),
    ).order_by("path")


@dataclass
class ProblemRow:
    node: PlanNode
    category: PlanNode | None
    measures: int = 0
    done: int = 0
    overdue: int = 0
    leaders: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)

    @property
    def is_done(self) -> bool:
        return self.measures > 0 and self.done == self.measures

    @property
    def rate(self) -> Decimal:
        return rate(self.done, self.measures)


def problem_rows(plan: Plan, filters: LedgerFilters | None = None, *, as_of=None, today=None) -> list[ProblemRow]:
    """The problem list: each problem's measures rolled up (one query for the counts, one for names),
    narrowed by the list's filters (a problem's state is derived, so it filters after the counts)."""
    f = filters or LedgerFilters()
    today = today or timezone.localdate()
    problems = PlanNode.objects.filter(plan=plan, level=PlanNode.Level.PROBLEM).select_related("parent").order_by("path")
    if f.deadline_class:
        problems = problems.filter(deadline_class=f.deadline_class)
    if f.q:
        problems = problems.filter(title__contains=f.q.strip()[:100])
    if f.category:
        cat = PlanNode.objects.filter(plan=plan, pk=f.category).values_list("path", flat=True).first()
        problems = problems.filter(path__startswith=(cat or "-") + ".")
    rows = {p.id: ProblemRow(p, p.parent) for p in problems}
    leaves = leaf_items(plan)
    counts = leaves.order_by().values("plan_node__parent_id").annotate(
        n=Count("id"), done=Count("id", filter=done_q(as_of)),
        overdue=Count("id", filter=overdue_q(today)),
    )
    for c in counts:
        r = rows.get(c["plan_node__parent_id"])
        if r:
            r.measures, r.done, r.overdue = c["n"], c["done"], c["overdue"]
    names = leaves.order_by("plan_node__parent_id", "lead_unit__order", "lead_unit_id").values_list(
        "plan_node__parent_id", "lead_unit__name", "responsible_leader__full_name").distinct()
    for pid, unit, leader in names:
        r = rows.get(pid)
        if r:
            if unit and unit not in r.units:
                r.units.append(unit)
            if leader and leader not in r.leaders:
                r.leaders.append(leader)
    out = list(rows.values())
    if f.state == "done":
        out = [r for r in out if r.is_done]
    elif f.state == "under_way":
        out = [r for r in out if not r.is_done]
    elif f.state == "overdue":
        out = [r for r in out if r.overdue]
    return out


def tree_nodes(user, plan: Plan, *, measures: bool = True) -> QuerySet[PlanNode]:
    """The plan's structure in path order. A measure is an item: it shows only to who may see the
    item (drafts, secret items), as in the lists."""
    qs = PlanNode.objects.filter(plan=plan).filter(Q(item__isnull=True) | Q(item__in=items_visible_to(user)))
    if not measures:
        qs = qs.exclude(level=PlanNode.Level.MEASURE)
    return qs.select_related("item", "item__lead_unit").order_by("path")


def node_figures(plan: Plan, *, today=None) -> dict[int, tuple[int, int]]:
    """(done, total) measures under each problem and category, from ``problem_rows``' counts."""
    counts: dict[int, tuple[int, int]] = {}
    for r in problem_rows(plan, today=today):
        counts[r.node.id] = (r.done, r.measures)
        if r.category:
            done, total = counts.get(r.category.id, (0, 0))
            counts[r.category.id] = (done + r.done, total + r.measures)
    return counts


def ledger_context_of(user, item: Item) -> dict:
    """What an item's page shows of ledgers: the plan and problem a measure belongs to, and the
    plans that decompose the item, with their figures (one query each)."""
    # One node per item at most (a one-to-one): no ORDER BY for first() to compile.
    node = next(iter(PlanNode.objects.filter(item=item).select_related("plan", "parent").order_by()[:1]), None)
    readable = plans_visible_to(user)
    plans = list(readable.filter(source_item=item)) if user.role in PLAN_READERS else []
    return {
        "node": node,
        "node_plan_readable": node is not None and readable.filter(pk=node.plan_id).exists(),
        "decompositions": [(p, rollup(leaf_items(p))) for p in plans],
        "can_decompose": can_edit_plans(user) and user.org_id == item.org_id
        and item.status not in (Status.DRAFT, Status.PENDING_APPROVAL, Status.ARCHIVED),
    }
