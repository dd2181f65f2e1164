"""One function per action a person takes on a suggestion or proposal.

Each checks the step in ``workflow.py``, locks the proposal and its item, works in one transaction
and appends an ``Event`` to the item's timeline. The item is an ordinary ``Item`` of kind
``deputy_suggestion`` / ``cppcc_proposal``: its deadline comes from the organisation's rule (3
months, extensions up to 6, seed 001 art. 10) or the session's fixed date, and extension requests go
through ``duban.items.services`` as for any item.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from duban.deadlines import services as deadlines
from duban.items import named
from duban.items import services as items
from duban.items.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from duban.items.models import Assignment, Event, Item, Status
from duban.orgs.models import LEADER_ROLES, OFFICE_ROLES, Role, User

from . import workflow
from .models import (
    ITEM_KIND_OF_BODY,
    NOUN_OF_BODY,
    Answer,
    AnswerClass,
    Body,
    CoOpinion,
    Commitment,
    Contact,
    Contest,
    Proposal,
    ProposalConfig,
    ProposalState,
    Proposer,
    Publishable,
    Rating,
    RatingLink,
    Session,
    Signer,
)

MAX_PROPOSERS = 50
text = items._text
_now = items._now
_today = items._today


def _require_office(user, org):
    if not (user.is_authenticated and user.org_id == org.id and user.role in OFFICE_ROLES):
        raise PermissionDenied("只有督查室人员可以办理此操作")


def _lock(proposal_id) -> Proposal:
    try:
        p = Proposal.objects.select_for_update().select_related("session", "item").get(pk=proposal_id)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise NotFound("建议提案不存在") from None
    p.item = items._lock(p.item_id)
    return p


def _check(user, p: Proposal, action: str) -> workflow.Step:
    step = workflow.BY_ACTION[action]
    if not workflow.may(user, p, step):
        raise PermissionDenied(f"您无权执行“{step.label}”")
    if p.state not in step.sources:
        raise TransitionNotAllowed(f"当前状态为“{p.get_state_display()}”，不能执行“{step.label}”")
    return step


def _advance(p: Proposal, by, step: workflow.Step, *, comment="", data=None, now=None, action=None):
    """Move the proposal and its item as the step declares, and record it on the item's timeline."""
    old = p.item.status
    if step.target:
        p.state = step.target
        p.save()
    if step.item_status:
        p.item.status = step.item_status
    p.item.version += 1
    p.item.save()
    items.record(p.item, by, action or step.action, from_status=old, to_status=p.item.status,
                 comment=comment, data=data, now=now)


def _tell(unit_ids, p: Proposal, *, title, body, liaison=True, head=True, now=None):
    """Tell a unit's liaisons and/or heads, in their inbox, what waits for them on the suggestion."""
    from duban.notify.services import notify
    from duban.orgs.acting import people_acting_for

    people = people_acting_for(unit_ids, liaison=liaison, head=head).filter(is_active=True)
    notify(list(people), kind="other", title=title, body=body, item=p.item, url=f"/proposals/{p.id}/", now=now)


# --- sessions and proposers --------------------------------------------------------------------------

def create_session(org, by, *, body, year, name, answer_due=None) -> Session:
    _require_office(by, org)
    if body not in Body.values:
        raise InvalidInput("请选择人大或政协", "body")
    name = text(name, "会次", max_length=100)
    if Session.objects.filter(org=org, body=body, name=name).exists():
        raise InvalidInput("该会次已存在", "name")
    due = items._date(answer_due, "统一答复期限") if answer_due else None
    return Session.objects.create(org=org, body=body, year=int(year), name=name, answer_due=due)


@dataclass
class ProposerFields:
    name: str
    group: str = ""
    phone: str = ""
    address: str = ""
    is_lead: bool = False


@dataclass
class ProposalFields:
    number: int
    title: str
    content: str
    category: str = ""
    proposers: list[ProposerFields] = field(default_factory=list)


