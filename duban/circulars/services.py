"""What people do with a circular: one function per action, each in one transaction, locking the
circular and checking its version (a stale form gets 409), raising a domain error in Chinese.

draft → (edit, name units, re-count) → submit → the principal leader approves or returns it with a
reason → the office issues it: a number from the organisation's gapless yearly series, the record
frozen, ``circular_issued`` sent inside the transaction, every unit's liaison and head told.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from duban.figures import period_totals, unit_facts
from duban.items.errors import InvalidInput, NotFound, PermissionDenied, StaleVersion, TransitionNotAllowed
from duban.items.services import EARLIEST, LATEST, take_next
from duban.orgs.acting import people_acting_for
from duban.orgs.models import Unit, User

from . import workflow, writing
from .models import (
    DEFAULT_PREFIX, Circular, CircularEvent, CircularKind, CircularSeries, CircularSettings,
    Mention,
)
from .signals import circular_issued

OFFICE, APPROVER = workflow.OFFICE, workflow.APPROVER
MAX_TITLE, MAX_BODY, MAX_CLOSING, MAX_FACTS, MAX_REASON = 200, 20000, 5000, 2000, 1000


def _now(now):
    return now or timezone.now()


def _text(value, label, field, *, max_length, required=True) -> str:
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{label}格式不正确", field)
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"请填写{label}", field)
    if len(value) > max_length:
        raise InvalidInput(f"{label}不能超过{max_length}字", field)
    return value


def _require(user, org_id, roles, what: str):
    if not (getattr(user, "is_authenticated", False) and user.org_id == org_id and user.role in roles):
        raise PermissionDenied(f"您无权{what}")


def _lock(circular_id, version=None) -> Circular:
    try:
        c = Circular.objects.select_for_update().get(pk=int(circular_id))
    except (Circular.DoesNotExist, ValueError, TypeError):
        raise NotFound("通报不存在") from None
    if version is not None:
        try:
            stale = int(version) != c.version
        except (TypeError, ValueError):
            raise InvalidInput("版本号格式不正确", "version") from None
        if stale:
            raise StaleVersion("该通报已被他人更新，请刷新页面后重试")
    return c


def _check(user, c: Circular, action: str) -> workflow.Transition:
    """The declaration says who may take the action and from which states (``workflow.py``)."""
    t = workflow.BY_ACTION[action]
    if not workflow.may_act(user, c, action):
        raise PermissionDenied(f"您无权{t.label}")
    if c.status not in t.sources:
        raise TransitionNotAllowed(f"通报当前状态为“{c.get_status_display()}”，不能{t.label}")
    return t


def _save(c: Circular, by, action: str, *, comment="", now=None):
    c.version += 1
    c.save()
    CircularEvent.objects.create(circular=c, actor=by, action=action, comment=comment, at=_now(now))


def _period(kind, start, end) -> tuple[str, dt.date, dt.date]:
    if kind not in CircularKind.values:
        raise InvalidInput("请选择正确的通报类别", "kind")
    for value, label, field in ((start, "统计起始日", "period_start"), (end, "统计截止日", "period_end")):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise InvalidInput(f"请填写{label}", field)
        if not EARLIEST <= value <= LATEST:
            raise InvalidInput(f"{label}超出可接受的范围（2000—2099年）", field)
    if start > end:
        raise InvalidInput("统计起始日不能晚于截止日", "period_end")
    if (end - start).days > 366:
        raise InvalidInput("统计期间不能超过一年", "period_end")
    return kind, start, end


def compute_figures(org, start: dt.date, end: dt.date, *, today: dt.date) -> dict:
    """The period's facts as the JSON a circular keeps (rates as strings, units in their order)."""
    return {
        "as_of": today.isoformat(), "period_start": start.isoformat(), "period_end": end.isoformat(),
        "totals": period_totals(org, start, end, today=today).as_dict(),
        "units": [row.as_dict() for row in unit_facts(org, start, end, today=today)],
    }


