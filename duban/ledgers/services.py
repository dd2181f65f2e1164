"""One function per thing a person does with a plan: create it, add to its tree, import a ledger,
send its drafts for approval and approve them in one batch. Item rules stay in the items layer:
a measure is drafted, submitted and approved by the items services themselves."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from duban.items import services as item_services
from duban.items import workflow
from duban.items.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from duban.items.models import Item, ItemKind, Status
from duban.orgs.models import LEADER_ROLES, Role

from . import importing
from .models import DeadlineClass, LedgerJob, Plan, PlanNode, path_segment
from .rules import class_deadline

log = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 2000


def _require_office(user, org_id):
    if not (user.org_id == org_id and user.role in (Role.SUPERVISOR, Role.OFFICE_HEAD)):
        raise PermissionDenied("只有督查室人员可以分解立项和导入台账")


def clean_params(org, *, title, kind, source_text="", item_kind=ItemKind.RECTIFICATION, start_date=None,
                 source_item=None, now=None) -> importing.PlanParams:
    title = (title or "").strip()
    if not title:
        raise InvalidInput("请填写方案名称", "title")
    if len(title) > 200:
        raise InvalidInput("方案名称不能超过200字", "title")
    if kind not in Plan.Kind.values:
        raise InvalidInput("请选择正确的方案类型", "kind")
    if item_kind not in ItemKind.values:
        raise InvalidInput("请选择正确的事项类别", "item_kind")
    if len(source_text or "") > 5000:
        raise InvalidInput("来源与依据不能超过5000字", "source_text")
    if source_item is not None and source_item.org_id != org.id:
        raise InvalidInput("来源事项须为本组织的事项", "source_item")
    today = timezone.localdate(now or timezone.now())
    if start_date is None:
        start_date = today
    if not isinstance(start_date, dt.date) or not (dt.date(2000, 1, 1) <= start_date <= dt.date(2099, 12, 31)):
        raise InvalidInput("起始日期无效", "start_date")
    return importing.PlanParams(
        title=title, kind=kind, source_text=(source_text or "").strip(), item_kind=item_kind,
        start_date=start_date, source_item_id=source_item.id if source_item else None,
    )


def create_plan(org, by, params: importing.PlanParams, *, now=None) -> Plan:
    """An empty plan to decompose by hand (分解立项)."""
    _require_office(by, org.id)
    return Plan.objects.create(
        org=org, title=params.title, kind=params.kind, source_text=params.source_text, item_kind=params.item_kind,
        start_date=params.start_date, source_item_id=params.source_item_id, created_by=by,
        created_at=now or timezone.now(),
    )


# --- building the tree by hand ---------------------------------------------------------------

def _lock_plan(plan_id) -> Plan:
    try:
        return Plan.objects.select_for_update().get(pk=plan_id)
    except Plan.DoesNotExist:
        raise NotFound("方案不存在") from None


def _next_path(plan, parent: PlanNode | None) -> str:
    siblings = PlanNode.objects.filter(plan=plan, parent=parent)
    last = siblings.aggregate(m=Max("path"))["m"]
    n = int(last.rsplit(".", 1)[-1]) + 1 if last else 1
    return f"{parent.path}.{path_segment(n)}" if parent else path_segment(n)


def _clean_class(value) -> str:
    if value and value not in DeadlineClass.values:
        raise InvalidInput("请选择正确的整改时限", "deadline_class")
    return value or ""


def add_category(plan_id, by, *, title) -> PlanNode:
    with transaction.atomic():
        plan = _lock_plan(plan_id)
        _require_office(by, plan.org_id)
        title = (title or "").strip()
        if not title:
            raise InvalidInput("请填写类别名称", "title")
        number = PlanNode.objects.filter(plan=plan, level=PlanNode.Level.CATEGORY).count() + 1
        return PlanNode.objects.create(plan=plan, level=PlanNode.Level.CATEGORY, path=_next_path(plan, None),
                                       number=number, title=title[:500])


def add_problem(plan_id, by, *, title, category=None, deadline_class="") -> PlanNode:
    """Problems are numbered through the whole plan (seed 003: 问题35)."""
    with transaction.atomic():
        plan = _lock_plan(plan_id)
        _require_office(by, plan.org_id)
        title = (title or "").strip()
        if not title:
            raise InvalidInput("请填写问题", "title")
        if category is not None and (category.plan_id != plan.id or category.level != PlanNode.Level.CATEGORY):
            raise InvalidInput("所属类别不属于本方案", "category")
        last = PlanNode.objects.filter(plan=plan, level=PlanNode.Level.PROBLEM).aggregate(m=Max("number"))["m"] or 0
        return PlanNode.objects.create(
            plan=plan, parent=category, level=PlanNode.Level.PROBLEM, path=_next_path(plan, category),
            number=last + 1, title=title[:500], deadline_class=_clean_class(deadline_class),
        )


def add_measure(plan_id, by, *, problem, fields: item_services.DraftFields, target="", deadline_class="",
                now=None) -> PlanNode:
    """A measure is a normal item drafted by the items service, hung under its problem."""
    with transaction.atomic():
        plan = _lock_plan(plan_id)
        _require_office(by, plan.org_id)
        if problem is None or problem.plan_id != plan.id or problem.level != PlanNode.Level.PROBLEM:
            raise InvalidInput("请选择本方案的问题", "problem")
        deadline_class = _clean_class(deadline_class)
        if not fields.deadline and deadline_class:
            fields = dataclasses.replace(fields, deadline=class_deadline(plan.start_date, deadline_class),
                                         deadline_override_reason=fields.deadline_override_reason or "按整改台账时限")
        fields = dataclasses.replace(fields, kind=plan.item_kind,
                                     source_text=fields.source_text or f"{plan.title}：问题{problem.number}")
        item = item_services.create_draft(plan.org, by, fields, now=now)
        count = PlanNode.objects.filter(parent=problem).count()
        node = PlanNode.objects.create(
            plan=plan, parent=problem, level=PlanNode.Level.MEASURE, path=_next_path(plan, problem),
            number=count + 1, title=item.title[:500], target=(target or "").strip()[:2000],
            deadline_class=deadline_class, item=item,
        )
        if deadline_class and not problem.deadline_class:
            problem.deadline_class = deadline_class
            problem.save(update_fields=["deadline_class"])
    return node


# --- background jobs: import, batch submission, batch approval --------------------------------

def _enqueue(job: LedgerJob):
    from .tasks import run_ledger_job

    transaction.on_commit(lambda: run_ledger_job(job.id))


def dismiss_job(job_id: int, by, *, now=None) -> LedgerJob:
    """Close a finished job's banner on the plan list for the person who started it; a job still
    queued or running cannot be dismissed (its banner is how its progress is found)."""
    with transaction.atomic():
        job = LedgerJob.objects.select_for_update().filter(pk=job_id, org_id=by.org_id, created_by=by).first()
        if job is None:
            raise NotFound("作业不存在")
        if not job.is_finished:
            raise InvalidInput("作业尚未结束，不能关闭提示")
        if job.dismissed_at is None:
            job.dismissed_at = now or timezone.now()
            job.save(update_fields=["dismissed_at"])
    return job


def start_import(org, by, uploaded, params: importing.PlanParams, *, now=None) -> LedgerJob:
    """Store the file and queue its import; the page shows the job's progress (issue 4, point 3)."""
    _require_office(by, org.id)
    if uploaded is None:
        raise InvalidInput("请选择要导入的台账文件", "file")
    if not uploaded.name.lower().endswith(".xlsx"):
        raise InvalidInput("请上传 .xlsx 格式的 Excel 文件（可先下载模板）", "file")
    if uploaded.size > importing.MAX_BYTES:
        raise InvalidInput(f"文件超过 {importing.MAX_BYTES // 1024 // 1024} MB，请拆分后导入", "file")
    with transaction.atomic():
        job = LedgerJob(org=org, kind=LedgerJob.Kind.IMPORT, created_by=by, original_name=uploaded.name[:200],
                        params={**dataclasses.asdict(params), "start_date": params.start_date.isoformat()},
                        created_at=now or timezone.now(), phase="排队中")
        job.file.save(f"{timezone.now():%Y%m%d%H%M%S}.xlsx", uploaded, save=False)
        job.save()
        _enqueue(job)
    return job


