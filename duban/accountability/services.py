"""The accountability ladder's actions: apply the ladder when a circular criticising units is
issued (called by the ``circular_issued`` receiver, inside the issuing transaction, so that a
failure here rolls the issue back), and record that a sanction was carried out."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from duban.deadlines import services as deadlines
from duban.items import services as items
from duban.items.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from duban.items.models import ItemKind, Urgency
from duban.orgs.acting import people_acting_for
from duban.orgs.models import LEADER_ROLES, OFFICE_ROLES, Role, User

from .models import Measure, Sanction, SanctionRule

CRITICISM = "criticism"
ISSUED = "issued"


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The calendar year in local time (the tally starts again on 1 January)."""
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(dt.datetime(year, 1, 1), tz), timezone.make_aware(dt.datetime(year + 1, 1, 1), tz))


def criticisms_of(org, unit_id, year: int):
    """The unit's criticisms (通报批评) in issued circulars of ``org`` in the year, in issue order."""
    from duban.circulars.models import Mention

    lo, hi = year_bounds(year)
    return (Mention.objects.filter(circular__org=org, circular__status=ISSUED, unit_id=unit_id, kind=CRITICISM,
                                   circular__issued_at__gte=lo, circular__issued_at__lt=hi)
            .select_related("circular").order_by("circular__issued_at", "circular_id", "id"))


def rules_for(org, n: int) -> list[SanctionRule]:
    """The rung of the n-th criticism: the rules for exactly n, or else those for the highest
    ordinal below n marked 及以上 ("三次及以上")."""
    rules = list(SanctionRule.objects.filter(org=org, is_active=True, ordinal__lte=n).order_by("-ordinal", "id"))
    exact = [r for r in rules if r.ordinal == n]
    if exact:
        return exact
    more = [r for r in rules if r.or_more]
    return [r for r in more if r.ordinal == more[0].ordinal] if more else []


def _office_person(org, preferred):
    if preferred is not None and preferred.org_id == org.id and preferred.role in OFFICE_ROLES and preferred.is_active:
        return preferred
    return (User.objects.filter(org=org, role__in=OFFICE_ROLES, is_active=True)
            .order_by("-role", "id").first())  # the office head ("office_head" > "supervisor") first


def _leader(org, preferred):
    if preferred is not None and preferred.org_id == org.id and preferred.role in LEADER_ROLES and preferred.is_active:
        return preferred
    return User.objects.filter(org=org, role=Role.PRINCIPAL_LEADER, is_active=True).order_by("id").first()


def _obligation_item(sanction: Sanction, rule: SanctionRule, circular, now):
    """The unit's obligation (e.g. 书面检查) as an ordinary item: drafted by the circular's drafter,
    registered by its approving leader, through the items services, so it is numbered, assigned,
    lit and urged by the ladder like any other item."""
    org = circular.org
    drafter = _office_person(org, getattr(circular, "drafted_by", None))
    leader = _leader(org, getattr(circular, "approved_by", None))
    if drafter is None or leader is None:
        raise PermissionDenied("本组织没有督查室人员或主要领导，无法生成问责事项")
    today = timezone.localdate(now)
    deadline = deadlines.add_working_days(today, rule.deadline_working_days).date
    unit = sanction.unit
    fields = items.DraftFields(
        title=f"{unit.name}：{sanction.get_measure_display()}（{circular.number}通报批评）"[:200],
        content=(f"{sanction.requirement}。\n{sanction.year}年内第{sanction.ordinal}次受到通报批评"
                 f"（{circular.number}《{circular.title}》）。\n通报事实：{sanction.mention.facts}")[:20000],
        kind=ItemKind.OTHER, urgency=Urgency.NORMAL, lead_unit=unit, co_units=[], responsible_leader=leader,
        deadline=deadline, deadline_override_reason=f"按问责规则：{rule.deadline_working_days}个工作日内（{rule.citation}）"[:500],
        source_text=f"{rule.citation}；{circular.number}",
    )
    item = items.create_draft(org, drafter, fields, now=now)
    items.submit_proposal(item.id, drafter, comment="问责事项，按问责规则自动拟办", now=now)
    return items.approve_proposal(item.id, leader, comment="同意交办", now=now)


def apply_ladder(circular, *, now=None) -> list[Sanction]:
    """For each criticism (通报批评) of the issued circular, count the unit's criticisms in the
    calendar year of the issue and write a sanction per rule of the rung reached (001 art. 16;
    000 art. 6). Call inside the issuing transaction."""
    from duban.notify.services import notify

    now = now or circular.issued_at or timezone.now()
    year = timezone.localdate(circular.issued_at or now).year
    org = circular.org
    made = []
    for mention in circular.mentions.filter(kind=CRITICISM).select_related("unit").order_by("id"):
        ids = list(criticisms_of(org, mention.unit_id, year).values_list("id", flat=True))
        n = ids.index(mention.id) + 1 if mention.id in ids else len(ids) + 1
        for rule in rules_for(org, n):
            if Sanction.objects.filter(mention=mention, rule=rule).exists():
                continue  # issued twice by mistake: the record exists already
            s = Sanction.objects.create(
                org=org, unit=mention.unit, year=year, ordinal=n, rule=rule, mention=mention, measure=rule.measure,
                requirement=rule.requirement, citation=rule.citation, created_at=now,
            )
            if rule.creates_item:
                s.item = _obligation_item(s, rule, circular, now)
                s.save(update_fields=["item"])
            elif rule.measure == Measure.NO_AWARDS:
                # Nothing to carry out: the unit is out of the year's awards from now on.
                s.state, s.fulfilled_at, s.note = Sanction.State.FULFILLED, now, f"自即日起取消{year}年度评先评优资格"
                s.save(update_fields=["state", "fulfilled_at", "note"])
            made.append(s)
            people = list(people_acting_for([mention.unit_id]).filter(is_active=True))
            notify(people, kind="other", title=f"问责：{s.get_measure_display()}",
                   body=f"{mention.unit.name}{year}年内第{n}次受到通报批评（{circular.number}）。{s.requirement}。",
                   item=s.item, url=f"/units/{mention.unit_id}/year/{year}/", now=now)
    return made


def fulfil(sanction_id, by, *, note: str, now=None) -> Sanction:
    """The office records that a sanction was carried out (e.g. the talk took place); a sanction
    tracked as an item is fulfilled by closing the item instead."""
    note = (note or "").strip()
    with transaction.atomic():
        try:
            s = Sanction.objects.select_for_update().get(pk=sanction_id)
        except (Sanction.DoesNotExist, ValueError, TypeError):
            raise NotFound("问责记录不存在") from None
        if not (by.org_id == s.org_id and by.role in OFFICE_ROLES):
            raise PermissionDenied("只有督查室可以登记问责落实情况")
        if s.item_id:
            raise TransitionNotAllowed("该问责作为督查事项跟踪，办结事项即为落实")
        if s.state != Sanction.State.PENDING:
            raise TransitionNotAllowed("该问责已登记落实")
        if not note:
            raise InvalidInput("请填写落实情况", "note")
        if len(note) > 1000:
            raise InvalidInput("落实情况不能超过1000字", "note")
        s.state, s.note, s.fulfilled_by, s.fulfilled_at = Sanction.State.FULFILLED, note, by, now or timezone.now()
        s.save()
    return s