def clean_proposal(session: Session, f: ProposalFields, *, taken: set[int] | None = None) -> dict:
    """The fields checked; raises InvalidInput naming the field (number, title, content, proposers)."""
    try:
        number = int(f.number)
    except (TypeError, ValueError):
        raise InvalidInput("编号应为正整数", "number") from None
    if number <= 0 or number > 99999:
        raise InvalidInput("编号应为正整数", "number")
    if taken is None:
        taken = set(session.proposals.values_list("number", flat=True))
    if number in taken:
        raise InvalidInput(f"{session.name}已有第{number}号{NOUN_OF_BODY[session.body]}", "number")
    title = text(f.title, "标题", max_length=items.MAX_TITLE)
    content = text(f.content, "内容", max_length=items.MAX_TEXT)
    category = text(f.category, "类别", required=False, max_length=50)
    people = []
    seen = set()
    for pf in f.proposers:
        name = text(pf.name, "提出人", max_length=50)
        group = text(pf.group, "代表团/界别", required=False, max_length=100)
        if (name, group) in seen:
            raise InvalidInput(f"提出人“{name}”重复", "proposers")
        seen.add((name, group))
        people.append(ProposerFields(
            name=name, group=group,
            phone=text(pf.phone, "联系电话", required=False, max_length=30),
            address=text(pf.address, "通讯地址", required=False, max_length=200), is_lead=bool(pf.is_lead)))
    if not people:
        raise InvalidInput("请填写提出人（领衔人）", "proposers")
    if len(people) > MAX_PROPOSERS:
        raise InvalidInput(f"提出人不能超过{MAX_PROPOSERS}人", "proposers")
    if not any(p.is_lead for p in people):
        people[0].is_lead = True
    elif sum(p.is_lead for p in people) > 1:
        raise InvalidInput("领衔人只能有一位", "proposers")
    return dict(number=number, title=title, content=content, category=category, proposers=people)


def _proposers(org, body, cleaned: list[dict]) -> dict[tuple[str, str], Proposer]:
    """The proposers the batch names, by (name, group): found, created (in one statement) or updated."""
    wanted: dict[tuple[str, str], ProposerFields] = {}
    for c in cleaned:
        for pf in c["proposers"]:
            known = wanted.setdefault((pf.name, pf.group), pf)
            known.phone, known.address = pf.phone or known.phone, pf.address or known.address
    found = {}
    names = {name for name, _ in wanted}
    for p in Proposer.objects.filter(org=org, body=body, name__in=names):
        if (p.name, p.group) in wanted:
            found[(p.name, p.group)] = p
    changed = []
    for key, p in found.items():
        pf = wanted[key]
        if (pf.phone and pf.phone != p.phone) or (pf.address and pf.address != p.address):
            p.phone, p.address = pf.phone or p.phone, pf.address or p.address
            changed.append(p)
    if changed:
        Proposer.objects.bulk_update(changed, ["phone", "address"])
    new = [Proposer(org=org, body=body, name=n, group=g, phone=pf.phone, address=pf.address)
           for (n, g), pf in wanted.items() if (n, g) not in found]
    for p in Proposer.objects.bulk_create(new, batch_size=BATCH):
        found[(p.name, p.group)] = p
    if new and new[0].pk is None:  # a database that does not return ids from bulk inserts
        found.update({(p.name, p.group): p for p in Proposer.objects.filter(org=org, body=body, name__in=names)})
    return found


BATCH = 1000


