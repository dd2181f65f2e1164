"""Circulars (督查通报): list, read, draft, edit, name units, submit, approve, return, issue. Thin over
``duban.circulars``: a circular the user may not see is a 404; every change goes through its
service, with the circular's ``version`` (409 when stale)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated

from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import BeforeValidator

from duban.circulars import selectors, services
from duban.circulars.models import Circular, CircularKind, CircularStatus, Mention
from duban.items.errors import NotFound

from ..errors import NOT_FOUND, READ, WRITE, errors
from ..schemas import MAX_ID, ApiDate, Id, In, ParamId, Text, _choices, _json_integer

router = Router(tags=["督查通报"])
PAGE_SIZE = 50

CircularVersion = Annotated[
    int, Field(strict=True, ge=1, le=MAX_ID, description="通报的 version（乐观锁）：与服务器不一致时返回 409"),
    BeforeValidator(_json_integer),
]


class UnitFactsOut(Schema):
    unit_id: int
    unit_name: str
    assigned: int = Field(description="本期交办")
    closed: int = Field(description="本期办结")
    closed_on_time: int = Field(description="其中按时办结")
    on_time_rate: str | None = Field(description="按时办结率（%），两位小数；本期无办结为 null")
    overdue_now: int = Field(description="截至数据日期逾期未办结")
    extensions: int = Field(description="延期申请")
    urge_notices: int = Field(description="催办单")
    supervision_orders: int = Field(description="督办令")
    returns_for_rework: int = Field(description="退回重办")
    missed_reports: int = Field(description="定期报告缺报")
    plan_rate: str | None = Field(description="整改完成率（%）；无整改措施为 null")


class TotalsOut(Schema):
    assigned: int
    closed: int
    closed_on_time: int
    overdue_now: int
    on_time_rate: str | None


class FiguresOut(Schema):
    as_of: dt.date = Field(description="数据截至日期（逾期按此日计算）")
    totals: TotalsOut
    units: list[UnitFactsOut]


class MentionOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    kind: str = Field(description="praise 通报表扬 / criticism 通报批评")
    kind_label: str
    facts: str


class SuggestionOut(Schema):
    unit_id: int
    unit_name: str
    kind: str
    facts: str


class CircularSummary(Schema):
    id: int
    number: str = Field(description="如 督查通报〔2026〕第12期；未印发为空")
    title: str
    kind: str
    kind_label: str
    period_start: dt.date
    period_end: dt.date
    status: str
    status_label: str
    issued_at: dt.datetime | None


class CircularPage(Schema):
    count: int
    page: int
    pages: int
    results: list[CircularSummary]


class CircularDetail(CircularSummary):
    body: str
    closing: str = Field(description="下一步工作要求")
    return_reason: str
    version: int
    figures: FiguresOut
    mentions: list[MentionOut]
    suggestions: list[SuggestionOut] = Field(description="可编辑时系统建议表扬或批评的单位（由督查室决定）")
    actions: list[str] = Field(description="您现在可以执行的操作：edit、submit、approve、return、issue")
    docx_url: str
    xlsx_url: str


class CircularFilters(Schema):
    status: _choices(CircularStatus.values) | None = None
    page: ParamId = Field(1, le=100000, description=f"页码，每页 {PAGE_SIZE} 条")


class DraftIn(In):
    kind: _choices(CircularKind.values) = Field(description="weekly/monthly/quarterly/half_yearly/annual/special")
    period_start: ApiDate
    period_end: ApiDate
    title: Text(200) = Field("", description="留空按统计期间自动生成")


class EditIn(In):
    title: Text(200)
    body: Text(20000)
    closing: Text(5000) = ""
    version: CircularVersion | None = None


class MentionIn(In):
    unit_id: Id
    kind: _choices(Mention.Kind.values)
    facts: Text(2000) = Field(description="事实依据")
    version: CircularVersion | None = None


class VersionIn(In):
    version: CircularVersion | None = None


class ApproveIn(In):
    comment: Text(1000) = Field("", description="审批意见")
    version: CircularVersion | None = None


class ReturnIn(In):
    reason: Text(1000) = Field(description="退回理由（必填）")
    version: CircularVersion | None = None


def _summary(c: Circular) -> dict:
    return {"id": c.id, "number": c.number, "title": c.title, "kind": c.kind, "kind_label": c.get_kind_display(),
            "period_start": c.period_start, "period_end": c.period_end, "status": c.status,
            "status_label": c.get_status_display(), "issued_at": c.issued_at}


def _detail(user, circular_id) -> dict:
    c = selectors.get_visible_circular(user, circular_id)
    if c is None:
        raise NotFound(NOT_FOUND)
    acts = selectors.actions_for(user, c)
    mentions = c.mentions.select_related("unit")
    f = c.figures
    return {
        **_summary(c), "body": c.body, "closing": c.closing, "return_reason": c.return_reason, "version": c.version,
        "figures": {"as_of": f.get("as_of") or c.figures_as_of, "totals": f.get("totals", {}), "units": f.get("units", [])},
        "mentions": [{"id": m.id, "unit_id": m.unit_id, "unit_name": m.unit.name, "kind": m.kind,
                      "kind_label": m.get_kind_display(), "facts": m.facts} for m in mentions],
        "suggestions": selectors.suggestions_for(c) if acts["edit"] else [],
        "actions": [a for a, ok in acts.items() if ok],
        "docx_url": f"/circulars/{c.id}/circular.docx", "xlsx_url": f"/circulars/{c.id}/circular.xlsx",
    }


def _visible(user, circular_id) -> int:
    if selectors.get_visible_circular(user, circular_id) is None:
        raise NotFound(NOT_FOUND)
    return circular_id


@router.get("/circulars", response={200: CircularPage, **errors(*READ)}, summary="督查通报列表")
def list_circulars(request, filters: Query[CircularFilters]):
    """各单位可见本组织已印发的通报；督查室和主要领导另可见草稿、待审批和退回的通报。"""
    qs = selectors.circular_list(request.auth, status=filters.status or "")
    count = qs.count()
    start = (filters.page - 1) * PAGE_SIZE
    rows = qs[start:start + PAGE_SIZE] if start < count else []
    return {"count": count, "page": filters.page, "pages": max(1, math.ceil(count / PAGE_SIZE)),
            "results": [_summary(c) for c in rows]}


@router.post("/circulars", response={201: CircularDetail, **errors(*WRITE)}, summary="起草督查通报")
def create_circular(request, data: DraftIn):
    """督查室按类别和统计期间起草；系统按期间数据生成正文和各单位附表（001 第七条（七））。"""
    user = request.auth
    c = services.draft_circular(user.org, user, kind=data.kind, period_start=data.period_start,
                                period_end=data.period_end, title=data.title)
    return Reply(201, _detail(user, c.id))


@router.get("/circulars/{circular_id}", response={200: CircularDetail, **errors(*READ)}, summary="督查通报详情")
def get_circular(request, circular_id: ParamId):
    return _detail(request.auth, circular_id)


@router.put("/circulars/{circular_id}", response={200: CircularDetail, **errors(*WRITE)}, summary="修改通报正文")
def edit_circular(request, circular_id: ParamId, data: EditIn):
    services.edit_circular(_visible(request.auth, circular_id), request.auth, title=data.title, body=data.body,
                           closing=data.closing, version=data.version)
    return _detail(request.auth, circular_id)


@router.post("/circulars/{circular_id}/mentions", response={201: CircularDetail, **errors(*WRITE)},
             summary="通报表扬或批评一个单位")
def add_mention(request, circular_id: ParamId, data: MentionIn):
    services.add_mention(_visible(request.auth, circular_id), request.auth, unit=data.unit_id, kind=data.kind,
                         facts=data.facts, version=data.version)
    return Reply(201, _detail(request.auth, circular_id))


@router.delete("/circulars/{circular_id}/mentions/{mention_id}", response={200: CircularDetail, **errors(*WRITE)},
               summary="从表扬或批评名单中删除")
def remove_mention(request, circular_id: ParamId, mention_id: ParamId):
    _visible(request.auth, circular_id)
    if not Mention.objects.filter(pk=mention_id, circular_id=circular_id).exists():
        raise NotFound(NOT_FOUND)
    services.remove_mention(mention_id, request.auth)
    return _detail(request.auth, circular_id)


@router.post("/circulars/{circular_id}/recount", response={200: CircularDetail, **errors(*WRITE)},
             summary="按最新数据重新统计并改写正文")
def recount(request, circular_id: ParamId, data: VersionIn):
    services.recount(_visible(request.auth, circular_id), request.auth, version=data.version)
    return _detail(request.auth, circular_id)


@router.post("/circulars/{circular_id}/submit", response={200: CircularDetail, **errors(*WRITE)}, summary="呈领导审批")
def submit(request, circular_id: ParamId, data: VersionIn):
    services.submit(_visible(request.auth, circular_id), request.auth, version=data.version)
    return _detail(request.auth, circular_id)


@router.post("/circulars/{circular_id}/approve", response={200: CircularDetail, **errors(*WRITE)},
             summary="主要领导同意印发")
def approve(request, circular_id: ParamId, data: ApproveIn):
    """经主要领导同意方可通报表扬或批评（001 第十四条（五））。"""
    services.approve(_visible(request.auth, circular_id), request.auth, comment=data.comment, version=data.version)
    return _detail(request.auth, circular_id)


@router.post("/circulars/{circular_id}/return", response={200: CircularDetail, **errors(*WRITE)},
             summary="主要领导退回修改")
def return_circular(request, circular_id: ParamId, data: ReturnIn):
    services.return_circular(_visible(request.auth, circular_id), request.auth, reason=data.reason, version=data.version)
    return _detail(request.auth, circular_id)


@router.post("/circulars/{circular_id}/issue", response={200: CircularDetail, **errors(*WRITE)}, summary="编号印发")
def issue(request, circular_id: ParamId, data: VersionIn):
    """取本组织本年度通报期号（连续不跳号），冻结数据，通知各单位联络员和负责人。"""
    services.issue(_visible(request.auth, circular_id), request.auth, version=data.version)
    return _detail(request.auth, circular_id)