def _write(c: Circular, today: dt.date):
    c.figures = compute_figures(c.org, c.period_start, c.period_end, today=today)
    c.figures_as_of = today
    c.body = writing.compose_body(c.period_start, c.period_end, today, c.figures["totals"], c.figures["units"])


def draft_circular(org, by, *, kind, period_start, period_end, title="", now=None) -> Circular:
    """The office drafts a circular of a kind for a period; the system writes the text and the table
    from the period's facts (seed 001 art. 7(7): 定期收集、汇总、整理、分析 … 印发督查通报)."""
    _require(by, org.id, OFFICE, "起草督查通报")
    kind, start, end = _period(kind, period_start, period_end)
    title = _text(title, "标题", "title", max_length=MAX_TITLE, required=False) or writing.default_title(start, end)
    with transaction.atomic():
        c = Circular(org=org, kind=kind, period_start=start, period_end=end, title=title, drafted_by=by,
                     closing=writing.DEFAULT_CLOSING, created_at=_now(now))
        _write(c, timezone.localdate(_now(now)))
        c.save()
        CircularEvent.objects.create(circular=c, actor=by, action="draft", at=_now(now))
    return c


def edit_circular(circular_id, by, *, title, body, closing="", version=None, now=None) -> Circular:
    with transaction.atomic():
        c = _lock(circular_id, version)
        _check(by, c, "edit")
        c.title = _text(title, "标题", "title", max_length=MAX_TITLE)
        c.body = _text(body, "正文", "body", max_length=MAX_BODY)
        c.closing = _text(closing, "工作要求", "closing", max_length=MAX_CLOSING, required=False)
        _save(c, by, "edit", now=now)
    return c


def recount(circular_id, by, *, version=None, now=None) -> Circular:
    """Count the period's facts again as of today and rewrite the text from them (the office's edits
    to the text are replaced; the units named stay)."""
    with transaction.atomic():
        c = _lock(circular_id, version)
        _check(by, c, "recount")
        _write(c, timezone.localdate(_now(now)))
        _save(c, by, "recount", now=now)
    return c


def add_mention(circular_id, by, *, unit, kind, facts, version=None, now=None) -> Mention:
    """Name a unit for praise or criticism with the facts behind it (001 art. 14(5); 002 art. 16)."""
    with transaction.atomic():
        c = _lock(circular_id, version)
        _check(by, c, "mention")
        if kind not in Mention.Kind.values:
            raise InvalidInput("请选择表扬或批评", "kind")
        if isinstance(unit, int) and not isinstance(unit, bool):
            unit = Unit.objects.filter(pk=unit).first()
        if not isinstance(unit, Unit) or unit.org_id != c.org_id or unit.kind in (Unit.Kind.OFFICE, Unit.Kind.LEADERSHIP):
            raise InvalidInput("请选择本组织的承办单位", "unit")
        facts = _text(facts, "事实依据", "facts", max_length=MAX_FACTS)
        if c.mentions.filter(unit=unit, kind=kind).exists():
            raise InvalidInput(f"{unit.name}已在{Mention.Kind(kind).label}名单中", "unit")
        m = Mention.objects.create(circular=c, unit=unit, kind=kind, facts=facts)
        _save(c, by, "mention", comment=f"{Mention.Kind(kind).label}：{unit.name}", now=now)
    return m


def remove_mention(mention_id, by, *, version=None, now=None) -> Circular:
    m = Mention.objects.filter(pk=mention_id).select_related("unit").first() if str(mention_id).isdigit() else None
    if m is None:
        raise NotFound("该表扬或批评不存在")
    with transaction.atomic():
        c = _lock(m.circular_id, version)
        _check(by, c, "mention")
        m.delete()
        _save(c, by, "unmention", comment=f"删除{m.get_kind_display()}：{m.unit.name}", now=now)
    return c