def write_proposals(org, by, session: Session, cleaned: list[dict], *, comment: str, now=None) -> list[Proposal]:
    """Create the items (drafts of their kind, awaiting assignment) and the proposals, in one transaction
    and a fixed number of statements whatever the batch's size."""
    now = _now(now)
    kind = ITEM_KIND_OF_BODY[session.body]
    noun = NOUN_OF_BODY[session.body]
    with transaction.atomic():
        people = _proposers(org, session.body, cleaned)
        items_ = Item.objects.bulk_create([
            Item(org=org, drafter=by, status=Status.DRAFT, created_at=now, kind=kind, title=c["title"],
                 content=c["content"], source_text=f"{session.name}第{c['number']}号{noun}")
            for c in cleaned], batch_size=BATCH)
        made = Proposal.objects.bulk_create([
            Proposal(item=item, session=session, number=c["number"], category=c["category"],
                     received_on=timezone.localdate(now))
            for item, c in zip(items_, cleaned)], batch_size=BATCH)
        Signer.objects.bulk_create([
            Signer(proposal=p, proposer=people[(pf.name, pf.group)], is_lead=pf.is_lead)
            for p, c in zip(made, cleaned) for pf in c["proposers"]], batch_size=BATCH)
        Named = Item.named_people.through
        Named.objects.bulk_create([Named(item_id=item.id, user_id=by.id) for item in items_], batch_size=BATCH,
                                  ignore_conflicts=True)
        Event.objects.bulk_create([
            Event(item=item, actor=by, action="receive_proposal", to_status=Status.DRAFT, comment=comment, at=now,
                  data={"proposal": p.id, "number": p.number})
            for item, p in zip(items_, made)], batch_size=BATCH)
    return made


def register_proposal(session: Session, by, fields: ProposalFields, *, now=None) -> Proposal:
    """The office registers one suggestion by hand, e.g. one proposed between sessions."""
    _require_office(by, session.org)
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=session.pk)  # numbers of one session are taken one at a time
        cleaned = clean_proposal(session, fields)
        return write_proposals(session.org, by, session, [cleaned], comment="督查室登记", now=now)[0]


# --- assignment and contest ----------------------------------------------------------------------------

def _default_leader(org) -> User | None:
    return (User.objects.filter(org=org, role=Role.PRINCIPAL_LEADER, is_active=True).order_by("id").first()
            or User.objects.filter(org=org, role__in=LEADER_ROLES, is_active=True).order_by("id").first())


def _set_units_standing(item, lead_unit, co_units, now):
    """Assign the units; a suggestion needs no signing-for: the assignment stands unless contested
    within the window."""
    items._set_units(item, lead_unit, co_units)
    item.lead_unit = lead_unit
    item.assignments.exclude(state=Assignment.State.ACCEPTED).update(
        state=Assignment.State.ACCEPTED, accepted_at=_now(now), declined_reason="")


def answer_deadline(p: Proposal, today: dt.date):
    """The session's fixed date, or 3 months from assignment by the organisation's rule (seed 001
    art. 10), and the rule (whose cap bounds extensions at 6 months)."""
    rule = deadlines.find_rule(p.item.org, p.item.kind, "normal")
    if p.session.answer_due:
        return p.session.answer_due, rule
    if rule is not None:
        return deadlines.compute_deadline(rule, today).date, rule
    return deadlines.add_months(today, 3).date, None


def assign(proposal_id, by, *, lead_unit, co_units=(), responsible_leader=None, co_opinion_due=None,
           now=None) -> Proposal:
    """The office assigns lead (主办) and co-units (会办): the item is registered and handled from today."""
    with transaction.atomic():
        p = _lock(proposal_id)
        step = _check(by, p, "assign")
        item = p.item
        co_units = items._check_units(item.org, lead_unit, co_units)
        leader = responsible_leader or _default_leader(item.org)
        if leader is None or leader.org_id != item.org_id or leader.role not in LEADER_ROLES:
            raise InvalidInput("请选择本组织的分管领导", "responsible_leader")
        today = _today(now)
        deadline, rule = answer_deadline(p, today)
        if deadline < today:
            raise InvalidInput("会次的统一答复期限已过，请先修改会次的答复期限", "deadline")
        config = ProposalConfig.for_org(item.org)
        if co_opinion_due:
            co_due = items._date(co_opinion_due, "会办意见期限")
            if not today <= co_due <= deadline:
                raise InvalidInput("会办意见期限须在今天与答复期限之间", "co_opinion_due")
        else:
            co_due = max(today, deadline - dt.timedelta(days=config.co_opinion_days_before))
        item.year = today.year
        item.number = f"{p.session.year}年{p.session.get_body_display()}{NOUN_OF_BODY[p.session.body]}第{p.number}号"
        item.registered_at = item.last_progress_at = _now(now)
        item.start_date = today
        item.deadline, item.deadline_rule = deadline, rule
        item.deadline_provisional = deadlines.add_working_days(deadline, 0).provisional
        item.deadline_override_reason = "会次统一答复期限" if p.session.answer_due else ""
        item.responsible_leader = leader
        _set_units_standing(item, lead_unit, co_units, now)
        p.assigned_on = today
        p.contest_until = deadlines.add_working_days(today, config.contest_working_days).date
        p.co_opinion_due = co_due
        _advance(p, by, step, now=now, data={
            "lead_unit": lead_unit.name, "co_units": [u.name for u in co_units],
            "deadline": deadline.isoformat(), "contest_until": p.contest_until.isoformat()})
        named.sync_item(item)
        items._tell_units(item, kind="other", title=f"新交办{p.noun}：{item.title}",
                          body=f"请于{deadline:%Y年%m月%d日}前答复；如认为不属于本单位职责，请于"
                               f"{p.contest_until:%Y年%m月%d日}前提出异议。", now=now)
    return p


