"""Reads. ``items_visible_to(user)`` is the only door to items: every list, search, export, API
answer and file download starts from it (issue 2, "Visibility")."""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce

from django.db.models import (BooleanField, Count, Exists, ExpressionWrapper, IntegerField, OuterRef, Prefetch, Q,
                              QuerySet, Value)
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from duban.orgs.acting import acting_for
from duban.orgs.models import Role

from . import workflow
from .counting import DONE_STATUSES, overdue_q, rate, rollup_items
from .models import OPEN_STATUSES, Assignment, Attachment, Event, ExtensionRequest, Item, Report, Status

UNREGISTERED = (Status.DRAFT, Status.PENDING_APPROVAL)
ORG_WIDE_ROLES = (Role.SUPERVISOR, Role.OFFICE_HEAD, Role.ADMIN, Role.PRINCIPAL_LEADER, Role.RESPONSIBLE_LEADER)


def items_visible_to(user) -> QuerySet[Item]:
    """Office and leaders see all the organisation's items; a unit sees the items it is lead or
    co-unit of; a secret item only the people named on it and the office head (seed 002 art. 7(5)).

    A lower organisation's office also sees, as its unit in the upper organisation, the upper
    items assigned to that unit, and nothing else of the upper organisation; the upper office sees
    nothing of the lower organisation's own items (一级抓一级, seed 001 arts. 3, 5)."""
    if not user.is_authenticated or not user.org_id:
        return Item.objects.none()
    qs = Item.objects.filter(org_id=user.org_id)
    if user.role in (Role.SUPERVISOR, Role.OFFICE_HEAD, Role.ADMIN):
        pass
    elif user.role in (Role.PRINCIPAL_LEADER, Role.RESPONSIBLE_LEADER):
        qs = qs.exclude(status=Status.DRAFT)
    elif user.unit_id:
        mine = Assignment.objects.filter(item=OuterRef("pk"), unit_id=user.unit_id)
        qs = qs.filter(Exists(mine)).exclude(status__in=UNREGISTERED)
    else:
        return Item.objects.none()
    if user.role != Role.OFFICE_HEAD:
        if user.role in ORG_WIDE_ROLES:
            # Nothing else narrows these users' lists: an uncorrelated IN over the (few) secret items
            # they are named on is costed and run once, where EXISTS is costed once per row.
            named = Item.named_people.through.objects.filter(user_id=user.id, item__is_secret=True).values("item_id")
            qs = qs.filter(Q(is_secret=False) | Q(pk__in=named) | Q(drafter_id=user.id))
        else:
            named = Item.named_people.through.objects.filter(item_id=OuterRef("pk"), user_id=user.id)
            qs = qs.filter(Q(is_secret=False) | Q(Exists(named)) | Q(drafter_id=user.id))
    linked = acting_for(user).linked
    if linked:
        qs = Item.objects.filter(Q(pk__in=qs.values("pk")) | _received_q(user, linked))
    return qs


