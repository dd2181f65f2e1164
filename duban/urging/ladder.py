"""The escalation ladder: each rung fires by itself, exactly once per item and deadline (issue 3,
points 2 and 3).

The sweep touches only items whose deadline lies in the window where some rung can fire today, by
the (org, status, deadline) index; cost grows with the items due, not with all items. Rungs fire in
chunks (issue 13, point 2: 1,000 rungs in under a second): a chunk's firings — their FiredStep
rows, the notices they issue, the timeline events and the inbox notifications — are one
transaction, and the unique constraint on FiredStep decides which firings are new, so a sweep run
twice, two workers at once, or a crash midway never fires twice and never leaves half a firing.
Firing one rung (``fire``) is a chunk of one: there is one code path."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from duban.deadlines import services as deadlines
from duban.items.models import Event, Item, Report, Status
from duban.items.services import new_event, take_block
from duban.orgs.acting import acting_for, people_acting_for_each
from duban.orgs.models import Role, User

from .models import FiredStep, LadderStep, Notice, NoticeSeries, Recipient

log = logging.getLogger(__name__)

HANDLING = (Status.ASSIGNED, Status.IN_PROGRESS)
WRITTEN = (LadderStep.Action.URGE_NOTICE, LadderStep.Action.SUPERVISION_ORDER)
# A rung missed by more than this many working days (the worker was down) is not fired late.
CATCH_UP_WORKING_DAYS = 5
# Firings per transaction: large enough that a chunk's fixed ~25 statements are cheap per firing,
# small enough that a chunk holds its items' locks for a fraction of a second.
CHUNK = 500
# What firing reads of an item (describe, notices, recipients): not its long texts.
FIRING_FIELDS = ("id", "org_id", "title", "number", "deadline", "status", "lead_unit_id", "lead_unit__name",
                 "drafter_id", "responsible_leader_id")


@dataclass(frozen=True)
class Firing:
    """A rung due for an item and the deadline it had when the sweep read it."""

    item_id: int
    step: LadderStep
    deadline: dt.date

    @property
    def key(self):
        return self.item_id, self.step.offset_working_days, self.step.id


def steps_for(steps: list[LadderStep], urgency: str) -> list[LadderStep]:
    """An urgency with rungs of its own uses them; every other item uses the general ladder."""
    own = [s for s in steps if s.urgency == urgency]
    return own or [s for s in steps if not s.urgency]


def due_firings(*, now=None) -> list[Firing]:
    """Every rung due today that has not fired, in firing order: by item, then by offset (so an
    item's events and the notices' numbers come in the same order however the work is chunked)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = []
    # Without order_by(), the model's ordering would join the DISTINCT and repeat each organisation.
    org_ids = LadderStep.objects.filter(is_active=True).order_by().values_list("org_id", flat=True).distinct()
    for org_id in sorted(org_ids):
        steps = list(LadderStep.objects.filter(org_id=org_id, is_active=True))
        after = max([s.offset_working_days for s in steps] + [0])
        before = max([-s.offset_working_days for s in steps] + [0])
        earliest_fire = deadlines.shift_working_days(today, -CATCH_UP_WORKING_DAYS)
        lo = deadlines.shift_working_days(today, -(after + CATCH_UP_WORKING_DAYS))
        hi = deadlines.shift_working_days(today, before)
        candidates = list(
            Item.objects.filter(org_id=org_id, status__in=HANDLING, deadline__gte=lo, deadline__lte=hi)
            .only("id", "deadline", "urgency")
        )
        done = set(
            FiredStep.objects.filter(item_id__in=[c.id for c in candidates]).values_list("item_id", "step_id", "deadline")
        )
        org_due = []
        for item in candidates:
            for step in steps_for(steps, item.urgency):
                if (item.id, step.id, item.deadline) in done:
                    continue
                fire_day = deadlines.shift_working_days(item.deadline, step.offset_working_days)
                if earliest_fire <= fire_day <= today:
                    org_due.append(Firing(item.id, step, item.deadline))
        due += sorted(org_due, key=lambda f: f.key)
    return due


def sweep(*, now=None, chunk: int = CHUNK) -> int:
    """Fire every rung that is due today and has not fired; return how many fired. Each chunk
    commits by itself: a crash loses at most the chunk it was in, which the next sweep fires."""
    now = now or timezone.now()
    due = due_firings(now=now)
    return sum(fire_many(due[i:i + chunk], now=now) for i in range(0, len(due), chunk))


def fire(item_id, step: LadderStep, deadline, *, now=None) -> bool:
    """Fire one rung for one item and deadline; False if it had fired already or no longer applies."""
    return fire_many([Firing(item_id, step, deadline)], now=now) == 1