def contest(proposal_id, by, *, reason, now=None) -> Contest:
    """A unit that is not competent says so, with a reason, within the window (preset 7 working days)."""
    with transaction.atomic():
        p = _lock(proposal_id)
        step = _check(by, p, "contest")
        if p.contest_until and _today(now) > p.contest_until:
            raise TransitionNotAllowed(f"交办异议期已于{p.contest_until:%Y年%m月%d日}届满，交办已确定")
        from duban.orgs.acting import acting_for

        unit_ids = acting_for(by).liaison
        a = next(x for x in p.item.assignments.select_related("unit") if x.unit_id in unit_ids)
        if p.contests.filter(unit=a.unit, state=Contest.State.PENDING).exists():
            raise TransitionNotAllowed("本单位已提出异议，待督查室决定")
        c = Contest.objects.create(proposal=p, unit=a.unit, reason=text(reason, "理由", max_length=2000), by=by,
                                   at=_now(now))
        _advance(p, by, step, comment=c.reason, now=now, data={"contest": c.id, "unit": a.unit.name})
    return c


def decide_contest(contest_id, by, *, uphold: bool, comment="", lead_unit=None, co_units=(), now=None) -> Contest:
    """The office decides: upheld, it reassigns (and the window runs again for the new units);
    rejected, the assignment stands."""
    with transaction.atomic():
        try:
            c = Contest.objects.select_for_update().get(pk=contest_id)
        except (Contest.DoesNotExist, ValueError, TypeError):
            raise NotFound("异议不存在") from None
        p = _lock(c.proposal_id)
        step = _check(by, p, "decide_contest")
        if c.state != Contest.State.PENDING:
            raise TransitionNotAllowed("该异议已决定")
        c.decided_by, c.decided_at = by, _now(now)
        c.decision = text(comment, "决定意见", required=not uphold, max_length=1000)
        data = {"contest": c.id, "unit": c.unit.name, "upheld": uphold}
        if uphold:
            if lead_unit is None:
                raise InvalidInput("异议成立须重新确定主办单位", "lead_unit")
            co_units = items._check_units(p.item.org, lead_unit, [u for u in co_units if u.id != lead_unit.id])
            _set_units_standing(p.item, lead_unit, co_units, now)
            p.contest_until = deadlines.add_working_days(
                _today(now), ProposalConfig.for_org(p.item.org).contest_working_days).date
            p.save()
            named.sync_item(p.item)
            data.update(lead_unit=lead_unit.name, co_units=[u.name for u in co_units])
            c.state = Contest.State.UPHELD
        else:
            c.state = Contest.State.REJECTED
        c.save()
        _advance(p, by, step, comment=c.decision, now=now, data=data)
    return c


# --- co-units' opinions and contacts ------------------------------------------------------------------

def _my_unit(p, by, role):
    from duban.orgs.acting import acting_for

    units = acting_for(by).liaison
    return next(a.unit for a in p.item.assignments.select_related("unit") if a.unit_id in units and a.role == role)


