"""One function per action a person takes on an item.

Each checks the action against the declaration in ``workflow.py``, locks the item, does its work in
one transaction and appends an ``Event``. None of them reads a request: views, the API and
management commands call them alike. Time is a parameter (``now=``) so tests can move the clock.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from duban.deadlines import services as deadlines
from duban.orgs.acting import acting_for, people_acting_for
from duban.orgs.models import LEADER_ROLES, Role, Unit, User

from . import crosslevel, named, workflow
from .errors import InvalidInput, NotFound, PermissionDenied, StaleVersion, TransitionNotAllowed
from .models import (
    Assignment,
    Attachment,
    Event,
    ExtensionRequest,
    Instruction,
    Item,
    ItemKind,
    NumberSeries,
    Report,
    ReportCycle,
    Review,
    Satisfaction,
    Status,
    Urge,
    Urgency,
)

MAX_TITLE = 200
MAX_TEXT = 20000
MAX_SHORT = 1000
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2099, 12, 31)


# --- helpers -----------------------------------------------------------------------------------

def _now(now):
    return now or timezone.now()


def _today(now) -> dt.date:
    return timezone.localdate(_now(now))


# The field an error names, for pages and the API to put the message next to.
FIELD_OF_LABEL = {
    "标题": "title", "内容与要求": "content", "来源与依据": "source_text", "责任人": "responsible_person",
    "责任人电话": "responsible_phone", "理由": "comment", "说明": "comment", "报告内容": "body",
    "延期理由": "reason", "目前进展": "progress", "催办内容": "summary", "对方联系人": "contact_person",
    "审签意见": "comment", "审批意见": "comment", "批示内容": "text", "调整时限理由": "deadline_override_reason",
}


def _text(value, label, *, required=True, max_length=MAX_TEXT) -> str:
    field = FIELD_OF_LABEL.get(label, label)
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise InvalidInput(f"{label}格式不正确", field)
    if "\x00" in value:
        # PostgreSQL cannot store NUL in text; pages that read a field without a Django form
        # (report edit, the head's comment, one-click urge) reach here, as the API's Text type refuses it.
        raise InvalidInput(f"{label}不能包含空字符（\\u0000）", field)
    if required and not value:
        raise InvalidInput(f"请填写{label}", field)
    if len(value) > max_length:
        raise InvalidInput(f"{label}不能超过{max_length}字", field)
    return value


def _date(value, label) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{label}不是有效日期（应为 YYYY-MM-DD）", label) from None
    if not isinstance(value, dt.date):
        raise InvalidInput(f"请填写{label}", label)
    if not EARLIEST <= value <= LATEST:
        raise InvalidInput(f"{label}超出可接受的范围（2000—2099年）", label)
    return value


def record(item: Item, actor, action: str, *, from_status="", to_status="", comment="", data=None, now=None) -> Event:
    ev = new_event(item, actor, action, from_status=from_status, to_status=to_status, comment=comment, data=data,
                   now=now)
    ev.save(force_insert=True)
    return ev


def new_event(item: Item, actor, action: str, *, from_status="", to_status="", comment="", data=None,
              now=None) -> Event:
    """The event ``record`` appends, unsaved: many at once go in with ``Event.objects.bulk_create``,
    which chains them in list order (the ladder's batched sweep)."""
    return Event(item=item, actor=actor, action=action, from_status=from_status, to_status=to_status,
                 comment=comment or "", data=data or {}, at=_now(now))


def parse_version(version) -> int | None:
    """The item version a form or client acted on, as a whole number; None means "do not check".

    Every page and API call that passes ``version`` comes through here, so ``abc``, an empty
    field, ``1.5`` or 5,000 digits is a 400 with a Chinese message, never a 500."""
    if version is None or isinstance(version, int) and not isinstance(version, bool):
        return version
    text = str(version).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise InvalidInput("版本号无效：请刷新页面后重试", "version")
    return int(text)


def _lock(item_id, version=None) -> Item:
    """Fetch the item for update; refuse if the form the user acted on is stale."""
    version = parse_version(version)
    try:
        item = Item.objects.select_for_update().get(pk=item_id)
    except (Item.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound("事项不存在") from None
    if version is not None and version != item.version:
        raise StaleVersion("该事项已被他人更新，请刷新页面后重试")
    return item


def _check(user, item, action: str, **context) -> workflow.Transition:
    t = workflow.BY_ACTION[action]
    refusal = workflow.procedure_refusal(item, action)
    if refusal:
        raise TransitionNotAllowed(refusal)
    if not workflow.may_act(user, item, t, **context):
        raise PermissionDenied(f"您无权执行“{t.label}”")
    if not workflow.state_allows(item, t):
        raise TransitionNotAllowed(f"事项当前状态为“{item.get_status_display()}”，不能执行“{t.label}”")
    return t


def _move(item, user, t: workflow.Transition, *, comment="", data=None, now=None, action=None) -> Event:
    old = item.status
    if t.target:
        item.status = t.target
    item.version += 1
    item.save()
    return record(item, user, action or t.action, from_status=old, to_status=item.status,
                  comment=comment, data=data, now=now)


def _require_comment(t, comment) -> str:
    if t.comment_required:
        return _text(comment, "理由", max_length=5000)
    return _text(comment, "说明", required=False, max_length=5000)


# --- drafting and registration ------------------------------------------------------------------

@dataclass
class DraftFields:
    title: str
    content: str
    kind: str
    urgency: str
    lead_unit: Unit | None
    co_units: list
    responsible_leader: User | None
    deadline: dt.date | None = None
    deadline_override_reason: str = ""
    source_text: str = ""
    is_secret: bool = False
    report_cycle: str | None = None  # None: the default for the kind


def _check_units(org, lead_unit, co_units) -> list:
    """Lead and co-units are units of this organisation that handle work: not the office, not the
    leadership (seed 002 art. 5(2): 明确主办单位和协办单位)."""
    not_handling = (Unit.Kind.OFFICE, Unit.Kind.LEADERSHIP)
    if lead_unit is None or lead_unit.org_id != org.id or lead_unit.kind in not_handling or not lead_unit.is_active:
        raise InvalidInput("请选择本组织的主办单位", "lead_unit")
    co_units = list(dict.fromkeys(co_units or []))
    for u in co_units:
        if u.org_id != org.id or u.kind in not_handling or not u.is_active:
            raise InvalidInput("协办单位须为本组织的承办单位", "co_units")
        if u.id == lead_unit.id:
            raise InvalidInput("协办单位不能与主办单位相同", "co_units")
    return co_units


def _clean_draft(org, f: DraftFields, now, *, proposal=None) -> dict:
    """The draft's fields, checked. ``proposal``: the (deadline, rule) ``propose_deadline`` gives for
    this kind and urgency today, when the caller checks many drafts at once (a ledger import)."""
    title = _text(f.title, "标题", max_length=MAX_TITLE)
    content = _text(f.content, "内容与要求")
    if f.kind not in ItemKind.values:
        raise InvalidInput("请选择正确的事项类别", "kind")
    if f.urgency not in Urgency.values:
        raise InvalidInput("请选择正确的缓急程度", "urgency")
    co_units = _check_units(org, f.lead_unit, f.co_units)
    leader = f.responsible_leader
    if leader is None or leader.org_id != org.id or leader.role not in LEADER_ROLES:
        raise InvalidInput("请选择本组织的分管领导", "responsible_leader")
    proposed, rule = proposal or deadlines.propose_deadline(org, f.kind, f.urgency, _today(now))
    reason = _text(f.deadline_override_reason, "调整时限理由", required=False, max_length=500)
    if f.deadline:
        deadline = _date(f.deadline, "办理时限")
        if deadline < _today(now):
            raise InvalidInput("办理时限不能早于今天", "deadline")
        if proposed is None or deadline != proposed.date:
            if not reason:
                raise InvalidInput("办理时限与规则建议不同，请填写调整理由", "deadline_override_reason")
        else:
            reason = ""
    elif proposed is not None:
        deadline = proposed.date
        reason = ""
    else:
        raise InvalidInput("本组织没有适用的时限规则，请填写办理时限", "deadline")
    cycle = f.report_cycle
    if cycle is None:
        # Written supervision of a policy without a set reporting date: every half year (000 art. 4(2)).
        cycle = ReportCycle.HALF_YEARLY if f.kind == ItemKind.POLICY_DOCUMENT else ReportCycle.NONE
    if cycle not in ReportCycle.values:
        raise InvalidInput("请选择正确的定期报告周期", "report_cycle")
    overridden = bool(reason)
    provisional = deadlines.add_working_days(deadline, 0).provisional
    return dict(
        title=title, content=content, kind=f.kind, urgency=f.urgency, lead_unit=f.lead_unit,
        responsible_leader=leader, deadline=deadline, deadline_override_reason=reason,
        deadline_rule=None if overridden else rule, deadline_provisional=provisional,
        source_text=_text(f.source_text, "来源与依据", required=False, max_length=5000),
        is_secret=bool(f.is_secret), co_units=co_units, report_cycle=cycle,
    )


def _set_units(item, lead_unit, co_units):
    keep = {lead_unit.id: Assignment.Role.LEAD, **{u.id: Assignment.Role.CO for u in co_units}}
    keep[lead_unit.id] = Assignment.Role.LEAD
    existing = {a.unit_id: a for a in item.assignments.all()}
    for unit_id, a in existing.items():
        if unit_id not in keep:
            a.delete()
    for unit_id, role in keep.items():
        a = existing.get(unit_id)
        if a is None:
            Assignment.objects.create(item=item, unit_id=unit_id, role=role)
        elif a.role != role or a.state == Assignment.State.DECLINED:
            a.role = role
            a.state = Assignment.State.PENDING
            a.declined_reason = ""
            a.save()


def create_draft(org, by: User, fields: DraftFields, *, now=None) -> Item:
    """The office drafts an item and its proposal (拟办意见, seed 002 art. 5(1))."""
    if not (by.org_id == org.id and by.role in (Role.SUPERVISOR, Role.OFFICE_HEAD)):
        raise PermissionDenied("只有督查室人员可以拟办督查事项")
    data = _clean_draft(org, fields, now)
    co_units = data.pop("co_units")
    with transaction.atomic():
        item = Item.objects.create(org=org, drafter=by, status=Status.DRAFT, created_at=_now(now), **data)
        _set_units(item, data["lead_unit"], co_units)
        named.sync_item(item)
        record(item, by, "create", to_status=Status.DRAFT, now=now)
    return item


def update_draft(item_id, by: User, fields: DraftFields, *, version=None, now=None) -> Item:
    with transaction.atomic():
        item = _lock(item_id, version)
        t = _check(by, item, "edit_draft")
        fields = crosslevel.fit_upper_deadline(item, fields, _today(now))
        data = _clean_draft(item.org, fields, now)
        crosslevel.check_within_upper_deadline(item, data["deadline"], _today(now))
        co_units = data.pop("co_units")
        for k, v in data.items():
            setattr(item, k, v)
        _set_units(item, data["lead_unit"], co_units)
        named.sync_item(item)  # a replaced leader loses a secret draft (issue 8, point 1)
        _move(item, by, t, now=now)
    return item


def submit_proposal(item_id, by, *, version=None, comment="", now=None) -> Item:
    with transaction.atomic():
        item = _lock(item_id, version)
        t = _check(by, item, "submit_proposal")
        # A draft registered from an upper item starts without units or leader (register_lower):
        # the proposal names them before a leader sees it (seed 002 art. 5(1)).
        if item.lead_unit_id is None:
            raise InvalidInput("请先确定主办单位（修改草稿）", "lead_unit")
        if item.responsible_leader_id is None:
            raise InvalidInput("请先确定分管领导（修改草稿）", "responsible_leader")
        _move(item, by, t, comment=_require_comment(t, comment), now=now)
    return item


def reject_proposal(item_id, by, *, comment, version=None, now=None) -> Item:
    with transaction.atomic():
        item = _lock(item_id, version)
        t = _check(by, item, "reject_proposal")
        _move(item, by, t, comment=_require_comment(t, comment), now=now)
    return item


def take_next(series_model, **key) -> int:
    """Take the next number of a series row (a model with `last`); never duplicated or skipped.

    The row is locked for the rest of the caller's transaction, so two takers at the same moment
    are serialised, and a rolled-back transaction gives its number back.
    """
    return take_block(series_model, 1, **key)[0]


def take_block(series_model, count: int, **key) -> range:
    """Take the next ``count`` numbers of a series at once (the ladder's batched sweep), under the
    same lock as ``take_next``: consecutive, never duplicated or skipped."""
    try:
        with transaction.atomic():
            series_model.objects.get_or_create(**key)
    except IntegrityError:
        pass  # created by a concurrent transaction
    series = series_model.objects.select_for_update().get(**key)
    first = series.last + 1
    series.last += count
    series.save(update_fields=["last"])
    return range(first, series.last + 1)


def next_number(org, year: int) -> int:
    """The next item number of the organisation's year: 督〔2026〕N号."""
    return take_next(NumberSeries, org=org, year=year)


def format_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕{seq}号"


def approve_proposal(item_id, by, *, version=None, comment="", now=None) -> Item:
    """Approval registers the item (立项) and assigns it (交办) to its units (seed 002 art. 5(1)(2))."""
    with transaction.atomic():
        item = _lock(item_id, version)
        t = _check(by, item, "approve_proposal")
        today = _today(now)
        item.year = today.year
        item.seq = next_number(item.org, item.year)
        item.number = format_number(item.org.number_prefix, item.year, item.seq)
        item.registered_at = item.last_progress_at = _now(now)
        item.start_date = today
        if item.deadline_rule_id and not item.deadline_override_reason:
            # The period runs from the day of assignment, which is not counted (Civil Code art. 201).
            result = deadlines.compute_deadline(item.deadline_rule, today)
            item.deadline, item.deadline_provisional = result.date, result.provisional
            crosslevel.clamp_to_upper_deadline(item, today)
        comment = _require_comment(t, comment)
        _move(item, by, t, comment=comment, now=now, data={"number": item.number})
        record(item, by, "assign", to_status=item.status, now=now,
               data={"units": [a.unit.name for a in item.assignments.select_related("unit")],
                     "deadline": item.deadline.isoformat() if item.deadline else None})
        named.sync_item(item)
    return item


# --- across levels: an item received from the upper organisation -----------------------------------

def register_lower(item_id, by, *, now=None) -> Item:
    """The lower organisation's office, having signed for an upper item in its unit's name,
    registers it in its own series: a draft of its own organisation prefilled from the upper item
    (``crosslevel.lower_draft_fields``), which it completes (units, leader) and takes through its
    own approval, where it gets its own number (一级抓一级, seed 001 arts. 3, 5)."""
    with transaction.atomic():
        upper = _lock(item_id)
        t = _check(by, upper, "register_lower")
        org = by.org
        existing = crosslevel.lower_item_of(upper, org.id)
        if existing is not None:
            raise TransitionNotAllowed(f"本级已登记该事项（{existing.number or '草拟中'}）")
        lower = Item.objects.create(
            org=org, drafter=by, status=Status.DRAFT, created_at=_now(now), upper_item=upper,
            **crosslevel.lower_draft_fields(upper, org, _today(now)),
        )
        named.sync_item(lower)
        record(lower, by, "create", to_status=Status.DRAFT, now=now,
               comment=f"由上级事项{upper.number}（{upper.org.name}）登记",
               data={"upper_item": upper.id, "upper_number": upper.number})
        _move(upper, by, t, now=now, comment=f"{org.name}已登记为本级事项，按本级程序立项办理", data={"org": org.name})
    return lower


# --- assignment ----------------------------------------------------------------------------------

def _my_assignment(item, user) -> Assignment:
    """The assignment of the unit the user answers for as liaison (own unit, or the unit standing
    for the user's organisation); the declaration has already admitted the user."""
    return item.assignments.select_related("unit").get(unit_id__in=acting_for(user).liaison)


def _refuse_if_already_answered(item, by, action):
    """A co-unit whose assignment was signed or sent back while this liaison waited for the lock
    lost a race: 409 like every other race, not the 403 the declaration would give (issue 8, point 5)."""
    if not action.endswith("_as_co"):
        return
    a = workflow._assignment(by, item, Assignment.Role.CO)
    if a is not None and a.state != Assignment.State.PENDING and workflow.state_allows(item, workflow.BY_ACTION[action]):
        raise TransitionNotAllowed(f"本单位已{a.get_state_display().removeprefix('已')}该事项，请刷新页面")


def _sign_for(action, item_id, by, responsible_person, responsible_phone, version, now) -> Item:
    with transaction.atomic():
        item = _lock(item_id, version)
        _refuse_if_already_answered(item, by, action)
        t = _check(by, item, action)
        a = _my_assignment(item, by)
        a.responsible_person = _text(responsible_person, "责任人", max_length=50)
        a.responsible_phone = _text(responsible_phone, "责任人电话", required=False, max_length=30)
        a.state, a.accepted_at = Assignment.State.ACCEPTED, _now(now)
        a.save()
        item.last_progress_at = _now(now)
        _move(item, by, t, now=now, data={"unit": a.unit.name, "responsible_person": a.responsible_person})
    return item


def accept(item_id, by, *, responsible_person, responsible_phone="", version=None, now=None) -> Item:
    """The lead unit signs for the item and names the responsible person (seed 001 art. 7(3))."""
    return _sign_for("accept", item_id, by, responsible_person, responsible_phone, version, now)


def accept_as_co(item_id, by, *, responsible_person, responsible_phone="", version=None, now=None) -> Item:
    """A co-unit signs for its part; the item's state is the lead unit's to change."""
    return _sign_for("accept_as_co", item_id, by, responsible_person, responsible_phone, version, now)


def _send_back(action, item_id, by, comment, version, now) -> Item:
    with transaction.atomic():
        item = _lock(item_id, version)
        _refuse_if_already_answered(item, by, action)
        t = _check(by, item, action)
        comment = _require_comment(t, comment)
        a = _my_assignment(item, by)
        a.state, a.declined_reason = Assignment.State.DECLINED, comment
        a.save()
        _move(item, by, t, comment=comment, now=now, data={"unit": a.unit.name})
    return item


def decline(item_id, by, *, comment, version=None, now=None) -> Item:
    """The lead unit sends the item back to the office as not its business; the office reassigns it."""
    return _send_back("decline", item_id, by, comment, version, now)


def decline_as_co(item_id, by, *, comment, version=None, now=None) -> Item:
    return _send_back("decline_as_co", item_id, by, comment, version, now)


def reassign(item_id, by, *, lead_unit, co_units=(), comment="", version=None, now=None) -> Item:
    with transaction.atomic():
        item = _lock(item_id, version)
        t = _check(by, item, "reassign")
        co_units = _check_units(item.org, lead_unit, [u for u in co_units if lead_unit is None or u.id != lead_unit.id])
        _set_units(item, lead_unit, co_units)
        item.lead_unit = lead_unit
        _move(item, by, t, comment=_require_comment(t, comment), now=now,
              data={"lead_unit": lead_unit.name, "co_units": [u.name for u in co_units]})
        named.sync_item(item)
    return item


# --- reports ----------------------------------------------------------------------------------------

def explanation_required(item, unit_id, *, now=None) -> bool:
    """A unit past its deadline files an explanation before anything else (seed 000 art. 4(4))."""
    if item.status not in workflow.HANDLING or not item.is_overdue(_today(now)):
        return False
    if not any(a.unit_id == unit_id and a.state == Assignment.State.ACCEPTED for a in item.assignments.all()):
        return False
    return not item.reports.filter(
        unit_id=unit_id, kind=Report.Kind.EXPLANATION, state__in=[Report.State.SUBMITTED, Report.State.ACCEPTED],
        submitted_at__date__gt=item.deadline,
    ).exists()


def extension_still_possible(item, *, now=None) -> bool:
    """Extensions are asked for before the deadline (seed 001 art. 9: 提前……申请延长办理期限)."""
    return not (item.deadline and _today(now) > item.deadline)


def _refuse_unless_explained(item, unit_id, kind, now):
    if kind != Report.Kind.EXPLANATION and explanation_required(item, unit_id, now=now):
        raise TransitionNotAllowed("本事项已超过办理时限，请先报送情况说明，说明超期原因")


def report_transitions(user, item, report, *, now=None,
                       explanation_due: dict[int, bool] | None = None) -> list[workflow.Transition]:
    """The steps ``user`` may take on ``report`` now: the workflow's, less 报送 of a report other
    than the explanation while the explanation is due (the refusal submit_report would give). The
    page and the API both offer these. ``explanation_due`` holds ``explanation_required`` per unit
    where the caller has asked it already (the item page asks it once for the user's unit)."""
    steps = workflow.available_report_actions(user, item, report)
    if any(t.action == "submit_report" for t in steps) and report.kind != Report.Kind.EXPLANATION:
        due = (explanation_due or {}).get(report.unit_id)
        if due is None:
            due = explanation_required(item, report.unit_id, now=now)
        if due:
            steps = [t for t in steps if t.action != "submit_report"]
    return steps


def report_actions(user, item, report, *, now=None, explanation_due: dict[int, bool] | None = None) -> list[str]:
    """The names of ``report_transitions``."""
    return [t.action for t in report_transitions(user, item, report, now=now, explanation_due=explanation_due)]


def draft_report(item_id, by, *, kind, body, now=None) -> Report:
    with transaction.atomic():
        item = _lock(item_id)
        t = _check(by, item, "draft_report")
        a = _my_assignment(item, by)
        allowed = (
            {Report.Kind.PROGRESS, Report.Kind.COMPLETION, Report.Kind.EXPLANATION}
            if a.role == Assignment.Role.LEAD else {Report.Kind.CO_INPUT, Report.Kind.EXPLANATION}
        )
        if kind not in allowed:
            raise InvalidInput("本单位不能起草此类报告", "kind")
        _refuse_unless_explained(item, a.unit_id, kind, now)
        if kind == Report.Kind.COMPLETION and item.reports.filter(
            kind=kind, state__in=[Report.State.DRAFT, Report.State.AWAITING_HEAD, Report.State.APPROVED]
        ).exists():
            raise TransitionNotAllowed("已有一份办结报告正在办理中")
        report = Report.objects.create(
            item=item, unit=a.unit, kind=kind, body=_text(body, "报告内容"), author=by, created_at=_now(now)
        )
        _move(item, by, t, now=now, data={"report": report.id, "kind": kind})
    return report


def _lock_report(report_id):
    try:
        report = Report.objects.select_for_update().select_related("item").get(pk=report_id)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise NotFound("报告不存在") from None
    item = _lock(report.item_id)
    return report, item


def _report_state(report, action):
    if report.state != workflow.REPORT_ACTION_FROM[action]:
        raise TransitionNotAllowed(f"报告当前状态为“{report.get_state_display()}”，不能执行此操作")


def edit_report(report_id, by, *, body, now=None) -> Report:
    with transaction.atomic():
        report, item = _lock_report(report_id)
        _check(by, item, "send_report_to_head", report=report)
        _report_state(report, "send_report_to_head")
        report.body = _text(body, "报告内容")
        report.save()
    return report


def send_report_to_head(report_id, by, *, now=None) -> Report:
    with transaction.atomic():
        report, item = _lock_report(report_id)
        t = _check(by, item, "send_report_to_head", report=report)
        _report_state(report, "send_report_to_head")
        report.state = Report.State.AWAITING_HEAD
        report.save()
        _move(item, by, t, now=now, data={"report": report.id, "kind": report.kind})
    return report


def approve_report(report_id, by, *, comment="", now=None) -> Report:
    with transaction.atomic():
        report, item = _lock_report(report_id)
        t = _check(by, item, "approve_report", report=report)
        _report_state(report, "approve_report")
        report.state, report.head, report.approved_at = Report.State.APPROVED, by, _now(now)
        report.head_comment = _text(comment, "审签意见", required=False, max_length=MAX_SHORT)
        report.save()
        _move(item, by, t, comment=report.head_comment, now=now, data={"report": report.id, "kind": report.kind})
    return report


def return_report_to_author(report_id, by, *, comment, now=None) -> Report:
    with transaction.atomic():
        report, item = _lock_report(report_id)
        t = _check(by, item, "return_report_to_author", report=report)
        _report_state(report, "return_report_to_author")
        report.state, report.head = Report.State.DRAFT, by
        report.head_comment = _require_comment(t, comment)
        report.save()
        _move(item, by, t, comment=report.head_comment, now=now, data={"report": report.id})
    return report


def submit_report(report_id, by, *, version=None, now=None) -> Report:
    """The liaison files a report the unit head approved; a completion report goes to review."""
    with transaction.atomic():
        version = parse_version(version)
        report, item = _lock_report(report_id)
        if version is not None and version != item.version:
            raise StaleVersion("该事项已被他人更新，请刷新页面后重试")
        t = _check(by, item, "submit_report", report=report)
        _report_state(report, "submit_report")
        _refuse_unless_explained(item, report.unit_id, report.kind, now)
        if report.kind == Report.Kind.COMPLETION:
            if report.unit_id != item.lead_unit_id:
                raise PermissionDenied("办结报告只能由主办单位报送")
            t = _check(by, item, "submit_completion_report", report=report)
        report.state, report.submitted_at = Report.State.SUBMITTED, _now(now)
        report.save()
        item.last_progress_at = _now(now)
        _move(item, by, t, now=now, data={"report": report.id, "kind": report.kind})
    return report


# --- extensions and urges ------------------------------------------------------------------------

def request_extension(item_id, by, *, until, reason, progress, version=None, now=None) -> ExtensionRequest:
    """Asked before the deadline, with reason and progress so far (seed 001 art. 9)."""
    with transaction.atomic():
        item = _lock(item_id, version)
        t = _check(by, item, "request_extension")
        today = _today(now)
        a = _my_assignment(item, by)
        _refuse_unless_explained(item, a.unit_id, "extension", now)
        if not extension_still_possible(item, now=now):
            raise TransitionNotAllowed("延期须在办理时限届满前申请；已超期的请报送情况说明")
        until = _date(until, "申请延至")
        if item.deadline and until <= item.deadline:
            raise InvalidInput("申请延至的日期须晚于现办理时限", "until")
        cap = extension_cap(item)
        if cap and until > cap:
            raise InvalidInput(f"按规定最迟不得超过{cap:%Y年%m月%d日}", "until")
        if item.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
            raise TransitionNotAllowed("已有一份延期申请待审批")
        req = ExtensionRequest.objects.create(
            item=item, unit=a.unit, requested_by=by, requested_deadline=until,
            reason=_text(reason, "延期理由", max_length=5000), progress=_text(progress, "目前进展", max_length=5000),
            created_at=_now(now),
        )
        _move(item, by, t, comment=req.reason, now=now,
              data={"request": req.id, "until": until.isoformat()})
    return req


def extension_cap(item):
    """The latest date any extension may reach, e.g. 6 months for suggestions (seed 001 art. 10)."""
    if not item.deadline_rule_id or not item.start_date:
        return None
    latest = deadlines.compute_latest_deadline(item.deadline_rule, item.start_date)
    return latest.date if latest else None


def decide_extension(request_id, by, *, approve: bool, new_deadline=None, comment="", now=None) -> ExtensionRequest:
    with transaction.atomic():
        try:
            req = ExtensionRequest.objects.select_for_update().get(pk=request_id)
        except (ExtensionRequest.DoesNotExist, ValueError, TypeError):
            raise NotFound("延期申请不存在") from None
        item = _lock(req.item_id)
        t = _check(by, item, "decide_extension")
        if req.state != ExtensionRequest.State.PENDING:
            raise TransitionNotAllowed("该延期申请已审批")
        req.decided_by, req.decided_at = by, _now(now)
        req.decision_comment = _text(comment, "审批意见", required=not approve, max_length=MAX_SHORT)
        req.old_deadline = item.deadline
        if approve:
            new = _date(new_deadline, "批准时限") if new_deadline else req.requested_deadline
            if item.deadline and new <= item.deadline:
                raise InvalidInput("批准时限须晚于现办理时限", "new_deadline")
            cap = extension_cap(item)
            if cap and new > cap:
                raise InvalidInput(f"按规定最迟不得超过{cap:%Y年%m月%d日}", "new_deadline")
            req.state, req.new_deadline = ExtensionRequest.State.APPROVED, new
            if item.original_deadline is None:
                item.original_deadline = item.deadline
            item.deadline = new
            item.deadline_provisional = deadlines.add_working_days(new, 0).provisional
        else:
            req.state = ExtensionRequest.State.REFUSED
        req.save()
        _move(item, by, t, comment=req.decision_comment, now=now, action="approve_extension" if approve else "refuse_extension",
              data={"request": req.id, "old_deadline": req.old_deadline.isoformat() if req.old_deadline else None,
                    "new_deadline": req.new_deadline.isoformat() if req.new_deadline else None})
    return req


def log_urge(item_id, by, *, method, summary, unit=None, contact_person="", occurred_at=None, now=None) -> Urge:
    """The office logs a phone call, written notice or visit (seed 001 art. 13(2); seed 004)."""
    with transaction.atomic():
        item = _lock(item_id)
        t = _check(by, item, "log_urge")
        if method not in Urge.Method.values:
            raise InvalidInput("请选择催办方式", "method")
        if unit is not None and not item.assignments.filter(unit=unit).exists():
            raise InvalidInput("催办单位须为本事项的承办单位", "unit")
        occurred_at = occurred_at or _now(now)
        if occurred_at > _now(now) + dt.timedelta(minutes=5):
            raise InvalidInput("催办时间不能晚于现在", "occurred_at")
        urge = Urge.objects.create(
            item=item, unit=unit or item.lead_unit, method=method,
            contact_person=_text(contact_person, "对方联系人", required=False, max_length=50),
            occurred_at=occurred_at, summary=_text(summary, "催办内容", max_length=5000), by=by,
        )
        _move(item, by, t, comment=urge.summary, now=now,
              data={"urge": urge.id, "method": method, "contact_person": urge.contact_person})
    return urge


# --- review, report to the leader, close, archive ------------------------------------------------

REVIEW_CRITERIA = {
    "task_done": "任务是否完成",
    "problem_solved": "问题是否解决",
    "conclusion_sound": "结论是否恰当",
    "lawful": "是否合法合规",
}


def review(item_id, by, *, accept: bool, criteria: dict, comment="", version=None, now=None) -> Review:
    """The office reviews the completion report (seed 002 art. 5(5)); accepted, it is reported
    to the responsible leader, one item one report (art. 5(6))."""
    with transaction.atomic():
        item = _lock(item_id, version)
        t = _check(by, item, "accept_report" if accept else "return_for_rework")
        values = {k: bool(criteria.get(k)) for k in REVIEW_CRITERIA}
        if accept and not all(values.values()):
            missing = "、".join(REVIEW_CRITERIA[k] for k, v in values.items() if not v)
            raise InvalidInput(f"审核通过须四项标准均符合，未符合：{missing}", "criteria")
        comment = _require_comment(t, comment)
        report = item.reports.filter(kind=Report.Kind.COMPLETION, state=Report.State.SUBMITTED).order_by("-id").first()
        if report is None:
            raise TransitionNotAllowed("没有待审核的办结报告")
        rev = Review.objects.create(
            item=item, report=report, reviewer=by, decision=Review.Decision.ACCEPT if accept else Review.Decision.RETURN,
            comment=comment, at=_now(now), **values,
        )
        report.state = Report.State.ACCEPTED if accept else Report.State.RETURNED
        report.save()
        _move(item, by, t, comment=comment, now=now, data={"review": rev.id, "report": report.id, **values})
    return rev


def close(item_id, by, *, text="", satisfaction="", version=None, now=None) -> Item:
    """The leader closes the item (001 art. 7(8)) and may rate the work 满意 / 基本满意 / 不满意
    (000 art. 4(6): 满意度评价), which the assessment counts."""
    with transaction.atomic():
        item = _lock(item_id, version)
        t = _check(by, item, "close")
        text = _text(text, "批示内容", required=False, max_length=5000) or "同意办结。"
        satisfaction = satisfaction or ""
        if satisfaction not in ("", *Satisfaction.values):
            raise InvalidInput("请选择满意、基本满意或不满意", "satisfaction")
        Instruction.objects.create(item=item, leader=by, text=text, outcome=Instruction.Outcome.CLOSE,
                                   satisfaction=satisfaction, at=_now(now))
        item.closed_at = _now(now)
        _move(item, by, t, comment=text, now=now, data={"satisfaction": satisfaction} if satisfaction else None)
    return item


def instruct(item_id, by, *, text, version=None, now=None) -> Item:
    """The leader's instruction sends the item back for further handling."""
    with transaction.atomic():
        item = _lock(item_id, version)
        t = _check(by, item, "instruct")
        text = _require_comment(t, text)
        Instruction.objects.create(item=item, leader=by, text=text, outcome=Instruction.Outcome.FURTHER, at=_now(now))
        _move(item, by, t, comment=text, now=now)
    return item


def archive(item_id, by, *, version=None, now=None) -> Item:
    """File the closed item, one item one volume (seed 002 art. 5(7); seed 004 归档目录); from now on
    it is read-only."""
    with transaction.atomic():
        item = _lock(item_id, version)
        t = _check(by, item, "archive")
        item.archived_at = _now(now)
        _move(item, by, t, now=now)
    return item


# --- attachments ----------------------------------------------------------------------------------

MAX_FILE_NAME = 200  # Attachment.original_name's max_length


def _stored_name(name: str) -> str:
    """The uploaded file's own name without its folders, cut to 200 characters inside the stem
    so that the extension (what decides its type and how it opens) survives (issue 8, point 5)."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    if len(name) <= MAX_FILE_NAME:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10:
        return name[:MAX_FILE_NAME]
    return stem[:MAX_FILE_NAME - len(ext) - 1] + "." + ext


def add_attachment(item_id, by, uploaded, *, report=None, now=None) -> Attachment:
    """Store a file through Django's storage after checking size and type."""
    from .selectors import can_upload

    with transaction.atomic():
        item = _lock(item_id)
        if not can_upload(by, item, report=report):
            raise PermissionDenied("您无权为该事项上传附件")
        name = _stored_name(getattr(uploaded, "name", "") or "")
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext not in settings.DUBAN_ATTACHMENT_EXTENSIONS:
            raise InvalidInput(f"不支持的文件类型：{ext or '无扩展名'}", "file")
        if uploaded.size > settings.DUBAN_ATTACHMENT_MAX_BYTES:
            mb = settings.DUBAN_ATTACHMENT_MAX_BYTES // (1024 * 1024)
            raise InvalidInput(f"文件不能超过 {mb} MB", "file")
        if uploaded.size == 0:
            raise InvalidInput("文件为空", "file")
        att = Attachment(
            item=item, report=report, token=secrets.token_hex(16), original_name=name, size=uploaded.size,
            content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            uploaded_by=by, uploaded_at=_now(now),
        )
        att.file.save(att.token, uploaded, save=False)
        try:  # if recording fails, the stored file must not linger
            att.save()
            record(item, by, "attach", comment=name, now=now, data={"attachment": att.id, "report": report.id if report else None})
        except Exception:
            att.file.delete(save=False)
            raise
    return att


def _tell_units(item, *, kind, title, body, now=None):
    """The liaisons and heads of the item's units, in their inbox and chosen channels."""
    from duban.notify.services import notify

    unit_ids = item.assignments.values("unit_id")
    people = people_acting_for(unit_ids).filter(is_active=True)
    notify(list(people), kind=kind, title=title, body=body, item=item, now=now)


def recompute_provisional_deadlines(year: int, *, now=None) -> int:
    """A year's schedule was published: recompute the provisional deadlines that fall in it and
    tell the units on each item's timeline (issue 2, "Deadlines")."""
    changed = 0
    ids = list(Item.objects.filter(deadline_provisional=True, deadline__year=year)
               .exclude(status__in=[Status.CLOSED, Status.ARCHIVED]).values_list("id", flat=True))
    for item_id in ids:
        with transaction.atomic():
            item = Item.objects.select_for_update().get(pk=item_id)
            old = item.deadline
            if item.deadline_rule_id and not item.deadline_override_reason and item.start_date and not item.original_deadline:
                result = deadlines.compute_deadline(item.deadline_rule, item.start_date)
            else:
                result = deadlines.add_working_days(item.deadline, 0)
            item.deadline, item.deadline_provisional = result.date, result.provisional
            item.version += 1
            item.save()
            text = f"{year}年节假日安排已公布，办理时限由{old:%Y年%m月%d日}（暂定）确定为{item.deadline:%Y年%m月%d日}"
            record(item, None, "deadline_recomputed", now=now, comment=text,
                   data={"old": old.isoformat(), "new": item.deadline.isoformat(), "provisional": item.deadline_provisional})
            _tell_units(item, kind="deadline_changed", title=f"办理时限确定：{item.title}", body=text, now=now)
            changed += 1
    return changed