def count_visible(user) -> int:
    """``items_visible_to(user).count()``: the unfiltered list's total and the API's ``count``.

    Counted as everything in the person's reach less what the door above keeps back from them.
    The reach: the organisation's items for the office and leaders, else the unit's assignments
    (one per item and unit); both counted from an index alone. Kept back: drafts from leaders,
    drafts and proposals awaiting approval from units, and secret items neither drafted by nor
    naming the person from all but the office head; few, and found from their own indexes. The
    door's own query tests each item in reach instead: 11–13 ms for the office's 100,000 and 17 ms
    for the busiest unit's 13,000, where this takes about 8 (issue 13). An item's units are its
    organisation's: the services assign no other (``services._check_units``, the ledger and
    proposal imports). tests/items/test_scoping.py holds the two counts equal for every role."""
    if not (user.is_authenticated and user.org_id) or acting_for(user).linked:
        return items_visible_to(user).count()
    kept_back = Q(pk__in=[])
    if user.role in ORG_WIDE_ROLES:
        reach, key = Item.objects.filter(org_id=user.org_id).order_by(), "pk"
        if user.role in (Role.PRINCIPAL_LEADER, Role.RESPONSIBLE_LEADER):
            kept_back |= Q(status=Status.DRAFT)
    elif user.unit_id:
        # The unit's organisation is the user's, as the door's org filter asks.
        reach, key = Assignment.objects.filter(unit_id=user.unit_id, unit__org_id=user.org_id).order_by(), "item_id"
        kept_back |= Q(status__in=UNREGISTERED)
    else:
        return 0
    if user.role != Role.OFFICE_HEAD:
        named = Item.named_people.through.objects.filter(user_id=user.id, item__is_secret=True).values("item_id")
        kept_back |= Q(is_secret=True) & ~Q(drafter_id=user.id) & ~Q(pk__in=named)
    total = reach.count()
    if user.role == Role.OFFICE_HEAD or not total:
        return total
    if key == "pk":
        return total - reach.filter(kept_back).count()
    return total - reach.filter(item_id__in=Item.objects.filter(kept_back).values("pk")).count()


def _received_q(user, linked) -> Q:
    """Upper items assigned to the unit standing for the user's organisation, once registered; a
    secret one only if the user is named on it (the office head of the lower level is not the
    office head of the upper level)."""
    assigned = Assignment.objects.filter(item=OuterRef("pk"), unit_id__in=linked)
    named = Item.named_people.through.objects.filter(item_id=OuterRef("pk"), user_id=user.id)
    return Q(Exists(assigned)) & ~Q(status__in=UNREGISTERED) & (Q(is_secret=False) | Q(Exists(named)))


def with_list_columns(qs: QuerySet[Item]) -> QuerySet[Item]:
    return qs.select_related("lead_unit", "responsible_leader").order_by("-id")


def get_visible_item(user, item_id) -> Item | None:
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        return None
    found = list(
        items_visible_to(user)
        # Not upper_item: few items have one, and its join doubled the query's planning time.
        .select_related("org", "lead_unit", "responsible_leader", "drafter", "deadline_rule")
        .prefetch_related(Prefetch("assignments", Assignment.objects.select_related("unit")))
        .filter(pk=item_id)
        .order_by()[:1]  # one row by its key: no ORDER BY to compile over the hundred columns
    )
    return found[0] if found else None


def week_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    start = today - dt.timedelta(days=today.weekday())
    return start, start + dt.timedelta(days=6)


def month_range(period: str) -> tuple[dt.datetime, dt.datetime]:
    """The local instants bounding "YYYY" or "YYYY-MM" (a year or a month), end excluded."""
    year, _, month = period.partition("-")
    y, m = int(year), int(month or 1)
    start = dt.datetime(y, m, 1)
    end = dt.datetime(y + 1, 1, 1) if not month else dt.datetime(y + (m == 12), m % 12 + 1, 1)
    return timezone.make_aware(start), timezone.make_aware(end)