def submit_co_opinion(proposal_id, by, *, body, now=None) -> CoOpinion:
    """A co-unit sends its 会办意见 to the lead unit (by the date the office set)."""
    with transaction.atomic():
        p = _lock(proposal_id)
        step = _check(by, p, "submit_co_opinion")
        unit = _my_unit(p, by, Assignment.Role.CO)
        op = CoOpinion.objects.create(proposal=p, unit=unit, body=text(body, "会办意见", max_length=10000), by=by,
                                      at=_now(now), round=p.round)
        late = bool(p.co_opinion_due and _today(now) > p.co_opinion_due)
        _advance(p, by, step, comment=op.body[:500], now=now, data={"unit": unit.name, "late": late})
    return op


def record_contact(proposal_id, by, *, method, on, who, summary="", now=None) -> Contact:
    """The lead unit records a contact with the proposer (面商: visit, meeting, call)."""
    with transaction.atomic():
        p = _lock(proposal_id)
        step = _check(by, p, "record_contact")
        if method not in Contact.Method.values:
            raise InvalidInput("请选择沟通方式", "method")
        on = items._date(on, "日期")
        if on > _today(now):
            raise InvalidInput("日期不能晚于今天", "on")
        if on < p.received_on:
            raise InvalidInput("日期不能早于接收日期", "on")
        c = Contact.objects.create(proposal=p, method=method, on=on, who=text(who, "参加人员", max_length=200),
                                   summary=text(summary, "沟通情况", required=False, max_length=5000), by=by,
                                   round=p.round)
        _advance(p, by, step, comment=f"{c.get_method_display()}：{c.who}", now=now,
                 data={"contact": c.id, "method": method, "on": on.isoformat()})
    return c


# --- the answer letter ---------------------------------------------------------------------------------

@dataclass
class AnswerFields:
    body: str
    answer_class: str
    publishable: str = Publishable.NO
    abstract: str = ""
    commitments: list[tuple[str, object]] = field(default_factory=list)  # (what, by when)


def _clean_answer(f: AnswerFields, today) -> tuple[dict, list[tuple[str, dt.date]]]:
    if f.answer_class not in AnswerClass.values:
        raise InvalidInput("请选择答复类别（A/B/C/D）", "answer_class")
    if f.publishable not in Publishable.values:
        raise InvalidInput("请选择是否公开", "publishable")
    abstract = text(f.abstract, "公开摘要", required=f.publishable == Publishable.ABSTRACT, max_length=2000)
    commitments = []
    for what, due in f.commitments:
        what = text(what, "承诺事项", max_length=500)
        due = items._date(due, "承诺完成时间")
        if due < today:
            raise InvalidInput("承诺完成时间不能早于今天", "commitments")
        commitments.append((what, due))
    if f.answer_class in (AnswerClass.B, AnswerClass.C) and not commitments:
        raise InvalidInput("B类、C类答复须列明承诺事项及完成时间", "commitments")
    if f.answer_class not in (AnswerClass.B, AnswerClass.C) and commitments:
        raise InvalidInput("只有B类、C类答复列明承诺事项", "commitments")
    return dict(body=text(f.body, "答复函正文"), answer_class=f.answer_class, publishable=f.publishable,
                abstract=abstract), commitments


OPEN_ANSWER_STATES = (Answer.State.DRAFT, Answer.State.AWAITING_HEAD, Answer.State.SIGNED)


def draft_answer(proposal_id, by, fields: AnswerFields, *, now=None) -> Answer:
    with transaction.atomic():
        p = _lock(proposal_id)
        step = _check(by, p, "draft_answer")
        if p.answers.filter(round=p.round, state__in=OPEN_ANSWER_STATES).exists():
            raise TransitionNotAllowed("已有一份答复函正在办理中")
        data, commitments = _clean_answer(fields, _today(now))
        unit = _my_unit(p, by, Assignment.Role.LEAD)
        a = Answer.objects.create(proposal=p, round=p.round, unit=unit, author=by, created_at=_now(now), **data)
        Commitment.objects.bulk_create([Commitment(answer=a, text=w, due=d) for w, d in commitments])
        _advance(p, by, step, now=now, data={"answer": a.id, "class": a.answer_class})
    return a


