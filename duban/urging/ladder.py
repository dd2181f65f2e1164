"""The escalation ladder: each rung fires by itself, exactly once per item and deadline (issue 3,
points 2 and 3).

The sweep touches only items whose deadline lies in the window where some rung can fire today, by
the (org, status, deadline) index; cost grows with the items due, not with all items. A rung's
firing — its FiredStep row, the notice it issues, the timeline event and the inbox notifications —
is one transaction with a unique constraint, so a sweep run twice, two workers at once, or a crash
midway never fires twice and never leaves half a firing."""

from __future__ import annotations

import logging

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from duban.deadlines import services as deadlines
from duban.items.models import Item, Report, Status
from duban.items.services import record, take_next
from duban.orgs.acting import acting_for, people_acting_for
from duban.orgs.models import Role, User

from .models import FiredStep, LadderStep, Notice, NoticeSeries, Recipient

log = logging.getLogger(__name__)

HANDLING = (Status.ASSIGNED, Status.IN_PROGRESS)
# A rung missed by more than this many working days (the worker was down) is not fired late.
CATCH_UP_WORKING_DAYS = 5


def steps_for(steps: list[LadderStep], urgency: str) -> list[LadderStep]:
    """An urgency with rungs of its own uses them; every other item uses the general ladder."""
    own = [s for s in steps if s.urgency == urgency]
    return own or [s for s in steps if not s.urgency]


def sweep(*, now=None) -> int:
    """Fire every rung that is due today and has not fired; return how many fired."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    fired = 0
    org_ids = LadderStep.objects.filter(is_active=True).values_list("org_id", flat=True).distinct()
    for org_id in list(org_ids):
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
        for item in candidates:
            for step in steps_for(steps, item.urgency):
                if (item.id, step.id, item.deadline) in done:
                    continue
                fire_day = deadlines.shift_working_days(item.deadline, step.offset_working_days)
                if earliest_fire <= fire_day <= today and fire(item.id, step, item.deadline, now=now):
                    fired += 1
    return fired


def fire(item_id, step: LadderStep, deadline, *, now=None) -> bool:
    """Fire one rung for one item and deadline; False if it had fired already or no longer applies."""
    now = now or timezone.now()
    with transaction.atomic():
        item = (Item.objects.select_for_update(of=("self",))
                .select_related("org", "lead_unit", "responsible_leader", "drafter").get(pk=item_id))
        if item.deadline != deadline or item.status not in HANDLING:
            return False
        try:
            with transaction.atomic():
                FiredStep.objects.create(item=item, step=step, deadline=deadline, fired_at=now)
        except IntegrityError:
            return False  # another sweep fired it first
        notice = None
        if step.action in (LadderStep.Action.URGE_NOTICE, LadderStep.Action.SUPERVISION_ORDER):
            notice = issue_notice(item, step.action, now=now)
        text = describe(item, step, notice)
        record(item, None, "auto_urge", comment=text, now=now,
               data={"step": step.name, "action": step.action, "deadline": deadline.isoformat(),
                     "notice": notice.number if notice else None})
        send(recipients(item, step.recipients), kind=step.action, title=f"{step.get_action_display()}：{item.title}",
             body=text, item=item, now=now)
    return True


def describe(item, step, notice) -> str:
    due = f"{item.deadline:%Y年%m月%d日}"
    if step.action == LadderStep.Action.REMIND:
        return f"督查事项“{item.title}”（{item.number}）将于{due}到期，请抓紧办理并按时报送。"
    if step.action == LadderStep.Action.DEMAND_EXPLANATION:
        return f"督查事项“{item.title}”（{item.number}）今日（{due}）到期；逾期未办结的，须书面报送情况说明、说明原因。"
    return (f"{notice.get_kind_display()}{notice.number}：督查事项“{item.title}”（{item.number}）已超过办理时限（{due}），"
            f"请{item.lead_unit.name}组织力量集中办理，并报告办理进展。")


def next_notice_number(org, kind: str, year: int) -> int:
    return take_next(NoticeSeries, org=org, kind=kind, year=year)


def issue_notice(item, kind: str, *, now=None) -> Notice:
    """A numbered 催办单 or 督办令 addressed to the lead unit, e.g. 催〔2026〕3号."""
    now = now or timezone.now()
    year = timezone.localdate(now).year
    seq = next_notice_number(item.org, kind, year)
    number = f"{Notice.PREFIX[kind]}〔{year}〕{seq}号"
    return Notice.objects.create(org=item.org, item=item, unit=item.lead_unit, kind=kind, year=year, seq=seq,
                                 number=number, body="", issued_at=now)


def recipients(item, codes) -> list:
    """The people a rung or an urge tells. The lead unit's liaison and head are, for a unit standing
    for a lower organisation, that organisation's office (一级抓一级, seed 001 arts. 3, 5)."""
    people = []
    liaison, head = Recipient.LIAISON in codes, Recipient.UNIT_HEAD in codes
    if (liaison or head) and item.lead_unit_id:
        people += list(people_acting_for([item.lead_unit_id], liaison=liaison, head=head).filter(is_active=True))
    if Recipient.SUPERVISOR in codes:
        people.append(item.drafter)
    if Recipient.OFFICE_HEAD in codes:
        people += list(User.objects.filter(org_id=item.org_id, role=Role.OFFICE_HEAD, is_active=True))
    if Recipient.LEADER in codes and item.responsible_leader_id:
        people.append(item.responsible_leader)
    return list({p.id: p for p in people}.values())


def send(people, **kwargs):
    """Hand over to the notifications app when it is installed; the ladder never waits on delivery."""
    if not people or not apps.is_installed("duban.notify"):
        return []
    from duban.notify.services import notify

    return notify(people, **kwargs)


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
    addressed = Q(unit_id__in=acting_for(user).units)
    if user.role in ORG_WIDE_ROLES:
        return qs.filter(Q(org_id=user.org_id) | addressed)
    return qs.filter(addressed)