def fire_many(firings: list[Firing], *, now=None) -> int:
    """Fire these rungs in one transaction, all or nothing; return how many fired. A firing whose
    item moved on (another deadline, out of handling) or whose rung had fired already is skipped.

    Locks: the items, in id order (as a person's action on an item locks it, and as every chunk
    does, so two chunks never wait on each other in a cycle); then the notice series, in key order;
    then the items' chain heads (``Event.objects.bulk_create``)."""
    now = now or timezone.now()
    firings = sorted({(f.item_id, f.step.id, f.deadline): f for f in firings}.values(), key=lambda f: f.key)
    if not firings:
        return 0
    with transaction.atomic():
        items = {
            i.pk: i for i in Item.objects.select_for_update(of=("self",)).select_related("lead_unit")
            .only(*FIRING_FIELDS).filter(pk__in={f.item_id for f in firings}).order_by("pk")
        }
        live = [f for f in firings
                if f.item_id in items and items[f.item_id].deadline == f.deadline
                and items[f.item_id].status in HANDLING]
        won = _claim(live, now=now)
        fired = [f for f in live if (f.item_id, f.step.id) in won]
        if not fired:
            return 0
        written = [f for f in fired if f.step.action in WRITTEN]
        notices = dict(zip(written, issue_notices([(items[f.item_id], f.step.action) for f in written], now=now)))
        texts = [describe(items[f.item_id], f.step, notices.get(f)) for f in fired]
        Event.objects.bulk_create([
            new_event(items[f.item_id], None, "auto_urge", comment=text, now=now,
                      data={"step": f.step.name, "action": f.step.action, "deadline": f.deadline.isoformat(),
                            "notice": notices[f].number if f in notices else None})
            for f, text in zip(fired, texts)
        ])
        people = recipients_each([(items[f.item_id], f.step.recipients) for f in fired])
        send_many([
            dict(people=who, kind=f.step.action, title=f"{f.step.get_action_display()}：{items[f.item_id].title}",
                 body=text, item=items[f.item_id])
            for f, text, who in zip(fired, texts, people)
        ], now=now)
    return len(fired)


def _claim(firings: list[Firing], *, now) -> set[tuple[int, int]]:
    """Insert the firings' FiredStep rows; the unique constraint keeps out those another sweep
    fired first. Returns the (item id, step id) of the rows this call inserted: only those fire."""
    if not firings:
        return set()
    fields = {f.name: f for f in FiredStep._meta.concrete_fields}
    fired_at = fields["fired_at"].get_db_prep_save(now, connection)
    params = []
    for f in firings:
        params += [f.item_id, f.step.id, fields["deadline"].get_db_prep_save(f.deadline, connection), fired_at]
    qn = connection.ops.quote_name
    item, step, deadline, at = (qn(fields[n].column) for n in ("item", "step", "deadline", "fired_at"))
    # Django's bulk_create(ignore_conflicts=True) cannot say which rows went in; RETURNING can.
    sql = (f"INSERT INTO {qn(FiredStep._meta.db_table)} ({item}, {step}, {deadline}, {at}) "
           f"VALUES {', '.join(['(%s, %s, %s, %s)'] * len(firings))} "
           f"ON CONFLICT ({item}, {step}, {deadline}) DO NOTHING RETURNING {item}, {step}")
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return {(item_id, step_id) for item_id, step_id in cur.fetchall()}


def describe(item, step, notice) -> str:
    due = f"{item.deadline:%Y年%m月%d日}"
    if step.action == LadderStep.Action.REMIND:
        return f"督查事项“{item.title}”（{item.number}）将于{due}到期，请抓紧办理并按时报送。"
    if step.action == LadderStep.Action.DEMAND_EXPLANATION:
        return f"督查事项“{item.title}”（{item.number}）今日（{due}）到期；逾期未办结的，须书面报送情况说明、说明原因。"
    return (f"{notice.get_kind_display()}{notice.number}：督查事项“{item.title}”（{item.number}）已超过办理时限（{due}），"
            f"请{item.lead_unit.name}组织力量集中办理，并报告办理进展。")


def issue_notice(item, kind: str, *, now=None) -> Notice:
    """A numbered 催办单 or 督办令 addressed to the lead unit, e.g. 催〔2026〕3号."""
    return issue_notices([(item, kind)], now=now)[0]


def issue_notices(requests: list[tuple[Item, str]], *, now=None) -> list[Notice]:
    """Notices for many (item, kind) at once, numbered in list order within each series: each
    series row is locked once (in key order) and gives a block of consecutive numbers."""
    now = now or timezone.now()
    year = timezone.localdate(now).year
    wanted = defaultdict(list)
    for n, (item, kind) in enumerate(requests):
        wanted[(item.org_id, kind)].append(n)
    numbers = {}
    for org_id, kind in sorted(wanted):
        positions = wanted[(org_id, kind)]
        for n, seq in zip(positions, take_block(NoticeSeries, len(positions), org_id=org_id, kind=kind, year=year)):
            numbers[n] = seq
    notices = [
        Notice(org_id=item.org_id, item=item, unit_id=item.lead_unit_id, kind=kind, year=year, seq=numbers[n],
               number=f"{Notice.PREFIX[kind]}〔{year}〕{numbers[n]}号", body="", issued_at=now)
        for n, (item, kind) in enumerate(requests)
    ]
    return Notice.objects.bulk_create(notices)