def _lock_answer(answer_id):
    try:
        a = Answer.objects.select_for_update().get(pk=answer_id)
    except (Answer.DoesNotExist, ValueError, TypeError):
        raise NotFound("答复函不存在") from None
    return a, _lock(a.proposal_id)


def _answer_state(a, *states):
    if a.state not in states:
        raise TransitionNotAllowed(f"答复函当前状态为“{a.get_state_display()}”，不能执行此操作")


def edit_answer(answer_id, by, fields: AnswerFields, *, now=None) -> Answer:
    with transaction.atomic():
        a, p = _lock_answer(answer_id)
        step = _check(by, p, "draft_answer")
        _answer_state(a, Answer.State.DRAFT)
        data, commitments = _clean_answer(fields, _today(now))
        for k, v in data.items():
            setattr(a, k, v)
        a.save()
        a.commitments.all().delete()
        Commitment.objects.bulk_create([Commitment(answer=a, text=w, due=d) for w, d in commitments])
        _advance(p, by, step, now=now, action="edit_answer", data={"answer": a.id, "class": a.answer_class})
    return a


def send_answer_to_head(answer_id, by, *, now=None) -> Answer:
    with transaction.atomic():
        a, p = _lock_answer(answer_id)
        step = _check(by, p, "send_answer_to_head")
        _answer_state(a, Answer.State.DRAFT)
        a.state = Answer.State.AWAITING_HEAD
        a.save()
        _advance(p, by, step, now=now, data={"answer": a.id})
        _tell([a.unit_id], p, title=f"答复函待签发：{p.item.title}", body=f"{p.label}的答复函已呈您签发。",
              liaison=False, now=now)
    return a


def sign_answer(answer_id, by, *, comment="", now=None) -> Answer:
    """The unit head signs the answer letter (签发)."""
    with transaction.atomic():
        a, p = _lock_answer(answer_id)
        step = _check(by, p, "sign_answer")
        _answer_state(a, Answer.State.AWAITING_HEAD)
        a.state, a.head, a.signed_at = Answer.State.SIGNED, by, _now(now)
        a.head_comment = text(comment, "签发意见", required=False, max_length=1000)
        a.save()
        _advance(p, by, step, comment=a.head_comment, now=now, data={"answer": a.id})
    return a


def return_answer_to_author(answer_id, by, *, comment, now=None) -> Answer:
    with transaction.atomic():
        a, p = _lock_answer(answer_id)
        step = _check(by, p, "return_answer_to_author")
        _answer_state(a, Answer.State.AWAITING_HEAD)
        a.state, a.head = Answer.State.DRAFT, by
        a.head_comment = text(comment, "理由", max_length=1000)
        a.save()
        _tell([a.unit_id], p, title=f"答复函退回修改：{p.item.title}", body=a.head_comment, head=False, now=now)
        _advance(p, by, step, comment=a.head_comment, now=now, data={"answer": a.id})
    return a


def send_answer(answer_id, by, *, now=None) -> Answer:
    """The liaison sends the signed letter; it must follow a contact with the proposer (面商)."""
    with transaction.atomic():
        a, p = _lock_answer(answer_id)
        step = _check(by, p, "send_answer")
        _answer_state(a, Answer.State.SIGNED)
        if not p.contacts.filter(round=p.round).exists():
            raise TransitionNotAllowed("答复前须与代表委员沟通（面商），请先登记沟通情况")
        a.state, a.sent_at, a.due = Answer.State.SENT, _now(now), p.item.deadline
        a.save()
        p.item.last_progress_at = _now(now)
        _advance(p, by, step, now=now, data={"answer": a.id, "on_time": a.is_on_time})
    return a


REVIEW_CRITERIA = {
    "answers_question": "是否答其所问",
    "lawful": "是否合法合规",
    "commitments_concrete": "承诺事项是否具体",
}


