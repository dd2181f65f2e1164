"""Assessments (督查考核): list, detail with the ranking or the unit's own score, each unit's lines
with the record behind every point, and the office's and leader's steps. Thin over
``duban.assessment``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Router, Schema
from ninja import Status as Reply

from duban.assessment import selectors, services
from duban.assessment.models import Assessment, ScoreKind
from duban.items.errors import NotFound

from ..errors import NOT_FOUND, READ, WRITE, errors
from ..schemas import ApiDate, In, ParamId, Text, Version, _choices

router = Router(tags=["督查考核"])


class ScoreOut(Schema):
    unit_id: int
    unit_name: str
    rank: int
    score: Decimal = Field(description="得分，两位小数")
    deductions: Decimal
    additions: Decimal
    adjustment: Decimal


class AssessmentOut(Schema):
    id: int
    title: str
    kind: str = Field(description="mid_year 年中 / year_end 年终")
    kind_label: str
    year: int
    period_start: dt.date
    period_end: dt.date
    as_of: dt.date = Field(description="判断“逾期未办结”的日期")
    status: str = Field(description="draft / pending_approval / approved / published")
    status_label: str
    base_score: Decimal
    leader_comment: str
    published_at: dt.datetime | None
    version: int


class AssessmentDetail(AssessmentOut):
    scores: list[ScoreOut] = Field(description="督查室和领导：全部单位的排名；承办单位：仅本单位（发布后）")


class LineOut(Schema):
    id: int
    kind: str
    kind_label: str
    points: Decimal
    label: str
    at: dt.date | None
    item_id: int | None
    item_number: str
    ref_model: str = Field(description="得分依据的记录：items.Item、urging.Notice、items.Review、"
                                       "urging.ReportObligation、items.Instruction、circulars.Mention、"
                                       "accountability.Sanction；调整为空")
    ref_id: int | None
    link: str = Field(description="查看该记录的页面地址")
    adjusted_by: str | None


class RunIn(In):
    kind: _choices(Assessment.Kind.values)
    year: int = Field(ge=2000, le=2099, strict=True)
    period_start: ApiDate | None = Field(None, description="留空：年中为1月1日，年终为1月1日")
    period_end: ApiDate | None = Field(None, description="留空：年中为6月30日，年终为12月31日")


class AdjustIn(In):
    unit_id: ParamId
    points: Decimal = Field(description="调整分值，正数加分、负数扣分，非零，绝对值不超过100，最多两位小数")
    reason: Text(480) = Field(description="调整理由（必填，单列一行保留）")
    version: Version | None = None


class StepIn(In):
    version: Version | None = None


class LeaderIn(In):
    comment: Text(1000) = Field("", description="审定意见；退回时必填")
    version: Version | None = None


def _out(a: Assessment) -> dict:
    return {"id": a.id, "title": a.title, "kind": a.kind, "kind_label": a.get_kind_display(), "year": a.year,
            "period_start": a.period_start, "period_end": a.period_end, "as_of": a.as_of, "status": a.status,
            "status_label": a.get_status_display(), "base_score": a.base_score, "leader_comment": a.leader_comment,
            "published_at": a.published_at, "version": a.version}


def _detail(user, a: Assessment) -> dict:
    scores = [{"unit_id": s.unit_id, "unit_name": s.unit_name, "rank": s.rank, "score": s.score,
               "deductions": s.deductions, "additions": s.additions, "adjustment": s.adjustment}
              for s in selectors.scores_visible_to(user, a)]
    return {**_out(a), "scores": scores}


def _get(user, assessment_id) -> Assessment:
    a = selectors.get_visible_assessment(user, assessment_id)
    if a is None:
        raise NotFound(NOT_FOUND)
    return a


@router.get("/assessments", response={200: list[AssessmentOut], **errors(401)}, summary="考核列表")
def list_assessments(request):
    """督查室：本组织全部考核；领导：已呈审定的；承办单位：已发布且本单位参加的。"""
    return [_out(a) for a in selectors.assessments_visible_to(request.auth).order_by("-year", "-period_end", "-id")]


@router.post("/assessments", response={201: AssessmentDetail, **errors(*WRITE)}, summary="开展考核（按记录计算）")
def run_assessment(request, data: RunIn):
    """督查室按记录计算年中或年终考核得分（000 第四条第6项）；同一年度同一类型的草拟考核再次提交即重新计算，
    调整保留。已呈审定或发布的返回 409。"""
    user = request.auth
    a = services.run(user.org, user, kind=data.kind, year=data.year, period_start=data.period_start,
                     period_end=data.period_end) if user.org_id else None
    if a is None:
        raise NotFound(NOT_FOUND)
    return Reply(201, _detail(user, a))


@router.get("/assessments/latest-ranking", response={200: list[ScoreOut], **errors(401)},
            summary="最近发布的考核排名")
def latest_ranking(request):
    """督查室和领导：本组织最近一次发布的考核排名；其他角色为空。"""
    user = request.auth
    a = selectors.latest_published(user.org) if user.org_id and selectors.sees_ranking(user) else None
    return _detail(user, a)["scores"] if a else []


@router.get("/assessments/{assessment_id}", response={200: AssessmentDetail, **errors(*READ)}, summary="考核结果")
def get_assessment(request, assessment_id: ParamId):
    return _detail(request.auth, _get(request.auth, assessment_id))


@router.get("/assessments/{assessment_id}/units/{unit_id}/lines", response={200: list[LineOut], **errors(*READ)},
            summary="单位得分明细")
def unit_lines(request, assessment_id: ParamId, unit_id: ParamId):
    """每一行一条得分或扣分，链接到所依据的记录；承办单位只能看本单位。"""
    user = request.auth
    a = _get(user, assessment_id)
    if not selectors.scores_visible_to(user, a).filter(unit_id=unit_id).exists():
        raise NotFound(NOT_FOUND)
    return [{"id": l.id, "kind": l.kind, "kind_label": ScoreKind(l.kind).label, "points": l.points, "label": l.label,
             "at": l.at, "item_id": l.item_id, "item_number": l.item_number, "ref_model": l.ref_model,
             "ref_id": l.ref_id, "link": selectors.line_link(l), "adjusted_by": l.by.display_name if l.by else None}
            for l in selectors.lines_visible_to(user, a, unit_id)]


@router.post("/assessments/{assessment_id}/recompute", response={200: AssessmentDetail, **errors(*WRITE)},
             summary="重新计算（草拟）")
def recompute(request, assessment_id: ParamId, data: StepIn):
    a = _get(request.auth, assessment_id)
    return _detail(request.auth, services.recompute(a.id, request.auth, version=data.version))


@router.post("/assessments/{assessment_id}/adjust", response={200: AssessmentDetail, **errors(*WRITE)},
             summary="调整得分（须写明理由）")
def adjust(request, assessment_id: ParamId, data: AdjustIn):
    a = _get(request.auth, assessment_id)
    services.adjust(a.id, request.auth, unit_id=data.unit_id, points=data.points, reason=data.reason,
                    version=data.version)
    return _detail(request.auth, Assessment.objects.get(pk=a.id))


@router.post("/assessments/{assessment_id}/submit", response={200: AssessmentDetail, **errors(*WRITE)},
             summary="呈领导审定")
def submit(request, assessment_id: ParamId, data: StepIn):
    a = _get(request.auth, assessment_id)
    return _detail(request.auth, services.submit(a.id, request.auth, version=data.version))


@router.post("/assessments/{assessment_id}/approve", response={200: AssessmentDetail, **errors(*WRITE)},
             summary="领导审定同意")
def approve(request, assessment_id: ParamId, data: LeaderIn):
    a = _get(request.auth, assessment_id)
    return _detail(request.auth, services.approve(a.id, request.auth, comment=data.comment, version=data.version))


@router.post("/assessments/{assessment_id}/send-back", response={200: AssessmentDetail, **errors(*WRITE)},
             summary="领导退回督查室")
def send_back(request, assessment_id: ParamId, data: LeaderIn):
    a = _get(request.auth, assessment_id)
    return _detail(request.auth, services.send_back(a.id, request.auth, comment=data.comment, version=data.version))


@router.post("/assessments/{assessment_id}/publish", response={200: AssessmentDetail, **errors(*WRITE)},
             summary="发布（结果冻结）")
def publish(request, assessment_id: ParamId, data: StepIn):
    a = _get(request.auth, assessment_id)
    return _detail(request.auth, services.publish(a.id, request.auth, version=data.version))
