"""The assessment's actions, one per thing a person does: the office runs (and re-runs) an
assessment, adjusts a unit's score with a written reason, submits it; a leader approves it or
sends it back; the office publishes it. From submission on the stored lines are frozen: nothing
recomputes or edits them (issue 9: a published assessment is a record)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from duban.figures import fact_records
from duban.items.errors import InvalidInput, NotFound, PermissionDenied, StaleVersion, TransitionNotAllowed
from duban.items.models import Instruction, Satisfaction
from duban.orgs.models import LEADER_ROLES, OFFICE_ROLES, Unit

from .models import Assessment, Scheme, SchemeRule, ScoreKind, ScoreLine, UnitScore
from .presets import install_scheme_presets

ZERO = Decimal("0")
S = Assessment.Status
MAX_ADJUSTMENT = Decimal("100")


def _now(now):
    return now or timezone.now()


def _local(moment) -> dt.date:
    return timezone.localdate(moment)


def _bounds(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    lo = timezone.make_aware(dt.datetime.combine(start, dt.time.min), tz)
    hi = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), tz)
    return lo, hi


def default_period(kind: str, year: int) -> tuple[dt.date, dt.date]:
    """年中: 1 January – 30 June; 年终: the whole year (000 art. 4(6): 年中和年末两次集中督查)."""
    return dt.date(year, 1, 1), dt.date(year, 6, 30) if kind == Assessment.Kind.MID_YEAR else dt.date(year, 12, 31)


def assessed_units(org):
    """The units that handle work: not the office, not the leadership."""
    return Unit.objects.filter(org=org, is_active=True).exclude(kind__in=[Unit.Kind.OFFICE, Unit.Kind.LEADERSHIP])


# --- computing ------------------------------------------------------------------------------------

SCORED_FACTS = ("overdue", "urge_notice", "supervision_order", "return_for_rework", "missed_report", "closed_early")


def _events(org, start, end, as_of, unit_ids) -> list[tuple]:
    """Every record of the period that the scheme may score, from the one place each is counted:
    ``figures.fact_records`` (items, notices, reviews, missed reports), issued circulars'
    mentions, sanctions, and the leaders' ratings on closing. Each as (unit_id, kind, at, label,
    item_id, item_number, ref_model, ref_id)."""
    out = [
        (r.unit_id, r.kind, r.at, r.label, r.item_id, r.item_number, r.ref_model, r.ref_id)
        for r in fact_records(org, start, end, today=as_of, kinds=SCORED_FACTS) if r.unit_id in unit_ids
    ]
    lo, hi = _bounds(start, end)
    if apps.is_installed("duban.circulars"):
        from duban.circulars.models import Mention

        mentions = (Mention.objects.filter(circular__org=org, circular__status="issued", circular__issued_at__gte=lo,
                                           circular__issued_at__lt=hi, unit_id__in=unit_ids)
                    .values_list("id", "unit_id", "kind", "facts", "circular__number", "circular__issued_at"))
        for mid, unit_id, kind, facts, number, issued_at in mentions:
            word = "通报批评" if kind == "criticism" else "通报表扬"
            out.append((unit_id, kind, _local(issued_at), f"{number}{word}：{facts}"[:500], None, "",
                        "circulars.Mention", mid))
    if apps.is_installed("duban.accountability"):
        from duban.accountability.models import Sanction

        for s in Sanction.objects.filter(org=org, created_at__gte=lo, created_at__lt=hi, unit_id__in=unit_ids):
            out.append((s.unit_id, ScoreKind.SANCTION, _local(s.created_at),
                        f"{s.year}年第{s.ordinal}次通报批评：{s.get_measure_display()}", s.item_id, "",
                        "accountability.Sanction", s.id))
    labels = dict(Satisfaction.choices)
    ratings = (Instruction.objects.filter(item__org=org, outcome=Instruction.Outcome.CLOSE, at__gte=lo, at__lt=hi,
                                          item__lead_unit_id__in=unit_ids).exclude(satisfaction="")
               .values_list("id", "at", "satisfaction", "item_id", "item__number", "item__title", "item__lead_unit_id"))
    for iid, at, satisfaction, item_id, number, title, unit_id in ratings:
        out.append((unit_id, satisfaction, _local(at), f"{number} {title}：领导评价“{labels[satisfaction]}”"[:500],
                    item_id, number, "items.Instruction", iid))
    return out


def _compute(a: Assessment, now) -> None:
    """(Re)write the computed lines of a draft; the office's adjustments stay."""
    org = a.org
    install_scheme_presets(org)
    scheme = Scheme.objects.get(org=org)
    rules = {r.kind: r for r in SchemeRule.objects.filter(org=org, is_active=True)}
    a.base_score, a.floor = scheme.base_score, scheme.floor
    units = list(assessed_units(org).order_by("order", "id").only("id", "name"))
    unit_ids = {u.id for u in units}
    a.lines.exclude(kind=ScoreKind.ADJUSTMENT).delete()
    rows = [(u.id, ScoreKind.BASE, a.base_score, "基础分", a.period_start, None, "", "", None) for u in units]
    used: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    events = sorted(_events(org, a.period_start, a.period_end, a.as_of, unit_ids),
                    key=lambda e: (e[0], e[2] or a.period_start, e[1], e[7] or 0))
    for unit_id, kind, at, label, item_id, item_number, ref_model, ref_id in events:
        rule = rules.get(kind)
        if rule is None:
            continue
        points = rule.points
        if rule.cap is not None:
            room = max(rule.cap - used[(unit_id, kind)], ZERO)
            if abs(points) > room:
                points = room if points > 0 else -room
                label = f"{label}（该项累计已达上限{rule.cap}分）"
            used[(unit_id, kind)] += abs(points)
        rows.append((unit_id, kind, points, label[:500], at, item_id, item_number or "", ref_model, ref_id))
    _store_lines(a, rows, now)
    a.computed_at = now
    _total(a, units)