def review_answer(answer_id, by, *, accept: bool, criteria: dict, comment="", now=None) -> tuple[Answer, str | None]:
    """The office reviews the answer (seed 002 art. 5(5), adapted: does it answer the question? is it
    lawful? are its commitments concrete?). Accepted, B/C commitments become follow-up items and the
    lead proposer's rating link is issued (returned once, to be sent on); returned, it goes back."""
    with transaction.atomic():
        a, p = _lock_answer(answer_id)
        step = _check(by, p, "accept_answer" if accept else "return_answer")
        _answer_state(a, Answer.State.SENT)
        values = {k: bool(criteria.get(k)) for k in REVIEW_CRITERIA}
        if accept and not all(values.values()):
            missing = "、".join(REVIEW_CRITERIA[k] for k, v in values.items() if not v)
            raise InvalidInput(f"审核通过须各项均符合，未符合：{missing}", "criteria")
        comment = text(comment, "审核意见", required=not accept, max_length=5000)
        for k, v in values.items():
            setattr(a, k, v)
        a.review_comment, a.reviewed_by, a.reviewed_at = comment, by, _now(now)
        a.state = Answer.State.ACCEPTED if accept else Answer.State.RETURNED
        a.save()
        token = None
        if not accept:
            _tell([a.unit_id], p, title=f"答复退回重办：{p.item.title}", body=comment, now=now)
        if accept:
            for c in a.commitments.select_for_update():
                c.item = _follow_up_item(p, a, c, by, now)
                c.save()
            token = _new_link(a, p, now)
        _advance(p, by, step, comment=comment, now=now, data={"answer": a.id, **values})
    return a, token


def _follow_up_item(p: Proposal, a: Answer, c: Commitment, by, now) -> Item:
    """A commitment becomes an item in the organisation's series, assigned to the answering unit."""
    today = _today(now)
    org = p.item.org
    seq = items.next_number(org, today.year)
    item = Item.objects.create(
        org=org, year=today.year, seq=seq, number=items.format_number(org.number_prefix, today.year, seq),
        title=f"落实{p.label}答复承诺：{c.text}"[: items.MAX_TITLE], content=c.text, kind=p.item.kind,
        lead_unit=a.unit, responsible_leader=p.item.responsible_leader, drafter=by,
        start_date=today, deadline=c.due, deadline_override_reason="按答复函承诺的完成时间",
        deadline_provisional=deadlines.add_working_days(c.due, 0).provisional,
        source_text=f"{p.item.number}答复函（{a.get_answer_class_display()[:2]}）承诺事项",
        status=Status.ASSIGNED, registered_at=_now(now), last_progress_at=_now(now), created_at=_now(now),
    )
    Assignment.objects.create(item=item, unit=a.unit, role=Assignment.Role.LEAD)
    items.record(item, by, "create", to_status=Status.DRAFT, now=now, comment=f"由{p.item.number}答复承诺生成",
                 data={"proposal": p.id, "commitment": c.id})
    items.record(item, by, "assign", from_status=Status.DRAFT, to_status=Status.ASSIGNED, now=now,
                 data={"units": [a.unit.name], "deadline": c.due.isoformat()})
    named.sync_item(item)
    return item


# --- rating ------------------------------------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_link(a: Answer, p: Proposal, now) -> str:
    signer = p.signers.filter(is_lead=True).select_related("proposer").first() or p.signers.first()
    RatingLink.objects.filter(answer__proposal=p, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=_now(now))
    token = secrets.token_urlsafe(32)
    days = ProposalConfig.for_org(p.item.org).rating_link_days
    RatingLink.objects.create(answer=a, proposer=signer.proposer, token_hash=_hash(token), created_at=_now(now),
                              expires_at=_now(now) + dt.timedelta(days=days))
    return token


def current_answer(p: Proposal) -> Answer | None:
    return p.answers.filter(state=Answer.State.ACCEPTED).order_by("-round", "-id").first()


