"""One function per thing a person does with documents: issue a numbered document, upload a
template, archive an item (which seals its volume), start the year's archiving, verify chains.
Each checks who may, works in one transaction and raises a domain error with a Chinese message."""

from __future__ import annotations

import datetime as dt
import html
import io
import logging
import re

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from duban.items import services as item_services
from duban.items.errors import InvalidInput, NotFound, PermissionDenied
from duban.items.models import ItemKind, Status
from duban.items.selectors import get_visible_item, items_visible_to
from duban.orgs.models import Role, Unit

from . import forms
from .kinds import FormKind
from .models import ArchiveJob, DocumentSeries, DocumentSettings, FormTemplate, IssuedDocument, RetentionRule, Volume

log = logging.getLogger(__name__)

OFFICE = (Role.SUPERVISOR, Role.OFFICE_HEAD)
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024


def _now(now):
    return now or timezone.now()


def _require_office(user, org_id, roles=OFFICE):
    if not (user.is_authenticated and user.org_id == org_id and user.role in roles):
        raise PermissionDenied("只有督查室人员可以办理")


def _text(value, label, *, required=True, max_length=200) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise InvalidInput(f"{label}格式不正确", label)
    if required and not value:
        raise InvalidInput(f"请填写{label}", label)
    if len(value) > max_length:
        raise InvalidInput(f"{label}不能超过{max_length}字", label)
    return value


# --- numbering ----------------------------------------------------------------------------------------

def next_document_number(org, kind: str, year: int) -> tuple[int, str]:
    """The next number of the kind's own gapless yearly series, with the organisation's prefix:
    督专〔2026〕7号 (the row is locked to the end of the caller's transaction; a rollback gives the
    number back)."""
    seq = item_services.take_next(DocumentSeries, org=org, kind=kind, year=year)
    settings = DocumentSettings.objects.filter(org=org).first() or DocumentSettings(org=org)
    return seq, item_services.format_number(settings.prefix_for(kind), year, seq)


def issue_special_report(item_id, by, *, title, body, signer, main_to, cc="", now=None) -> IssuedDocument:
    """督查专报: the office reports an item to the leader, one item one report (seed 001 art. 7(6),
    art. 11: formal report documents carry number, signer and seal)."""
    item = get_visible_item(by, item_id)
    if item is None:
        raise NotFound("事项不存在")
    _require_office(by, item.org_id)
    fields = dict(title=_text(title, "标题"), body=_text(body, "正文", max_length=20000),
                  signer=_text(signer, "签发人", max_length=50), main_to=_text(main_to, "主送", max_length=200),
                  cc=_text(cc, "抄送", required=False, max_length=200))
    with transaction.atomic():
        year = timezone.localdate(_now(now)).year
        seq, number = next_document_number(item.org, FormKind.SPECIAL_REPORT, year)
        doc = IssuedDocument.objects.create(org=item.org, kind=FormKind.SPECIAL_REPORT, item=item, year=year, seq=seq,
                                            number=number, issued_by=by, issued_at=_now(now), **fields)
        item_services.record(item, by, "issue_document", comment=f"印发督查专报{number}",
                             data={"document": doc.id, "number": number}, now=now)
    return doc


def special_report_draft(item) -> dict:
    """What the office starts a 督查专报 from: the item's facts, which it then edits."""
    lead = item.lead_unit.name if item.lead_unit else ""
    return {
        "title": f"关于{item.title}办理情况的报告",
        "body": (f"{item.number}“{item.title}”由{lead}主办，办理时限为{forms.cn_date(item.deadline)}，"
                 f"目前状态为“{item.get_status_display()}”。\n现将办理情况报告如下："),
        "main_to": item.responsible_leader.display_name if item.responsible_leader else "",
    }