def batch_candidates(plan: Plan, kind: str):
    status = Status.DRAFT if kind == LedgerJob.Kind.SUBMIT else Status.PENDING_APPROVAL
    return Item.objects.filter(plan_node__plan=plan, status=status)


def may_batch(user, plan: Plan, kind: str) -> bool:
    if user.org_id != plan.org_id:
        return False
    if kind == LedgerJob.Kind.SUBMIT:
        return user.role in (Role.SUPERVISOR, Role.OFFICE_HEAD)
    return user.role in LEADER_ROLES


def start_batch(plan_id, by, kind: str, *, now=None) -> LedgerJob:
    """整批呈批 (office) or 整批批准立项 (leader) of the plan's measures, as one job."""
    with transaction.atomic():
        plan = _lock_plan(plan_id)
        if kind not in (LedgerJob.Kind.SUBMIT, LedgerJob.Kind.APPROVE) or not may_batch(by, plan, kind):
            raise PermissionDenied("您无权执行该批量操作")
        n = batch_candidates(plan, kind).count()
        if not n:
            raise InvalidInput("没有待呈批的草拟措施" if kind == LedgerJob.Kind.SUBMIT else "没有待审批的措施")
        if LedgerJob.objects.filter(plan=plan, state__in=[LedgerJob.State.QUEUED, LedgerJob.State.RUNNING]).exists():
            raise InvalidInput("该方案已有作业正在进行，请稍候")
        job = LedgerJob.objects.create(org=plan.org, plan=plan, kind=kind, created_by=by, total=n, phase="排队中",
                                       created_at=now or timezone.now())
        _enqueue(job)
    return job