def issue_rating_link(proposal_id, by, *, now=None) -> str:
    """A new link for the lead proposer (the old one stops working)."""
    with transaction.atomic():
        p = _lock(proposal_id)
        step = _check(by, p, "issue_rating_link")
        a = current_answer(p)
        token = _new_link(a, p, now)
        _advance(p, by, step, now=now, data={"answer": a.id})
    return token


def link_for(token) -> RatingLink | None:
    """The live link with this token, if any (the page a proposer opens)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    link = RatingLink.objects.select_related("answer__proposal__session", "answer__proposal__item", "answer__unit",
                                             "proposer").filter(token_hash=_hash(token)).first()
    return link if link and link.is_live() else None


def rate_by_link(token, *, value, comment="", now=None) -> Rating:
    """The proposer rates through the personal link: once, before it expires, without an account."""
    with transaction.atomic():
        link = RatingLink.objects.select_for_update().filter(token_hash=_hash(str(token))).first()
        if link is None or not link.is_live(_now(now)):
            raise NotFound("评价链接无效、已使用或已过期，请与督查室联系")
        p = _lock(link.answer.proposal_id)
        if p.state != ProposalState.AWAITING_RATING or current_answer(p) != link.answer:
            raise TransitionNotAllowed("该答复已不在待评价状态")
        link.used_at = _now(now)
        link.save()
        return _rate(p, link.answer, link.proposer, value, comment, Rating.Via.LINK, None, now)


def record_paper_rating(proposal_id, by, *, value, comment="", now=None) -> Rating:
    """The office records a rating the proposer returned on paper."""
    with transaction.atomic():
        p = _lock(proposal_id)
        _check(by, p, "record_paper_rating")
        a = current_answer(p)
        signer = p.signers.filter(is_lead=True).select_related("proposer").first() or p.signers.first()
        RatingLink.objects.filter(answer=a, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=_now(now))
        return _rate(p, a, signer.proposer, value, comment, Rating.Via.PAPER, by, now)


def _rate(p, a, proposer, value, comment, via, by, now) -> Rating:
    if value not in Rating.Value.values:
        raise InvalidInput("请选择满意、基本满意或不满意", "value")
    if isinstance(comment, str):
        comment = comment.replace("\x00", "")  # typed on a public page; PostgreSQL text cannot hold NUL
    if Rating.objects.filter(answer=a).exists():
        raise TransitionNotAllowed("该答复已评价")
    r = Rating.objects.create(answer=a, proposer=proposer, value=value, via=via, recorded_by=by, at=_now(now),
                              comment=text(comment, "意见", required=value == Rating.Value.UNSATISFIED,
                                           max_length=2000))
    old = p.item.status
    item = p.item
    if r.value == Rating.Value.UNSATISFIED and p.round == 1:
        # 不满意: handled again, with a new deadline and a second answer (seed 001 art. 10).
        today = _today(now)
        months = ProposalConfig.for_org(item.org).rehandle_months
        p.round, p.state = 2, ProposalState.HANDLING
        if item.original_deadline is None:
            item.original_deadline = item.deadline
        item.deadline = deadlines.add_months(today, months).date
        # Co-units give their opinion again by the midpoint of the new period.
        p.co_opinion_due = today + (item.deadline - today) / 2
        item.deadline_provisional = deadlines.add_working_days(item.deadline, 0).provisional
        item.status = Status.IN_PROGRESS
        action, comment = "rehandle", f"代表委员不满意，重新办理，期限{item.deadline:%Y年%m月%d日}"
    else:
        p.state = ProposalState.CLOSED
        item.status, item.closed_at = Status.CLOSED, _now(now)
        action, comment = "rated", f"代表委员评价：{r.get_value_display()}"
    p.save()
    item.version += 1
    item.save()
    items.record(item, by, action, from_status=old, to_status=item.status, comment=comment, now=now,
                 data={"rating": r.id, "value": r.value, "via": via, "round": a.round})
    if action == "rehandle":
        items._tell_units(item, kind="deadline_changed", title=f"重新办理：{item.title}", body=comment, now=now)
    return r