def issue_rectification_notice(org, by, *, unit, title, body, answer_deadline, kind=FormKind.RECTIFICATION_NOTICE,
                               item=None, cc="", now=None) -> IssuedDocument:
    """整改通知书 / 督查建议书 to a unit; it opens an item (a draft of kind 整改) whose completion
    report is the unit's answer, so the loop closes through the normal procedure (seed 004:
    督查整改建议书, closed-loop follow-up)."""
    _require_office(by, org.id)
    if kind not in (FormKind.RECTIFICATION_NOTICE, FormKind.RECOMMENDATION_LETTER):
        raise InvalidInput("文书种类不正确", "kind")
    if not isinstance(unit, Unit) or unit.org_id != org.id or not unit.is_active:
        raise InvalidInput("请选择本组织的受文单位", "unit")
    if item is not None and not items_visible_to(by).filter(pk=item.pk).exists():
        raise NotFound("事项不存在")
    title = _text(title, "标题")
    body = _text(body, "正文", max_length=20000)
    if not isinstance(answer_deadline, dt.date) or answer_deadline <= timezone.localdate(_now(now)):
        raise InvalidInput("反馈时限须为今天以后的日期", "answer_deadline")
    with transaction.atomic():
        year = timezone.localdate(_now(now)).year
        seq, number = next_document_number(org, kind, year)
        label = FormKind(kind).label
        answer = item_services.create_draft(org, by, item_services.DraftFields(
            title=f"落实{label}（{number}）：{title}"[:200], content=body, kind=ItemKind.RECTIFICATION,
            urgency="normal", lead_unit=unit, co_units=[], responsible_leader=item.responsible_leader if item else None,
            deadline=answer_deadline, deadline_override_reason=f"按{label}{number}规定的反馈时限",
            source_text=f"{label}{number}" + (f"，涉及事项{item.number}" if item else ""),
        ), now=now)
        doc = IssuedDocument.objects.create(
            org=org, kind=kind, item=item, year=year, seq=seq, number=number, title=title, body=body, unit=unit,
            main_to=unit.name, cc=_text(cc, "抄送", required=False), answer_deadline=answer_deadline,
            answer_item=answer, issued_by=by, issued_at=_now(now))
        for target in filter(None, (item, answer)):
            item_services.record(target, by, "issue_document", comment=f"印发{label}{number}",
                                 data={"document": doc.id, "number": number}, now=now)
    return doc


# --- templates ----------------------------------------------------------------------------------------

def check_template(kind: str, data: bytes) -> None:
    """Refuse a template that would not fill: not a .docx, a placeholder that does not parse, or one
    the kind does not know (the message names it)."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment, TemplateSyntaxError

    allowed = forms.placeholders(kind)
    try:
        tpl = DocxTemplate(io.BytesIO(data))
        tpl.init_docx()
        xml = tpl.patch_xml(tpl.get_xml())
    except Exception:
        raise InvalidInput("无法读取该文件：请上传 Word 2007 及以上版本的 .docx 模板", "file") from None
    env = Environment()
    plain = html.unescape(re.sub(r"<[^>]+>", "", xml))
    for start in (m.start() for m in re.finditer(r"{{", plain)):
        end = plain.find("}}", start + 2)
        tag = plain[start:end + 2] if end != -1 else plain[start:start + 30]
        if end == -1 or "{{" in tag[2:]:
            tag = tag[:tag.find("{{", 2)] if "{{" in tag[2:] else tag
            raise InvalidInput(f"占位符 {tag.strip()} 没有以 }}}} 结束", "file")
        try:
            env.from_string(tag)
        except TemplateSyntaxError as err:
            raise InvalidInput(f"占位符 {tag} 写法有误（{err.message}）", "file") from None
    try:
        names = tpl.get_undeclared_template_variables()
    except TemplateSyntaxError as err:
        raise InvalidInput(f"模板第{err.lineno}处占位符写法有误：{err.message}", "file") from None
    unknown = sorted(set(names) - set(allowed))
    if unknown:
        raise InvalidInput(
            f"占位符 {'、'.join('{{ ' + n + ' }}' for n in unknown)} 不可用于“{FormKind(kind).label}”；"
            f"可用的占位符：{'、'.join(allowed)}", "file")
    sample = {k: "示例" for k in allowed} | {"fields": [{"label": "示例", "value": "示例"}], "rows": [["示例"]],
                                           "headers": ["示例"], "paragraphs": ["示例"]}
    try:
        tpl.render(sample, autoescape=True)
        tpl.save(io.BytesIO())
    except Exception as err:  # a filter or call that fails only when filled
        raise InvalidInput(f"模板无法套用：{err}", "file") from None


def upload_template(org, by, kind: str, uploaded, *, now=None) -> FormTemplate:
    """The admin (or office head) uploads the organisation's Word template for a form kind."""
    _require_office(by, org.id, roles=(Role.ADMIN, Role.OFFICE_HEAD))
    if kind not in FormKind.values:
        raise InvalidInput("请选择文书种类", "kind")
    if uploaded is None:
        raise InvalidInput("请选择模板文件", "file")
    if not (uploaded.name or "").lower().endswith(".docx"):
        raise InvalidInput("模板须为 .docx 文件", "file")
    if uploaded.size > TEMPLATE_MAX_BYTES:
        raise InvalidInput("模板文件不能超过 5 MB", "file")
    data = uploaded.read()
    check_template(kind, data)
    with transaction.atomic():
        FormTemplate.objects.filter(org=org, kind=kind, is_active=True).update(is_active=False)
        t = FormTemplate(org=org, kind=kind, original_name=uploaded.name[-200:], uploaded_by=by, uploaded_at=_now(now))
        t.file.save(f"{kind}.docx", ContentFile(data), save=False)
        t.save()
    return t