def filter_items(qs: QuerySet[Item], *, status=None, kind=None, unit=None, leader=None, overdue=False,
                 due_this_week=False, q=None, today=None, year=None, registered_in=None,
                 closed_in=None, unit_role=None) -> QuerySet[Item]:
    """The item list's filters; `q` searches titles and numbers by Chinese substring. `year` is the
    year of registration (the number's year); `registered_in` a month "YYYY-MM" and `closed_in` a
    year or month of closing (the dashboard's bars link here with them); `unit_role` narrows `unit`
    to the items it leads ("lead") or co-handles ("co")."""
    today = today or timezone.localdate()
    if year:
        qs = qs.filter(year=year)
    if registered_in:
        start, end = month_range(registered_in)
        qs = qs.filter(year=start.year, registered_at__gte=start, registered_at__lt=end)
    if closed_in:
        start, end = month_range(closed_in)
        qs = qs.filter(status__in=DONE_STATUSES, closed_at__gte=start, closed_at__lt=end)
    if status:
        if status == "open":
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif status == "done":
            qs = qs.filter(status__in=DONE_STATUSES)
        else:
            qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if unit and unit_role == "lead":
        qs = qs.filter(lead_unit_id=unit)
    elif unit:
        role = {"role": Assignment.Role.CO} if unit_role == "co" else {}
        qs = qs.filter(Exists(Assignment.objects.filter(item=OuterRef("pk"), unit_id=unit, **role)))
    if leader:
        qs = qs.filter(responsible_leader_id=leader)
    if overdue:
        qs = qs.filter(overdue_q(today))
    if due_this_week:
        start, end = week_bounds(today)
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__gte=max(start, today), deadline__lte=end)
    if q:
        q = q.strip()[:100]
        if len(q) >= 3:
            qs = qs.filter(Q(title__contains=q) | Q(number__contains=q))
        else:
            # Under three characters pg_trgm extracts no trigram and its index returns every row
            # to be rechecked; a plain scan is cheaper, and strpos() cannot use the index.
            found = lambda field: GreaterThan(StrIndex(field, Value(q)), 0)  # noqa: E731
            qs = qs.filter(Q(found("title")) | Q(found("number")))
    return qs


# --- the work list ---------------------------------------------------------------------------------

WORKLIST_LABELS = {
    "drafts": "草拟中的事项",
    "to_approve": "待我审批立项",
    "to_reassign": "单位退回待改派",
    "to_review": "待审核办结报告",
    "extensions": "待审批延期申请",
    "to_archive": "已办结待归档",
    "to_decide": "待我审阅（一事一报）",
    "to_accept": "待签收",
    "handling": "办理中（本单位主办）",
    "co_input": "待报送协办意见",
    "explanation": "已超期，须报送情况说明",
    "reports_to_submit": "负责人已审签待报送",
    "reports_to_sign": "待我审签的报告",
    "to_register": "上级交办待登记为本级事项",
}


