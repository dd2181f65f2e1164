"""One function per action a person takes on inspections, findings, media and re-checks.

Each checks who may act, works in one ``transaction.atomic()``, locks what it changes and raises a
domain error (``duban.items.errors``) with a Chinese message. Items (rectification notices, items
reopened after a relapse) are created only through ``duban.items.services``, so they run the
normal procedure: the leader approves, units handle and report, the office reviews and closes.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from duban.items import services as item_services
from duban.items.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from duban.items.models import Item, ItemKind, Status, Urgency
from duban.items.selectors import can_upload, items_visible_to
from duban.ledgers.models import Plan
from duban.orgs.models import LEADER_ROLES, Unit, User

from . import media as photos
from .models import Finding, Inspection, InspectionKind, Media, Recheck, RecheckRule, Target, TeamMember
from .selectors import is_office, may_record

MAX_TEAM = 50
MAX_TARGETS = 200


def _now(now):
    return now or timezone.now()


def _text(value, label, *, required=True, max_length=5000) -> str:
    return item_services._text(value, label, required=required, max_length=max_length)


def _require_office(by, org_id, what="执行此操作"):
    if not is_office(by, org_id):
        raise PermissionDenied(f"只有督查室人员可以{what}")


# --- planning (issue 12, point 1) ---------------------------------------------------------------

@dataclass
class TargetSpec:
    kind: str
    unit: Unit | None = None
    item: Item | None = None
    plan: Plan | None = None
    address: str = ""


@dataclass
class InspectionFields:
    title: str
    kind: str
    start_date: dt.date
    end_date: dt.date
    leader: User | None
    purpose: str = ""
    team_leader: User | None = None
    members: list = field(default_factory=list)
    external_members: str = ""
    targets: list = field(default_factory=list)


def plan_inspection(org, by, f: InspectionFields, *, now=None) -> Inspection:
    """The office plans an inspection: kind, team (with other organisations' staff named for a
    joint one), period and targets (seed 000 art. 4(5)-(6); seed 001 art. 13; seed 002 art. 6)."""
    _require_office(by, org.id, "安排督查检查")
    title = _text(f.title, "名称", max_length=200)
    if f.kind not in InspectionKind.values:
        raise InvalidInput("请选择督查类型", "kind")
    start = item_services._date(f.start_date, "开始日期")
    end = item_services._date(f.end_date, "结束日期")
    if end < start:
        raise InvalidInput("结束日期不能早于开始日期", "end_date")
    if f.leader is None or f.leader.org_id != org.id or f.leader.role not in LEADER_ROLES:
        raise InvalidInput("请选择本组织审批督查报告的领导", "leader")
    external = _text(f.external_members, "外单位参加人员", required=False, max_length=2000)
    if f.kind == InspectionKind.JOINT and not external:
        raise InvalidInput("联合督查请填写外单位参加人员", "external_members")
    members = list(dict.fromkeys([m for m in [f.team_leader, *f.members] if m is not None]))
    if not members:
        raise InvalidInput("请指定督查组成员", "members")
    if len(members) > MAX_TEAM:
        raise InvalidInput(f"督查组成员不能超过{MAX_TEAM}人", "members")
    for m in members:
        if m.org_id != org.id or not m.is_active:
            raise InvalidInput("督查组成员须为本组织人员（外单位人员请填写在“外单位参加人员”中）", "members")
    targets = [_clean_target(org, by, t) for t in f.targets]
    if not targets:
        raise InvalidInput("请至少添加一个督查对象（单位、事项、方案或现场地址）", "targets")
    if len(targets) > MAX_TARGETS:
        raise InvalidInput(f"督查对象不能超过{MAX_TARGETS}个", "targets")
    with transaction.atomic():
        insp = Inspection.objects.create(
            org=org, title=title, kind=f.kind, start_date=start, end_date=end, leader=f.leader,
            purpose=_text(f.purpose, "督查内容与要求", required=False), external_members=external,
            created_by=by, created_at=_now(now),
        )
        lead = f.team_leader or members[0]
        TeamMember.objects.bulk_create([
            TeamMember(inspection=insp, user=m, role=TeamMember.Role.LEADER if m == lead else TeamMember.Role.MEMBER)
            for m in members
        ])
        Target.objects.bulk_create([Target(inspection=insp, **t) for t in targets])
    return insp


def _clean_target(org, by, t: TargetSpec) -> dict:
    if t.kind == Target.Kind.UNIT:
        if t.unit is None or t.unit.org_id != org.id:
            raise InvalidInput("督查对象单位须为本组织的单位", "targets")
        return {"kind": t.kind, "unit": t.unit}
    if t.kind == Target.Kind.ITEM:
        if t.item is None or not items_visible_to(by).filter(pk=t.item.pk, org_id=org.id).exists():
            raise InvalidInput("督查对象事项不存在", "targets")
        return {"kind": t.kind, "item": t.item}
    if t.kind == Target.Kind.PLAN:
        if t.plan is None or t.plan.org_id != org.id:
            raise InvalidInput("督查对象方案不存在", "targets")
        return {"kind": t.kind, "plan": t.plan}
    if t.kind == Target.Kind.SITE:
        return {"kind": t.kind, "address": _text(t.address, "现场地址", max_length=300)}
    raise InvalidInput("督查对象类型不正确", "targets")


def _lock_inspection(inspection_id) -> Inspection:
    try:
        return Inspection.objects.select_for_update().get(pk=inspection_id)
    except (Inspection.DoesNotExist, ValueError, TypeError):
        raise NotFound("督查检查不存在") from None


# --- findings and media (point 2) ---------------------------------------------------------------

def _decimal(value, label, lo, hi) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{label}格式不正确", label) from None
    if not lo <= d <= hi:
        raise InvalidInput(f"{label}超出范围", label)
    return d


def _captured(value, now) -> dt.datetime:
    """The time the device says the finding or photo was taken; never in the future (5 min of
    clock drift allowed) and never before 2000."""
    if value in (None, ""):
        return _now(now)
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidInput("记录时间格式不正确", "captured_at") from None
    if not isinstance(value, dt.datetime):
        raise InvalidInput("记录时间格式不正确", "captured_at")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > _now(now) + dt.timedelta(minutes=5) or value.year < 2000:
        raise InvalidInput("记录时间不正确（晚于当前时间）", "captured_at")
    return value


def record_finding(inspection_id, by, *, target_id, text, captured_at=None, latitude=None, longitude=None,
                   accuracy_m=None, unit=None, now=None) -> Finding:
    """A team member records what they saw, on a phone, with the time and, when the device gives
    it, the position (seed 001 art. 13: 实地督查; seed 002 art. 6: 明察暗访)."""
    with transaction.atomic():
        insp = _lock_inspection(inspection_id)
        if not may_record(by, insp):
            if insp.status != Inspection.Status.PLANNED:
                raise TransitionNotAllowed("督查报告已报送，不能再记录问题")
            raise PermissionDenied("只有督查组成员可以记录督查发现")
        target = insp.targets.select_related("unit", "item__lead_unit").filter(pk=target_id).first()
        if target is None:
            raise InvalidInput("请选择督查对象", "target")
        if unit is not None and unit.org_id != insp.org_id:
            raise InvalidInput("涉及单位须为本组织的单位", "unit")
        unit = unit or target.unit or (target.item.lead_unit if target.item_id else None)
        acc = None
        if accuracy_m not in (None, ""):
            try:
                acc = max(0, min(int(float(accuracy_m)), 100000))
            except (TypeError, ValueError):
                acc = None
        lat = _decimal(latitude, "纬度", -90, 90)
        lng = _decimal(longitude, "经度", -180, 180)
        if (lat is None) != (lng is None):
            lat = lng = None
        return Finding.objects.create(
            inspection=insp, target=target, unit=unit, text=_text(text, "发现情况"), author=by,
            captured_at=_captured(captured_at, now), latitude=lat, longitude=lng, accuracy_m=acc,
            created_at=_now(now),
        )


def add_media(by, uploaded, *, finding=None, report=None, recheck=None, captured_at=None, now=None) -> Media:
    """Store a photo or a short video as evidence of a finding, a unit's report (issue 12, point 6)
    or a re-check; the thumbnail and the clean display copy are made in the background."""
    if sum(x is not None for x in (finding, report, recheck)) != 1:
        raise InvalidInput("照片或视频须属于一条督查发现、一份报告或一次回头看", "file")
    checked = photos.check_upload(uploaded)
    with transaction.atomic():
        item = None
        if finding is not None:
            insp = _lock_inspection(finding.inspection_id)
            if not may_record(by, insp):
                raise PermissionDenied("只有督查组成员可以为督查发现上传照片或视频")
        elif report is not None:
            item = item_services._lock(report.item_id)
            report.refresh_from_db()
            if not can_upload(by, item, report=report):
                raise PermissionDenied("只能为本单位草拟中的报告上传照片或视频")
        else:
            recheck = Recheck.objects.select_for_update().get(pk=recheck.pk)
            _require_office(by, recheck.org_id, "上传回头看材料")
        m = Media(
            token=secrets.token_hex(16), kind=checked.kind, original_name=checked.name,
            content_type=checked.content_type, size=uploaded.size, uploaded_by=by, uploaded_at=_now(now),
            finding=finding, report=report, item=item, recheck=recheck,
            captured_at=_captured(captured_at, now) if captured_at else None,
        )
        ext = checked.name.rsplit(".", 1)[-1].lower()
        m.original.save(f"original.{ext}", uploaded, save=False)
        try:  # if recording fails, the stored file must not linger
            m.save()
            if item is not None:
                item_services.record(item, by, "attach_media", comment=checked.name, now=now,
                                     data={"media": m.id, "report": report.id})
        except Exception:
            m.original.delete(save=False)
            raise
        from .tasks import process_media

        transaction.on_commit(lambda: process_media(m.id))
    return m


def process_media(media_id) -> None:
    m = Media.objects.filter(pk=media_id).first()
    if m is None or m.is_processed:
        return
    if m.kind == Media.Kind.PHOTO:
        process_photo(m)
    else:
        process_video(m)


def process_video(m: Media) -> None:
    """The display copy of a video: its location and device boxes blanked (media.strip_video_metadata).
    A WebM file carries no standard location tag and is shown as uploaded."""
    ext = m.original_name.rsplit(".", 1)[-1].lower()
    with m.original.open("rb") as f:
        data = f.read()
    if ext in photos.ISO_BMFF:
        try:
            data = photos.strip_video_metadata(data)
        except ValueError as exc:
            Media.objects.filter(pk=m.pk).update(processing_error=f"无法解析视频：{exc}"[:200])
            return
    m.display.save(f"display.{ext}", photos.as_file(data), save=False)
    m.is_processed = True
    m.save(update_fields=["display", "is_processed"])


def process_photo(m) -> None:
    """Make the display copy and the thumbnail, and keep the EXIF facts for the office."""
    if not isinstance(m, Media):
        m = Media.objects.filter(pk=m, kind=Media.Kind.PHOTO).first()
    if m is None or m.is_processed:
        return
    try:
        with m.original.open("rb") as f:
            facts, display, thumb = photos.render_copies(f)
    except Exception as exc:  # noqa: BLE001 - a broken photo must not kill the worker
        Media.objects.filter(pk=m.pk).update(processing_error=str(exc)[:200])
        return
    m.display.save("display.jpg", photos.as_file(display), save=False)
    m.thumbnail.save("thumb.jpg", photos.as_file(thumb), save=False)
    m.width, m.height = facts.width, facts.height
    m.captured_at = m.captured_at or facts.captured_at
    m.latitude, m.longitude, m.device = facts.latitude, facts.longitude, facts.device
    m.is_processed = True
    m.save(update_fields=["display", "thumbnail", "width", "height", "captured_at", "latitude", "longitude",
                          "device", "is_processed"])


# --- acting on findings, the report (point 3) ---------------------------------------------------

def _lock_finding(finding_id) -> Finding:
    try:
        return Finding.objects.select_for_update().select_related("inspection", "target").get(pk=finding_id)
    except (Finding.DoesNotExist, ValueError, TypeError):
        raise NotFound("督查发现不存在") from None


def decide_finding(finding_id, by, *, outcome, note="", unit=None, deadline=None, now=None) -> Finding:
    """The office acts on a finding: a rectification notice (整改通知书 / 督查建议书) to a unit, as a
    new item that runs the normal procedure until the office confirms the problem fixed (seed 004:
    督查整改建议书, closed-loop follow-up); praise (通报表扬); or nothing."""
    with transaction.atomic():
        finding = _lock_finding(finding_id)
        insp = finding.inspection
        _require_office(by, insp.org_id, "处理督查发现")
        if finding.outcome != Finding.Outcome.PENDING:
            raise TransitionNotAllowed(f"该督查发现已处理（{finding.get_outcome_display()}）")
        if outcome not in (Finding.Outcome.RECTIFY, Finding.Outcome.PRAISE, Finding.Outcome.NONE):
            raise InvalidInput("请选择处理方式", "outcome")
        note = _text(note, "处理意见", required=outcome != Finding.Outcome.NONE)
        if outcome == Finding.Outcome.RECTIFY and insp.is_unannounced and not insp.is_issued:
            # The notice reaches the unit as an item: it would announce the visit (seed 002 art. 6).
            raise TransitionNotAllowed("明察暗访的督查报告印发后，才能下发整改通知书")
        if outcome == Finding.Outcome.RECTIFY:
            unit = unit or finding.unit
            if unit is None:
                raise InvalidInput("请选择整改单位", "unit")
            fields = item_services.DraftFields(
                title=f"整改通知书：{finding.text[:60]}",
                content=f"{note}\n\n督查发现（{insp.get_kind_display()}“{insp.title}”，"
                        f"{timezone.localtime(finding.captured_at):%Y年%m月%d日}，{finding.target.label}）：\n{finding.text}",
                kind=ItemKind.RECTIFICATION, urgency=Urgency.NORMAL, lead_unit=unit, co_units=[],
                responsible_leader=insp.leader, deadline=deadline,
                deadline_override_reason="按督查整改通知书限定的整改时限" if deadline else "",
                source_text=f"{insp.get_kind_display()}：{insp.title}",
            )
            item = item_services.create_draft(insp.org, by, fields, now=now)
            item = item_services.submit_proposal(item.id, by, comment="督查发现问题，拟下发整改通知书", now=now)
            finding.rectification_item = item
            finding.unit = unit
        finding.outcome, finding.outcome_note = outcome, note
        finding.outcome_by, finding.outcome_at = by, _now(now)
        finding.save()
    return finding


def compose_report(insp: Inspection) -> str:
    """A first draft of the 督查报告 from the findings, for the office to edit."""
    lines = [f"{insp.title}督查报告", "",
             f"一、基本情况：{insp.start_date:%Y年%m月%d日}至{insp.end_date:%Y年%m月%d日}，开展{insp.get_kind_display()}，"
             f"督查对象{insp.targets.count()}个。{insp.purpose}".rstrip(), ""]
    sections = [("二、发现的问题", Finding.Outcome.RECTIFY), ("三、值得推广的做法", Finding.Outcome.PRAISE),
                ("四、其他情况", Finding.Outcome.NONE), ("五、待研究处理", Finding.Outcome.PENDING)]
    findings = list(insp.findings.select_related("target__unit", "target__item", "target__plan", "unit"))
    for title, outcome in sections:
        rows = [f for f in findings if f.outcome == outcome]
        if not rows:
            continue
        lines.append(title)
        for i, f in enumerate(rows, 1):
            who = f.unit.name if f.unit_id else f.target.label
            lines.append(f"{i}. {who}：{f.text}" + (f"（{f.outcome_note}）" if f.outcome_note else ""))
        lines.append("")
    return "\n".join(lines).strip()


def save_report(inspection_id, by, *, body, photo_tokens=(), now=None) -> Inspection:
    with transaction.atomic():
        insp = _lock_inspection(inspection_id)
        _require_office(by, insp.org_id, "起草督查报告")
        if insp.status != Inspection.Status.PLANNED:
            raise TransitionNotAllowed(f"督查检查当前状态为“{insp.get_status_display()}”，不能修改督查报告")
        insp.report_body = _text(body, "督查报告", max_length=50000)
        chosen = list(Media.objects.filter(finding__inspection=insp, kind=Media.Kind.PHOTO,
                                           token__in=[str(t)[:40] for t in photo_tokens]))
        insp.save(update_fields=["report_body"])
        insp.report_photos.set(chosen)
    return insp


def submit_report(inspection_id, by, *, now=None) -> Inspection:
    with transaction.atomic():
        insp = _lock_inspection(inspection_id)
        _require_office(by, insp.org_id, "报送督查报告")
        if insp.status != Inspection.Status.PLANNED:
            raise TransitionNotAllowed(f"督查检查当前状态为“{insp.get_status_display()}”，不能报送")
        if not insp.report_body.strip():
            raise InvalidInput("请先起草督查报告", "body")
        insp.status = Inspection.Status.REPORT_PENDING
        insp.save(update_fields=["status"])
    return insp


def decide_report(inspection_id, by, *, approve: bool, comment="", now=None) -> Inspection:
    """The leader approves the 督查报告, which issues it (and from then on the units concerned see
    their findings, unannounced or not), or returns it to the office with a comment."""
    with transaction.atomic():
        insp = _lock_inspection(inspection_id)
        if not (by.id == insp.leader_id or (by.org_id == insp.org_id and by.role == "principal_leader")):
            raise PermissionDenied("只有审批领导可以审批督查报告")
        if insp.status != Inspection.Status.REPORT_PENDING:
            raise TransitionNotAllowed(f"督查检查当前状态为“{insp.get_status_display()}”，不能审批")
        insp.report_comment = _text(comment, "领导意见", required=not approve, max_length=1000)
        if approve:
            insp.status, insp.issued_at, insp.issued_by = Inspection.Status.ISSUED, _now(now), by
        else:
            insp.status = Inspection.Status.PLANNED
        insp.save()
    return insp


# --- re-checks (point 4) ------------------------------------------------------------------------

def months_before(when: dt.datetime, months: int) -> dt.datetime:
    y, m = divmod(when.month - 1 - months, 12)
    year, month = when.year + y, m + 1
    day = min(when.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                         31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return when.replace(year=year, month=month, day=day)


CLOSED = (Status.CLOSED, Status.ARCHIVED)


def propose_rechecks(org, *, by=None, now=None, rng: random.Random | None = None, kinds=None) -> list[Recheck]:
    """Proposals by the organisation's rules (seed 000 art. 5: 回头看): every closed item of a kind
    some months after closing, or a random N % of a kind's closed items never re-checked.
    ``kinds`` limits the rules run (the weekly job runs only ``after_close``)."""
    if by is not None:
        _require_office(by, org.id, "生成回头看建议")
    now = _now(now)
    rng = rng or random.SystemRandom()
    made = []
    with transaction.atomic():
        rules = RecheckRule.objects.filter(org=org, is_active=True).order_by("id")
        if kinds is not None:
            rules = rules.filter(kind__in=kinds)
        for rule in rules:
            candidates = (Item.objects.filter(org=org, kind=rule.item_kind, status__in=CLOSED,
                                              closed_at__lte=months_before(now, rule.months))
                          .exclude(rechecks__isnull=False).order_by("id").values_list("id", flat=True))
            ids = list(candidates)
            if rule.kind == RecheckRule.Kind.SAMPLE:
                n = math.ceil(len(ids) * min(rule.percent, 100) / 100)
                ids = sorted(rng.sample(ids, n))
            for item_id in ids:
                made.append(Recheck.objects.create(org=org, item_id=item_id, rule=rule, proposed_by=by, proposed_at=now))
    return made


def add_recheck(item_id, by, *, now=None) -> Recheck:
    """The office adds any closed item for 回头看 by hand."""
    with transaction.atomic():
        item = item_services._lock(item_id)
        _require_office(by, item.org_id, "添加回头看")
        if not items_visible_to(by).filter(pk=item.pk).exists():
            raise NotFound("事项不存在")
        if item.status not in CLOSED:
            raise TransitionNotAllowed("只有已办结或已归档的事项可以回头看")
        if Recheck.objects.filter(item=item, state=Recheck.State.PROPOSED).exists():
            raise TransitionNotAllowed("该事项已在回头看清单中")
        return Recheck.objects.create(org=item.org, item=item, proposed_by=by, proposed_at=_now(now))


def record_recheck(recheck_id, by, *, holding: bool, note, deadline=None, now=None) -> Recheck:
    """巩固 or 反弹, with what was seen; a relapse opens a new item linked to the old one, which runs
    the normal procedure (seed 000 art. 5: 回头看; seed 004: closed-loop follow-up)."""
    with transaction.atomic():
        try:
            r = Recheck.objects.select_for_update().select_related("item").get(pk=recheck_id)
        except (Recheck.DoesNotExist, ValueError, TypeError):
            raise NotFound("回头看记录不存在") from None
        _require_office(by, r.org_id, "记录回头看结果")
        if r.state != Recheck.State.PROPOSED:
            raise TransitionNotAllowed(f"该回头看已有结果（{r.get_state_display()}）")
        r.note = _text(note, "回头看情况")
        old = r.item
        if holding:
            r.state = Recheck.State.HOLDING
        else:
            if old.lead_unit is None or old.responsible_leader is None:
                raise InvalidInput("原事项没有主办单位或分管领导，无法重新立项", "note")
            fields = item_services.DraftFields(
                title=f"回头看反弹：{old.title}"[:200],
                content=f"回头看发现问题反弹：{r.note}\n\n原事项{old.number}：{old.content}"[:20000],
                kind=old.kind, urgency=Urgency.URGENT, lead_unit=old.lead_unit, co_units=[],
                responsible_leader=old.responsible_leader, deadline=deadline,
                deadline_override_reason="回头看反弹，限期整改" if deadline else "",
                source_text=f"回头看：原事项{old.number}（{old.title}）"[:5000],
            )
            new = item_services.create_draft(old.org, by, fields, now=now)
            new = item_services.submit_proposal(new.id, by, comment="回头看发现反弹，拟重新立项", now=now)
            r.state, r.relapse_item = Recheck.State.RELAPSED, new
        r.decided_by, r.decided_at = by, _now(now)
        r.save()
        item_services.record(old, by, "recheck", comment=f"回头看：{r.get_state_display()}。{r.note}", now=now,
                             data={"recheck": r.id, "relapse_item": r.relapse_item_id})
    return r


def dismiss_recheck(recheck_id, by, *, note="", now=None) -> Recheck:
    with transaction.atomic():
        r = Recheck.objects.select_for_update().filter(pk=recheck_id).first()
        if r is None:
            raise NotFound("回头看记录不存在")
        _require_office(by, r.org_id, "处理回头看建议")
        if r.state != Recheck.State.PROPOSED:
            raise TransitionNotAllowed(f"该回头看已有结果（{r.get_state_display()}）")
        r.state, r.note, r.decided_by, r.decided_at = Recheck.State.DISMISSED, _text(note, "理由", required=False), by, _now(now)
        r.save()
    return r