def retire_template(template_id, by) -> None:
    t = FormTemplate.objects.filter(pk=template_id).first()
    if t is None:
        raise NotFound("模板不存在")
    _require_office(by, t.org_id, roles=(Role.ADMIN, Role.OFFICE_HEAD))
    FormTemplate.objects.filter(pk=t.pk).update(is_active=False)


# --- archiving ----------------------------------------------------------------------------------------

def archive_item(item_id, by, *, version=None, now=None):
    """归档: the item becomes read-only and, once that is committed, its volume is sealed in the
    background (一事一卷, seed 002 art. 5(7))."""
    item = item_services.archive(item_id, by, version=version, now=now)
    enqueue_seal(item.id, by.id)
    return item


def enqueue_seal(item_id, user_id):
    from .tasks import seal_volume_task

    transaction.on_commit(lambda: seal_volume_task(item_id, user_id))


def archive_number(item, retention: str) -> str:
    """档号: organisation-year-retention-number, e.g. 督-2026-Y-0015 (Y 永久, D30 30年, D10 10年)."""
    code = {"permanent": "Y", "30y": "D30", "10y": "D10"}.get(retention, "D10")
    return f"{item.org.number_prefix}-{item.year or timezone.localdate(item.archived_at).year}-{code}-{item.seq or item.pk:04d}"


def seal_volume(item_id, by, *, now=None) -> Volume:
    """Build and store the archived item's volume as its office sees it; once only."""
    from .archive import build_volume

    existing = Volume.objects.filter(item_id=item_id).first()
    if existing is not None:
        return existing
    item = get_visible_item(by, item_id)
    if item is None:
        raise NotFound("事项不存在")
    _require_office(by, item.org_id, roles=(Role.SUPERVISOR, Role.OFFICE_HEAD, Role.ADMIN))
    if item.status != Status.ARCHIVED:
        raise InvalidInput("事项归档后才能立卷")
    retention = RetentionRule.period_for(item.org_id, item.kind)
    built = build_volume(by, item, retention=retention, now=now)
    with transaction.atomic():
        if Volume.objects.select_for_update().filter(item_id=item_id).exists():
            return Volume.objects.get(item_id=item_id)
        chain = built.manifest["chain"]
        v = Volume(org=item.org, item=item, year=item.year or timezone.localdate(_now(now)).year,
                   archive_number=archive_number(item, retention), retention=retention, sha256=built.sha256,
                   size=len(built.content), manifest=built.manifest, file_count=len(built.manifest["files"]),
                   chain_head=chain["head"], chain_length=chain["length"], sealed_by=by, sealed_at=_now(now),
                   build_seconds=built.seconds)
        v.file.save("volume.zip", ContentFile(built.content), save=False)
        v.save()
    return v


