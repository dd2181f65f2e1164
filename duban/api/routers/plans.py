"""Plans and ledgers (分解与整改台账) for OA integration: figures, the three lists, the progress
report at a date, and ledger import as a background job. Thin over ``duban.ledgers``."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from ninja import Field, File, Form, Query, Router, Schema
from ninja import Status as Reply
from ninja.files import UploadedFile

from duban.items.errors import NotFound
from duban.items.models import Status
from duban.ledgers import report, selectors, services
from duban.ledgers.models import DeadlineClass, LedgerJob, Plan

from ..errors import NOT_FOUND, READ, WRITE, errors
from ..schemas import ApiDate, ParamId, Text, _choices

router = Router(tags=["分解与整改台账"])
PAGE_SIZE = 200


class Figures(Schema):
    total: int = Field(description="措施（叶子事项）数")
    done: int = Field(description="已整改（已办结）")
    under_way: int = Field(description="正在整改")
    overdue: int = Field(description="已超期")
    rate: Decimal = Field(description="整改率（%），两位小数")


class PlanOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    start_date: dt.date
    source_text: str
    source_item_id: int | None
    figures: Figures


class ProblemOut(Schema):
    id: int
    number: int
    title: str
    category: str | None
    deadline_class: str
    measures: int
    done: int
    overdue: int
    is_done: bool = Field(description="全部措施已整改（整改到位）")
    leaders: list[str]
    units: list[str]


class PlanDetail(PlanOut):
    problems: list[ProblemOut]


class MeasureOut(Schema):
    item_id: int
    number: str = Field(description="事项编号；未立项为空")
    problem_number: int
    measure_number: int
    title: str
    target: str
    leader: str | None
    lead_unit: str | None
    co_units: list[str]
    deadline_class: str
    deadline: dt.date | None
    status: str
    status_label: str


class MeasurePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[MeasureOut]


class MeasureFilters(Schema):
    category: ParamId | None = Field(None, description="类别节点 id")
    deadline_class: _choices(DeadlineClass.values) | None = None
    unit: ParamId | None = Field(None, description="责任或协办单位 id")
    leader: ParamId | None = Field(None, description="牵头领导 id")
    state: _choices(["done", "under_way", "overdue"]) | None = None
    page: ParamId = Field(1, le=100000, description=f"页码，每页 {PAGE_SIZE} 条")


class TallyOut(Schema):
    label: str
    problems: int
    problems_done: int
    measures: int
    measures_done: int
    overdue: int
    rate: Decimal
    open_problem_numbers: list[int]


class PlanReportOut(Schema):
    as_of: dt.date
    summary: str = Field(description="通报表述，如“截至……整体整改率88.08%。”")
    total: TallyOut
    by_deadline_class: list[TallyOut]
    by_category: list[TallyOut]
    by_unit: list[TallyOut]


class ReportQuery(Schema):
    as_of: ApiDate | None = Field(None, description="截至日期，默认今天")


class JobOut(Schema):
    id: int
    kind: str
    state: str = Field(description="queued / running / failed / done")
    phase: str
    total: int
    done: int
    message: str
    plan_id: int | None
    errors: list[dict] = Field(description="逐行错误：row（Excel 行号）、column、value、message")


class ImportIn(Schema):
    title: Text(200)
    kind: _choices(Plan.Kind.values) = Plan.Kind.RECTIFICATION
    item_kind: Text(30) = "rectification"
    start_date: ApiDate | None = None
    source_text: Text(5000) = ""


def _figures(r: selectors.Rollup) -> dict:
    return {"total": r.total, "done": r.done, "under_way": r.under_way, "overdue": r.overdue, "rate": r.rate}


def _plan_out(plan: Plan, figures: selectors.Rollup) -> dict:
    return {
        "id": plan.id, "title": plan.title, "kind": plan.kind, "kind_label": plan.get_kind_display(),
        "start_date": plan.start_date, "source_text": plan.source_text, "source_item_id": plan.source_item_id,
        "figures": _figures(figures),
    }


def _plan(user, plan_id) -> Plan:
    plan = selectors.plans_visible_to(user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(NOT_FOUND)
    return plan


def _tally(t: report.Tally) -> dict:
    return {"label": t.label, "problems": t.problems, "problems_done": t.problems_done, "measures": t.measures,
            "measures_done": t.measures_done, "overdue": t.overdue, "rate": t.rate,
            "open_problem_numbers": t.open_problem_numbers}


def _job_out(job: LedgerJob) -> dict:
    return {"id": job.id, "kind": job.kind, "state": job.state, "phase": job.phase, "total": job.total,
            "done": job.done, "message": job.message, "plan_id": job.plan_id, "errors": job.errors}


@router.get("/plans", response={200: list[PlanOut], **errors(401)}, summary="分解方案列表")
def list_plans(request):
    """督查室和领导可见本组织的方案；每个方案的数字由其措施汇总。"""
    plans = list(selectors.plans_visible_to(request.auth))
    figures = selectors.plan_figures(plans)
    return [_plan_out(p, figures[p.id]) for p in plans]


# Before /plans/{plan_id}: the first route whose pattern matches takes the request.
@router.post("/plans/import", response={202: JobOut, **errors(*WRITE)}, summary="导入整改台账（后台作业）")
def import_ledger(request, fields: Form[ImportIn], file: File[UploadedFile]):
    """上传按模板填写的 .xlsx（multipart/form-data）。返回作业；用 `GET /plans/jobs/{id}` 查询进度和逐行错误。
    任何一行有误，整表不导入。"""
    user = request.auth
    params = services.clean_params(user.org, title=fields.title, kind=fields.kind, item_kind=fields.item_kind,
                                   start_date=fields.start_date, source_text=fields.source_text)
    job = services.start_import(user.org, user, file, params)
    return Reply(202, _job_out(job))


@router.get("/plans/jobs/{job_id}", response={200: JobOut, **errors(*READ)}, summary="台账作业进度")
def get_job(request, job_id: ParamId):
    user = request.auth
    job = LedgerJob.objects.filter(pk=job_id, org_id=user.org_id).first()
    if job is None or not (job.created_by_id == user.id or selectors.can_edit_plans(user)):
        raise NotFound(NOT_FOUND)
    return _job_out(job)


@router.get("/plans/{plan_id}", response={200: PlanDetail, **errors(*READ)}, summary="方案与问题清单")
def get_plan(request, plan_id: ParamId):
    plan = _plan(request.auth, plan_id)
    problems = [{
        "id": r.node.id, "number": r.node.number, "title": r.node.title, "category": r.category.title if r.category else None,
        "deadline_class": r.node.deadline_class, "measures": r.measures, "done": r.done, "overdue": r.overdue,
        "is_done": r.is_done, "leaders": r.leaders, "units": r.units,
    } for r in selectors.problem_rows(plan)]
    return {**_plan_out(plan, selectors.rollup(selectors.leaf_items(plan))), "problems": problems}


@router.get("/plans/{plan_id}/measures", response={200: MeasurePage, **errors(*READ)}, summary="任务清单与责任清单")
def list_measures(request, plan_id: ParamId, filters: Query[MeasureFilters]):
    """每条措施一行（即一件事项），只含您可以看到的事项；每页 200 条。"""
    plan = _plan(request.auth, plan_id)
    f = selectors.LedgerFilters(category=filters.category, deadline_class=filters.deadline_class or "",
                                unit=filters.unit, leader=filters.leader, state=filters.state or "")
    qs = selectors.measure_nodes(request.auth, plan, f)
    count = qs.count()
    start = (filters.page - 1) * PAGE_SIZE
    statuses = dict(Status.choices)
    results = []
    for n in qs[start:start + PAGE_SIZE] if start < count else []:
        item, leader = n.item, n.item.responsible_leader
        results.append({
            "item_id": item.id, "number": item.number, "problem_number": n.parent.number, "measure_number": n.number,
            "title": item.title, "target": n.target, "leader": (leader.full_name or leader.username) if leader else None,
            "lead_unit": item.lead_unit.name if item.lead_unit else None,
            "co_units": [a.unit.name for a in item.assignments.all() if a.role == "co"],
            "deadline_class": n.deadline_class or n.parent.deadline_class, "deadline": item.deadline,
            "status": item.status, "status_label": statuses.get(item.status, item.status),
        })
    return {"count": count, "page": filters.page, "page_size": PAGE_SIZE,
            "pages": max(1, math.ceil(count / PAGE_SIZE)), "results": results}


@router.get("/plans/{plan_id}/report", response={200: PlanReportOut, **errors(*READ)}, summary="整改进展（任一日期）")
def plan_report(request, plan_id: ParamId, query: Query[ReportQuery]):
    plan = _plan(request.auth, plan_id)
    r = report.progress_report(plan, query.as_of)
    return {
        "as_of": r.as_of, "summary": r.summary, "total": _tally(r.total),
        "by_deadline_class": [_tally(t) for _, t in r.by_class], "by_category": [_tally(t) for t in r.by_category],
        "by_unit": [_tally(t) for t in r.by_unit],
    }