def worklist_conditions(user, *, now=None) -> dict[str, Q]:
    """Exactly the items waiting for this user's action, by kind of action: each bucket as a
    condition on the items the user may see (the rules, once; `worklist` and `worklist_summary`
    read them). Sets of items named by another table are uncorrelated `pk__in` subqueries, which
    PostgreSQL hashes once instead of probing per row."""
    today = timezone.localdate(now or timezone.now())
    acting = acting_for(user)
    buckets: dict[str, Q] = {}
    if user.role in (Role.SUPERVISOR, Role.OFFICE_HEAD):
        # The office's own organisation only: upper items it handles as a unit are a unit's work.
        own = Q(org_id=user.org_id)
        buckets["drafts"] = own & Q(status=Status.DRAFT, drafter=user)
        buckets["to_reassign"] = own & Q(status=Status.DECLINED)
        buckets["to_review"] = own & Q(status=Status.UNDER_REVIEW)
        # The few items with a pending request, read first (from the ext_pending index) and named:
        # as a subquery, PostgreSQL walked all the organisation's items to meet them (100,000
        # items: 27 ms of the office's work list).
        pending_ext = set(ExtensionRequest.objects.filter(
            state=ExtensionRequest.State.PENDING, item__org_id=user.org_id).values_list("item_id", flat=True))
        buckets["extensions"] = own & Q(pk__in=pending_ext)
        buckets["to_archive"] = own & Q(status=Status.CLOSED)
    if user.role in (Role.PRINCIPAL_LEADER, Role.RESPONSIBLE_LEADER):
        mine = Q(responsible_leader=user)
        if user.role == Role.PRINCIPAL_LEADER:
            mine = Q(responsible_leader=user) | Q(responsible_leader__isnull=True)
        buckets["to_approve"] = mine & Q(status=Status.PENDING_APPROVAL)
        buckets["to_decide"] = mine & Q(status=Status.PENDING_LEADER)
    if acting.liaison:
        # The unit's liaison, or the lower office answering for the unit that stands for it.
        units = acting.liaison

        def mine(**kw):
            return Q(pk__in=Assignment.objects.filter(unit_id__in=units, **kw).values("item_id"))

        def reports(**kw):
            return Q(pk__in=Report.objects.filter(unit_id__in=units, **kw).values("item_id"))

        buckets["to_accept"] = (
            Q(status=Status.ASSIGNED, lead_unit_id__in=units) | mine(role=Assignment.Role.CO, state=Assignment.State.PENDING)
        ) & ~Q(status__in=[Status.CLOSED, Status.ARCHIVED])
        # Correlated on the deadline: tested only for the overdue items the conditions before it leave.
        explained = Exists(Report.objects.filter(
            item=OuterRef("pk"), unit_id__in=units, kind=Report.Kind.EXPLANATION,
            state__in=[Report.State.SUBMITTED, Report.State.ACCEPTED], submitted_at__date__gt=OuterRef("deadline"),
        ))
        buckets["explanation"] = overdue_q(today) & mine(state=Assignment.State.ACCEPTED) & ~Q(explained)
        buckets["reports_to_submit"] = reports(state=Report.State.APPROVED)
        buckets["handling"] = Q(status=Status.IN_PROGRESS, lead_unit_id__in=units)
        buckets["co_input"] = Q(status=Status.IN_PROGRESS) & mine(role=Assignment.Role.CO, state=Assignment.State.ACCEPTED) & ~reports(
            kind=Report.Kind.CO_INPUT, state__in=[Report.State.SUBMITTED, Report.State.ACCEPTED])
    if acting.linked:
        # Signed for in the unit's name, not yet registered in the lower organisation's own series.
        signed = Assignment.objects.filter(unit_id__in=acting.linked, state=Assignment.State.ACCEPTED).values("item_id")
        registered = Item.objects.filter(upper_item=OuterRef("pk"), org_id=user.org_id)
        buckets["to_register"] = Q(pk__in=signed, status__in=workflow.HANDLING) & ~Q(Exists(registered))
    if acting.head:
        buckets["reports_to_sign"] = Q(pk__in=Report.objects.filter(
            unit_id__in=acting.head, state=Report.State.AWAITING_HEAD).values("item_id"))
    return buckets


def worklist(user, *, now=None) -> list[tuple[str, str, QuerySet[Item]]]:
    """Exactly the items waiting for this user's action, by kind of action, with counts."""
    visible = items_visible_to(user)
    return [(key, WORKLIST_LABELS[key], with_list_columns(visible.filter(cond)))
            for key, cond in worklist_conditions(user, now=now).items()]


@dataclass
class Bucket:
    key: str
    label: str
    count: int
    ids: list[int]  # the newest `shown` of them


def worklist_summary(user, *, shown: int, now=None) -> list[Bucket]:
    """The work list's counts and the newest `shown` items of each bucket.

    A unit's work lies among the items assigned to its units that are not archived (an archived
    item waits for nobody): those are read once, each marked with the buckets it belongs to,
    instead of a count and a fetch per bucket over all the unit's items (the busiest unit has
    13,000). The office's and leaders' buckets each follow an index on (org, status): for them
    a count and a fetch per bucket stay cheaper than one pass over the organisation's items."""
    conds = worklist_conditions(user, now=now)
    visible = items_visible_to(user)
    if not conds:
        return []
    acting = acting_for(user)
    if user.role in ORG_WIDE_ROLES or not (acting.liaison or acting.head or acting.linked):
        out = []
        for key, cond in conds.items():
            qs = visible.filter(cond)
            out.append(Bucket(key, WORKLIST_LABELS[key], qs.count(),
                              list(qs.order_by("-id").values_list("id", flat=True)[:shown])))
        return out
    units = set(acting.liaison) | set(acting.head) | set(acting.linked)
    # One query: the unit's assignments lead to its items that are not archived, each tested and
    # flagged from the item_live index (a list of ids sent back to the database cost a second
    # query and a probe of the table per id).
    assigned = Assignment.objects.filter(unit_id__in=units).values("item_id")
    flags = {f"w_{key}": ExpressionWrapper(cond, output_field=BooleanField()) for key, cond in conds.items()}
    rows = sorted(  # newest first, sorted here rather than walking the primary key in SQL
        visible.filter(pk__in=assigned).exclude(status=Status.ARCHIVED).annotate(**flags).order_by()
        .values_list("id", *flags),
        key=lambda row: -row[0],
    )
    keys = list(conds)
    counts = dict.fromkeys(keys, 0)
    ids: dict[str, list[int]] = {key: [] for key in keys}
    for row in rows:
        for key, flagged in zip(keys, row[1:]):
            if flagged:
                counts[key] += 1
                if len(ids[key]) < shown:
                    ids[key].append(row[0])
    return [Bucket(key, WORKLIST_LABELS[key], counts[key], ids[key]) for key in keys]