def recipients(item, codes) -> list:
    """The people a rung or an urge tells. The lead unit's liaison and head are, for a unit standing
    for a lower organisation, that organisation's office (一级抓一级, seed 001 arts. 3, 5)."""
    return recipients_each([(item, codes)])[0]


def recipients_each(requests: list[tuple[Item, list[str]]]) -> list[list]:
    """``recipients`` for many (item, codes) at once: a query per kind of lead-unit capacity asked
    for and one for the office heads, whatever the number of items."""
    acting = {}  # (liaison, head) -> {unit id: people}
    for liaison, head in {(Recipient.LIAISON in c, Recipient.UNIT_HEAD in c) for _, c in requests}:
        if liaison or head:
            units = {i.lead_unit_id for i, c in requests if i.lead_unit_id
                     and (Recipient.LIAISON in c, Recipient.UNIT_HEAD in c) == (liaison, head)}
            acting[(liaison, head)] = people_acting_for_each(units, liaison=liaison, head=head)
    office_heads = defaultdict(list)
    orgs = {i.org_id for i, c in requests if Recipient.OFFICE_HEAD in c}
    for person in User.objects.filter(org_id__in=orgs, role=Role.OFFICE_HEAD, is_active=True).order_by("id"):
        office_heads[person.org_id].append(person)
    # Supervisors and leaders by id, once each: a sweep's items share a handful of them.
    named = User.objects.in_bulk(
        {i.drafter_id for i, c in requests if Recipient.SUPERVISOR in c}
        | {i.responsible_leader_id for i, c in requests if Recipient.LEADER in c and i.responsible_leader_id})
    result = []
    for item, codes in requests:
        people = []
        liaison, head = Recipient.LIAISON in codes, Recipient.UNIT_HEAD in codes
        if (liaison or head) and item.lead_unit_id:
            people += acting[(liaison, head)][item.lead_unit_id]
        if Recipient.SUPERVISOR in codes:
            people.append(named[item.drafter_id])
        if Recipient.OFFICE_HEAD in codes:
            people += office_heads[item.org_id]
        if Recipient.LEADER in codes and item.responsible_leader_id:
            people.append(named[item.responsible_leader_id])
        result.append(list({p.id: p for p in people}.values()))
    return result


def send(people, **kwargs):
    """Hand over to the notifications app when it is installed; the ladder never waits on delivery."""
    now = kwargs.pop("now", None)
    return send_many([dict(people=people, **kwargs)], now=now)[0]


def send_many(messages: list[dict], *, now=None) -> list[list]:
    """``send`` for many messages (people, kind, title, body, item) in one hand-over."""
    if not apps.is_installed("duban.notify"):
        return [[] for _ in messages]
    from duban.notify.services import Message, notify_many

    return notify_many([Message(m["people"], m["kind"], m["title"], m["body"], m.get("item"), m.get("url", ""))
                        for m in messages], now=now)


def open_notices(qs=None):
    """Notices not yet answered: the unit has filed no report on the item since the notice."""
    qs = Notice.objects.all() if qs is None else qs
    answered = Report.objects.filter(
        item_id=OuterRef("item_id"), unit_id=OuterRef("unit_id"), submitted_at__gt=OuterRef("issued_at"))
    return qs.filter(answered_at__isnull=True).exclude(Exists(answered))


def notices_visible_to(user):
    """The office sees its organisation's notices; a unit sees those addressed to it (a lower
    office: those addressed to the unit standing for it). Each goes through the item door too, so
    a secret item's notice stays with the people named on it."""
    from duban.items.selectors import ORG_WIDE_ROLES, items_visible_to

    qs = Notice.objects.filter(item__in=items_visible_to(user)).select_related("item", "unit")
    return qs.filter(_audience(user, ORG_WIDE_ROLES))


def notices_on(user, item):
    """The notices of ``item`` that ``user`` may see, for the page of an item the user may see (the
    item door already passed): notices_visible_to(user).filter(item=item) without its subquery."""
    from duban.items.selectors import ORG_WIDE_ROLES

    return Notice.objects.filter(item=item).filter(_audience(user, ORG_WIDE_ROLES))


def _audience(user, org_wide_roles) -> Q:
    addressed = Q(unit_id__in=acting_for(user).units)
    if user.role in org_wide_roles:
        return Q(org_id=user.org_id) | addressed
    return addressed