LINE_COLUMNS = ("unit_id", "kind", "points", "label", "at", "item_id", "item_number", "ref_model", "ref_id")


def _store_lines(a: Assessment, rows: list[tuple], now) -> None:
    """Write the computed lines. An annual assessment of a large organisation is ~100,000 lines: on
    PostgreSQL they go in by COPY (0.3 s where bulk_create took 10 s, bench/assessment.py)."""
    if connection.vendor == "postgresql":
        table = ScoreLine._meta.db_table
        cols = ", ".join(f'"{ScoreLine._meta.get_field(c).column}"' for c in (*LINE_COLUMNS, "assessment", "created_at"))
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row((*row, a.id, now))
        return
    ScoreLine.objects.bulk_create(
        [ScoreLine(assessment=a, created_at=now, **dict(zip(LINE_COLUMNS, row))) for row in rows], batch_size=2000)


def _total(a: Assessment, units=None) -> None:
    """The units' totals and ranks from the stored lines (one aggregate query)."""
    units = units or list(assessed_units(a.org).order_by("order", "id").only("id", "name"))
    sums = defaultdict(lambda: {"base": ZERO, "minus": ZERO, "plus": ZERO, "adj": ZERO})
    for r in a.lines.order_by().values("unit_id", "kind").annotate(total=Sum("points")):
        s = sums[r["unit_id"]]
        if r["kind"] == ScoreKind.BASE:
            s["base"] += r["total"]
        elif r["kind"] == ScoreKind.ADJUSTMENT:
            s["adj"] += r["total"]
        elif r["total"] < 0:
            s["minus"] += r["total"]
        else:
            s["plus"] += r["total"]
    names = {u.id: u.name for u in units}
    for uid in sums:
        names.setdefault(uid, "")
    if any(not n for n in names.values()):
        names.update(dict(Unit.objects.filter(pk__in=[k for k, v in names.items() if not v]).values_list("id", "name")))
    rows = []
    for uid, name in names.items():
        s = sums[uid]
        score = max(s["base"] + s["minus"] + s["plus"] + s["adj"], a.floor)
        rows.append(UnitScore(assessment=a, unit_id=uid, unit_name=name, deductions=s["minus"], additions=s["plus"],
                              adjustment=s["adj"], score=score, rank=0))
    rows.sort(key=lambda r: (-r.score, r.unit_name))
    prev, rank = None, 0
    for i, r in enumerate(rows, start=1):
        if r.score != prev:
            rank, prev = i, r.score  # ties share a rank: 1, 2, 2, 4
        r.rank = rank
    a.scores.all().delete()
    UnitScore.objects.bulk_create(rows)