def _progress(job, **fields):
    LedgerJob.objects.filter(pk=job.pk).update(**fields)


def _finish(job, state, *, message, errors=None, plan=None, now=None):
    fields = dict(state=state, message=message[:500], finished_at=now or timezone.now(), phase="")
    if errors is not None:
        fields["errors"] = errors
    if plan is not None:
        fields["plan"] = plan
    if state == LedgerJob.State.DONE:
        fields["done"] = job.total
    _progress(job, **fields)


def run_job(job_id, *, now=None) -> None:
    """Run a queued job once: claimed by a conditional update, so a repeated delivery does nothing.
    All its writes are one transaction; on any failure nothing is written and the job says why."""
    if not LedgerJob.objects.filter(pk=job_id, state=LedgerJob.State.QUEUED).update(
            state=LedgerJob.State.RUNNING, phase="开始处理"):
        return
    job = LedgerJob.objects.select_related("created_by", "org", "plan").get(pk=job_id)
    # The rules (no deadline before today) apply as of the moment the user asked.
    now = now or job.created_at
    try:
        if job.kind == LedgerJob.Kind.IMPORT:
            _run_import(job, now)
        else:
            _run_batch(job, now)
    except DomainError as err:
        _finish(job, LedgerJob.State.FAILED, message=f"{err.message}；未写入任何数据", now=now)
    except Exception:
        log.exception("ledger job %s failed", job_id)
        _finish(job, LedgerJob.State.FAILED, message="处理时发生内部错误，未写入任何数据；请联系系统管理员", now=now)


def _run_import(job: LedgerJob, now) -> None:
    p = dict(job.params)
    params = importing.PlanParams(**{**p, "start_date": dt.date.fromisoformat(p["start_date"])})
    _progress(job, phase="读取文件")
    with job.file.open("rb") as f:
        rows = importing.read_ledger(f)
    job.total = len(rows)
    _progress(job, total=job.total, phase="逐行校验", done=0)
    clean, errors = importing.check_rows(job.org, params, rows, now=now,
                                         progress=lambda i: _progress(job, done=i))
    if errors:
        bad_rows = len({e.row for e in errors})
        _finish(job, LedgerJob.State.FAILED, now=now,
                message=f"共 {len(rows)} 行，其中 {bad_rows} 行有 {len(errors)} 处错误，整表未导入；请修改后重新上传",
                errors=[e.as_dict() for e in errors[:MAX_ERRORS_KEPT]])
        return
    _progress(job, done=job.total, phase="写入")
    plan = importing.write_plan(job.org, job.created_by, params, clean, now=now)
    problems = len({r.problem_no for r in clean})
    _finish(job, LedgerJob.State.DONE, plan=plan, now=now,
            message=f"已导入 {problems} 个问题、{len(clean)} 条措施，均为草拟状态，可整批呈领导审批")


def _run_batch(job: LedgerJob, now) -> None:
    by, plan = job.created_by, job.plan
    action = "submit_proposal" if job.kind == LedgerJob.Kind.SUBMIT else "approve_proposal"
    service = getattr(item_services, action)
    t = workflow.BY_ACTION[action]
    _progress(job, phase=f"{t.label}（{job.total} 件，一次完成）")
    done = skipped = 0
    with transaction.atomic():
        # Numbers follow the ledger's order: 问题1 的措施先得号.
        candidates = batch_candidates(plan, job.kind).select_related("plan_node").prefetch_related("assignments")
        for item in sorted(candidates, key=lambda i: i.plan_node.path):
            if not workflow.may_act(by, item, t):
                skipped += 1
                continue
            try:
                service(item.id, by, now=now)
            except DomainError as err:
                raise DomainError(f"{item.title[:30]}：{err.message}") from err
            done += 1
    message = f"已{t.label} {done} 件"
    if skipped:
        message += f"；另有 {skipped} 件须由其分管领导审批"
    _finish(job, LedgerJob.State.DONE, message=message, now=now)


ABANDONED_AFTER = dt.timedelta(hours=1)


def fail_abandoned_jobs(*, now=None) -> int:
    """A job still running an hour after it was asked for lost its worker (stopped or killed).
    Its writes were one transaction, so nothing of it is in the database: say so, so the user
    can run it again, and free the plan for the next job."""
    now = now or timezone.now()
    return LedgerJob.objects.filter(state=LedgerJob.State.RUNNING, created_at__lt=now - ABANDONED_AFTER).update(
        state=LedgerJob.State.FAILED, phase="", finished_at=now,
        message="处理中断（后台进程已停止），未写入任何数据；请重新提交",
    )