def submit(circular_id, by, *, version=None, now=None) -> Circular:
    """The office sends the draft to the principal leader (001 art. 14(5): 经主要领导同意)."""
    with transaction.atomic():
        c = _lock(circular_id, version)
        t = _check(by, c, "submit")
        c.status, c.submitted_at, c.return_reason = t.target, _now(now), ""
        _save(c, by, "submit", now=now)
        leaders = User.objects.filter(org_id=c.org_id, role__in=APPROVER, is_active=True)
        _tell(leaders, c, f"督查通报待审批：{c.title}", f"督查室呈送《{c.title}》，请审批。", now)
    return c


def approve(circular_id, by, *, comment="", version=None, now=None) -> Circular:
    with transaction.atomic():
        c = _lock(circular_id, version)
        t = _check(by, c, "approve")
        comment = _text(comment, "审批意见", "comment", max_length=MAX_REASON, required=False)
        c.status, c.approved_by, c.approved_at = t.target, by, _now(now)
        _save(c, by, "approve", comment=comment or "同意印发。", now=now)
        _tell([c.drafted_by], c, f"领导已同意印发：{c.title}", f"{by.display_name}同意印发《{c.title}》，请编号印发。", now)
    return c


def return_circular(circular_id, by, *, reason, version=None, now=None) -> Circular:
    with transaction.atomic():
        c = _lock(circular_id, version)
        t = _check(by, c, "return")
        c.return_reason = _text(reason, "退回理由", "reason", max_length=MAX_REASON)
        c.status = t.target
        _save(c, by, "return", comment=c.return_reason, now=now)
        _tell([c.drafted_by], c, f"督查通报被退回：{c.title}", f"{by.display_name}退回《{c.title}》：{c.return_reason}", now)
    return c


def settings_of(org) -> CircularSettings:
    s = CircularSettings.objects.filter(org=org).first()
    return s or CircularSettings(org=org, prefix=DEFAULT_PREFIX)


def issuer_of(org) -> str:
    s = settings_of(org)
    return s.issuer or f"{org.short_name or org.name}督查室"


def format_number(prefix: str, year: int, seq: int) -> str:
    """督查通报〔2026〕第12期."""
    return f"{prefix}〔{year}〕第{seq}期"


def issue(circular_id, by, *, version=None, now=None) -> Circular:
    """Issue the approved circular: number it in the year's gapless series, freeze it, tell the
    accountability ladder (``circular_issued``) and every unit's liaison and head. All or nothing."""
    now = _now(now)
    with transaction.atomic():
        c = _lock(circular_id, version)
        t = _check(by, c, "issue")
        c.year = timezone.localdate(now).year
        c.seq = take_next(CircularSeries, org_id=c.org_id, year=c.year)
        c.number = format_number(settings_of(c.org).prefix, c.year, c.seq)
        mentions = list(c.mentions.select_related("unit"))
        c.figures = {**c.figures, "mentions": [
            {"unit_id": m.unit_id, "unit_name": m.unit.name, "kind": m.kind, "facts": m.facts} for m in mentions]}
        c.status, c.issued_by, c.issued_at = t.target, by, now
        _save(c, by, "issue", comment=c.number, now=now)
        circular_issued.send(sender=Circular, circular=c, now=now)
        _tell_units(c, now)
    return c


def _tell(people, c: Circular, title: str, body: str, now):
    """Into the inbox, linking to the circular (kind "other": a kind of its own would need a notify migration)."""
    from django.apps import apps

    if not apps.is_installed("duban.notify"):
        return
    from duban.notify.services import notify

    notify(people, kind="other", title=title[:300], body=body, url=reverse("circulars:detail", args=[c.id]), now=now)


def _tell_units(c: Circular, now):
    units = Unit.objects.filter(org_id=c.org_id, is_active=True).exclude(
        kind__in=(Unit.Kind.OFFICE, Unit.Kind.LEADERSHIP)).values_list("id", flat=True)
    people = people_acting_for(list(units)).filter(is_active=True)
    _tell(people, c, f"{c.number} {c.title}", f"{issuer_of(c.org)}印发《{c.title}》（{c.number}），请阅知。", now)