# --- actions ----------------------------------------------------------------------------------------

def _office(by, org):
    if not (by.org_id == org.id and by.role in OFFICE_ROLES):
        raise PermissionDenied("只有督查室可以办理考核")


def _lock(assessment_id, version=None) -> Assessment:
    try:
        a = Assessment.objects.select_for_update().select_related("org").get(pk=assessment_id)
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise NotFound("考核不存在") from None
    if version is not None and int(version) != a.version:
        raise StaleVersion("该考核已被他人更新，请刷新页面后重试")
    return a


def _state(a, *allowed, doing):
    if a.status not in allowed:
        raise TransitionNotAllowed(f"考核当前状态为“{a.get_status_display()}”，不能{doing}")


def run(org, by, *, kind: str, year: int, period_start=None, period_end=None, now=None) -> Assessment:
    """The office runs the mid-year or year-end assessment (000 art. 4(6)) for a period; running
    it again while it is a draft recomputes it from the record, keeping the adjustments."""
    _office(by, org)
    if kind not in Assessment.Kind.values:
        raise InvalidInput("请选择考核类型（年中或年终）", "kind")
    if not isinstance(year, int) or not 2000 <= year <= 2099:
        raise InvalidInput("考核年度须在2000—2099年之间", "year")
    start, end = default_period(kind, year)
    start, end = period_start or start, period_end or end
    if start > end:
        raise InvalidInput("考核期起不能晚于考核期止", "period_start")
    if start.year != year or end.year != year:
        raise InvalidInput("考核期须在考核年度之内", "period_end")
    now = _now(now)
    today = _local(now)
    if start > today:
        raise InvalidInput("考核期尚未开始", "period_start")
    with transaction.atomic():
        a = Assessment.objects.select_for_update().filter(org=org, kind=kind, year=year).first()
        if a is not None:
            _state(a, S.DRAFT, doing="重新计算")
        else:
            a = Assessment(org=org, kind=kind, year=year, created_by=by, created_at=now)
        a.period_start, a.period_end, a.as_of = start, end, min(end, today)
        a.title = f"{org.short_name or org.name}{year}年{Assessment.Kind(kind).label}"
        if a.pk is None:
            a.base_score, a.computed_at = ZERO, now
            a.save()
        else:
            a.version += 1
        _compute(a, now)
        a.save()
    return a


def recompute(assessment_id, by, *, version=None, now=None) -> Assessment:
    with transaction.atomic():
        a = _lock(assessment_id, version)
        _office(by, a.org)
        _state(a, S.DRAFT, doing="重新计算")
        now = _now(now)
        a.as_of = min(a.period_end, _local(now))
        _compute(a, now)
        a.version += 1
        a.save()
    return a


def _decimal(value, label, field) -> Decimal:
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{label}须为数字", field) from None
    if not d.is_finite() or d != d.quantize(Decimal("0.01")):
        raise InvalidInput(f"{label}最多两位小数", field)
    return d