def start_year_archive(org, by, year, *, now=None) -> ArchiveJob:
    """年度归档: archive every closed item of the year and seal every volume, in the background."""
    _require_office(by, org.id)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise InvalidInput("请填写年度", "year") from None
    if not 2000 <= year <= timezone.localdate(_now(now)).year:
        raise InvalidInput("年度超出范围", "year")
    with transaction.atomic():
        if ArchiveJob.objects.filter(org=org, state__in=[ArchiveJob.State.QUEUED, ArchiveJob.State.RUNNING]).exists():
            raise InvalidInput("已有归档作业正在进行，请稍候")
        total = year_candidates(org, year).count()
        job = ArchiveJob.objects.create(org=org, year=year, created_by=by, total=total, created_at=_now(now))
        from .tasks import run_archive_job

        transaction.on_commit(lambda: run_archive_job(job.id))
    return job


def year_candidates(org, year):
    from duban.items.models import Item

    return Item.objects.filter(org=org, year=year, status__in=[Status.CLOSED, Status.ARCHIVED], volume__isnull=True)


def _progress(job, **kw):
    ArchiveJob.objects.filter(pk=job.pk).update(**kw)


def run_archive_job(job_id, *, now=None) -> None:
    """Claimed once by a conditional update; each item is archived and sealed in its own
    transaction, so a failure of one is listed and the rest go on."""
    if not ArchiveJob.objects.filter(pk=job_id, state=ArchiveJob.State.QUEUED).update(state=ArchiveJob.State.RUNNING):
        return
    job = ArchiveJob.objects.select_related("org", "created_by").get(pk=job_id)
    by, failed, done = job.created_by, [], 0
    ids = list(year_candidates(job.org, job.year).order_by("seq", "id").values_list("id", flat=True))
    _progress(job, total=len(ids), done=0)
    try:
        for item_id in ids:
            try:
                item = get_visible_item(by, item_id)
                if item is not None and item.status == Status.CLOSED:
                    item_services.archive(item_id, by, now=now)
                seal_volume(item_id, by, now=now)
            except Exception as err:  # noqa: BLE001 - reported per item, the job goes on
                log.exception("archiving item %s failed", item_id)
                failed.append({"item": item_id, "message": getattr(err, "message", "内部错误")})
            done += 1
            _progress(job, done=done, failed=failed)
        register = register_workbook(job.org, job.year)
        job.register.save(f"archive-register-{job.org_id}-{job.year}.xlsx", ContentFile(register), save=False)
        _progress(job, register=job.register.name, state=ArchiveJob.State.DONE, finished_at=timezone.now(),
                  message=f"已归档{done - len(failed)}件" + (f"，{len(failed)}件失败" if failed else ""))
    except Exception:
        log.exception("archive job %s failed", job_id)
        _progress(job, state=ArchiveJob.State.FAILED, finished_at=timezone.now(), message="归档时发生内部错误；请联系系统管理员")


def register_workbook(org, year) -> bytes:
    """归档登记表: one row per sealed volume of the year."""
    from .kinds import Retention
    from .xlsx import Column, Sheet, build_workbook

    volumes = Volume.objects.filter(org=org, year=year).select_related("item__lead_unit").order_by("archive_number")
    rows = [(v.archive_number, v.item.number, v.item.title, v.item.get_kind_display(),
             v.item.lead_unit.name if v.item.lead_unit else "", v.item.closed_at, v.sealed_at,
             Retention(v.retention).label, v.file_count, v.sha256) for v in volumes]
    return build_workbook([Sheet(
        name="归档登记表", title=f"{org.name}{year}年度督查事项归档登记表", subtitle=f"共{len(rows)}卷",
        columns=[Column("档号", 20), Column("事项编号", 16), Column("题名", 40, "wrap"), Column("类别", 12),
                 Column("主办单位", 18, "wrap"), Column("办结日期", 14, "date"), Column("归档日期", 14, "date"),
                 Column("保管期限", 9), Column("件数", 7, "int"), Column("卷包SHA-256", 30, "wrap")],
        rows=rows,
    )])


def verify_chains(by):
    """The office head's button: re-compute the organisation's chains (issue 10, point 5)."""
    from .archive import verify

    _require_office(by, by.org_id, roles=(Role.OFFICE_HEAD, Role.ADMIN))
    return verify(org=by.org)