# --- per-item reads -------------------------------------------------------------------------------

def actions_for(user, item) -> list[workflow.Transition]:
    actions = workflow.available_actions(user, item)
    if any(t.action == "register_lower" for t in actions) and item.lower_items.filter(org_id=user.org_id).exists():
        # Registered once; the button would only meet the service's refusal.
        actions = [t for t in actions if t.action != "register_lower"]
    return actions


def reports_visible_on(user, item) -> QuerySet[Report]:
    """The office, leaders and the lead unit see every filed report; a unit sees its own drafts;
    a co-unit sees only its own reports. A lower office on an upper item is that item's unit."""
    qs = item.reports.select_related("unit", "author", "head").prefetch_related("attachments")
    filed = Q(state__in=[Report.State.SUBMITTED, Report.State.ACCEPTED, Report.State.RETURNED])
    if user.role in ORG_WIDE_ROLES and user.org_id == item.org_id:
        return qs.filter(filed)
    units = acting_for(user).units
    if item.lead_unit_id in units:
        return qs.filter(filed | Q(unit_id__in=units))
    return qs.filter(unit_id__in=units)


def in_order(qs) -> list:
    """The rows of a small per-item collection (an item's reports, urges, events, …) in the order
    the query asks for, sorted here rather than by the database: compiling an ORDER BY makes Django
    hash every column the query selects, 0.4–0.8 ms a query, more than sorting a few dozen rows
    (the item page reads eight such collections; bench/README.md, fourth round)."""
    ordering = list(qs.query.order_by) or list(qs.model._meta.ordering)
    if not all(isinstance(o, str) and "__" not in o and o.lstrip("-") != "?" for o in ordering):
        return list(qs)
    rows = list(qs.order_by())
    for name in reversed(ordering):  # stable sorts, last key first
        get = operator.attrgetter(name.lstrip("-"))
        # an empty value last, first when descending: PostgreSQL's order
        rows.sort(key=lambda row: (get(row) is None, get(row)), reverse=name.startswith("-"))
    return rows


def timeline_for(user, item, reports=None) -> list[Event]:
    """The item's events that ``user`` may read. An event about a report (drafting, 呈审签, the
    head's approval or return with its comment, a file attached to it) shows only to whoever may
    see that report: a timeline entry reveals no more than its reader may see of the thing it
    records (issue 8, point 1). A review is the office's finding on a filed report and shows to
    every reader of the item, as the reviews themselves do."""
    if reports is None:
        reports = reports_visible_on(user, item)
    visible = {r.pk for r in reports}
    return [e for e in in_order(item.events.select_related("actor")) if _readable(e, visible)]


def _readable(event, visible_reports) -> bool:
    data = event.data if isinstance(event.data, dict) else {}
    report_id = data.get("report")
    return report_id is None or "review" in data or report_id in visible_reports


def volume_attachments(item, reports, attachments=None) -> list[Attachment]:
    """The item's files and those of the reports the reader may see (a draft's files stay out).
    ``attachments``: all the item's attachments, when the caller has read them."""
    visible = {r.pk for r in reports}
    if attachments is None:
        attachments = item.attachments.all()
    return [a for a in attachments if a.report_id is None or a.report_id in visible]