def adjust(assessment_id, by, *, unit_id, points, reason: str, version=None, now=None) -> ScoreLine:
    """The office adjusts a unit's score with a written reason, kept as its own line."""
    reason = (reason or "").strip() if isinstance(reason, str) or reason is None else None
    with transaction.atomic():
        a = _lock(assessment_id, version)
        _office(by, a.org)
        _state(a, S.DRAFT, doing="调整得分")
        if not assessed_units(a.org).filter(pk=unit_id).exists():
            raise InvalidInput("请选择本组织参加考核的单位", "unit_id")
        points = _decimal(points, "调整分值", "points")
        if points == 0 or abs(points) > MAX_ADJUSTMENT:
            raise InvalidInput("调整分值须为非零数，且不超过±100分", "points")
        if not reason:
            raise InvalidInput("请填写调整理由", "reason")
        if len(reason) > 480:
            raise InvalidInput("调整理由不能超过480字", "reason")
        now = _now(now)
        line = ScoreLine.objects.create(assessment=a, unit_id=unit_id, kind=ScoreKind.ADJUSTMENT, points=points,
                                        label=reason, at=_local(now), by=by, created_at=now)
        _total(a)
        a.version += 1
        a.save()
    return line


def remove_adjustment(line_id, by, *, now=None) -> Assessment:
    with transaction.atomic():
        line = ScoreLine.objects.filter(pk=line_id, kind=ScoreKind.ADJUSTMENT).first()
        if line is None:
            raise NotFound("调整记录不存在")
        a = _lock(line.assessment_id)
        _office(by, a.org)
        _state(a, S.DRAFT, doing="撤销调整")
        line.delete()
        _total(a)
        a.version += 1
        a.save()
    return a


def submit(assessment_id, by, *, version=None, now=None) -> Assessment:
    """The office sends the result to the leader for approval; from now on it is frozen."""
    with transaction.atomic():
        a = _lock(assessment_id, version)
        _office(by, a.org)
        _state(a, S.DRAFT, doing="呈领导审定")
        a.status, a.submitted_by, a.submitted_at = S.PENDING_APPROVAL, by, _now(now)
        a.version += 1
        a.save()
    return a


def _leader(by, org):
    if not (by.org_id == org.id and by.role in LEADER_ROLES):
        raise PermissionDenied("只有本组织的领导可以审定考核结果")


def approve(assessment_id, by, *, comment="", version=None, now=None) -> Assessment:
    with transaction.atomic():
        a = _lock(assessment_id, version)
        _leader(by, a.org)
        _state(a, S.PENDING_APPROVAL, doing="审定")
        a.status, a.approved_by, a.approved_at = S.APPROVED, by, _now(now)
        a.leader_comment = (comment or "").strip()[:1000]
        a.version += 1
        a.save()
    return a


def send_back(assessment_id, by, *, comment, version=None, now=None) -> Assessment:
    """The leader sends the result back to the office with a reason; it becomes a draft again."""
    comment = (comment or "").strip()
    with transaction.atomic():
        a = _lock(assessment_id, version)
        _leader(by, a.org)
        _state(a, S.PENDING_APPROVAL, doing="退回")
        if not comment:
            raise InvalidInput("请填写退回理由", "comment")
        a.status, a.leader_comment = S.DRAFT, comment[:1000]
        a.version += 1
        a.save()
    return a


def publish(assessment_id, by, *, version=None, now=None) -> Assessment:
    """The office publishes the approved result (排出先后、发出通报, 000 art. 4(6)); each unit is told."""
    from duban.notify.services import notify
    from duban.orgs.acting import people_acting_for

    with transaction.atomic():
        a = _lock(assessment_id, version)
        _office(by, a.org)
        _state(a, S.APPROVED, doing="发布")
        now = _now(now)
        a.status, a.published_by, a.published_at = S.PUBLISHED, by, now
        a.version += 1
        a.save()
        for s in a.scores.all():
            people = list(people_acting_for([s.unit_id]).filter(is_active=True))
            notify(people, kind="other", title=f"{a.title}结果已发布",
                   body=f"{s.unit_name}得分{s.score}，第{s.rank}名。", url=f"/assessments/{a.id}/", now=now)
    return a