def attachment_for_download(user, attachment_id) -> Attachment | None:
    """An attachment is served only if its item is visible and, for a report's file, the report is."""
    att = Attachment.objects.select_related("item", "report").filter(token=str(attachment_id)[:40]).first()
    if att is None or not items_visible_to(user).filter(pk=att.item_id).exists():
        return None
    if att.report_id and not reports_visible_on(user, att.item).filter(pk=att.report_id).exists():
        return None
    return att


def can_upload(user, item, report=None) -> bool:
    if item.status == Status.ARCHIVED:
        return False
    if report is not None:
        return report.state == Report.State.DRAFT and report.unit_id in acting_for(user).liaison
    return workflow.is_office(user, item) and item.status != Status.CLOSED


def status_counts(qs: QuerySet[Item]) -> dict[str, int]:
    return dict(qs.order_by().values_list("status").annotate(n=Count("id")))


# --- across levels: what the upper office sees of the work it sent down ---------------------------

@dataclass
class LowerProgress:
    """One lower organisation's handling of an upper item: its own item and everything under it.
    It carries no id or link: the upper office cannot open the lower organisation's items."""

    org_name: str
    number: str  # the lower organisation's number; "" while its item is a draft
    status_label: str
    deadline: dt.date | None
    total: int = 0
    done: int = 0
    by_status: list[tuple[str, int]] = field(default_factory=list)  # (label, count), in procedure order

    @property
    def rate(self) -> Decimal:
        return rate(self.done, self.total)


def may_see_sent_down(user, item) -> bool:
    """The upper organisation's office and leaders follow what their items became below."""
    return user.is_authenticated and user.org_id == item.org_id and user.role in ORG_WIDE_ROLES


def sent_down_progress(item) -> list[LowerProgress]:
    """Per lower organisation that registered ``item``: its item, plus the leaves of its
    decomposition if it decomposed it (``counting.rollup_items``), counted by status in
    one aggregate query for all of them (一级抓一级: the upper level sees the progress of what it
    sent down, rolled up, and nothing else; seed 001 arts. 3, 5)."""
    return _progress_of(list(item.lower_items.select_related("org").order_by("org__name", "id")))


def _progress_of(lowers: list[Item]) -> list[LowerProgress]:
    if not lowers:
        return []
    parts = [
        Item.objects.filter(Q(pk=lower.pk) | Q(pk__in=rollup_items(lower).values("pk")))
        .order_by().values("status").annotate(root=Value(lower.pk, output_field=IntegerField()), n=Count("id"))
        .values_list("root", "status", "n")
        for lower in lowers
    ]
    counts: dict[int, dict[str, int]] = {lower.pk: {} for lower in lowers}
    for root, status, n in parts[0].union(*parts[1:], all=True):
        counts[root][status] = n
    order = {s: i for i, s in enumerate(Status.values)}
    rows = []
    for lower in lowers:
        by = counts[lower.pk]
        rows.append(LowerProgress(
            org_name=lower.org.name, number=lower.number, status_label=lower.get_status_display(),
            deadline=lower.deadline, total=sum(by.values()), done=sum(n for s, n in by.items() if s in DONE_STATUSES),
            by_status=[(Status(s).label, n) for s, n in sorted(by.items(), key=lambda kv: order[kv[0]])],
        ))
    return rows


def sent_down_summary(user, item) -> str:
    """For the lower office reporting upward: its figures on the item, to start the report from."""
    if not acting_for(user).linked:
        return ""
    lower = item.lower_items.select_related("org").filter(org_id=user.org_id).first()
    if lower is None:
        return ""
    (row,) = _progress_of([lower])
    return (f"已登记为本级事项（{row.number or '草拟中'}），含分解事项共{row.total}项，已办结{row.done}项，"
            f"完成率{row.rate}%。目前进展：")
