"""Items: the list, the item, drafting, and one endpoint per action of the state machine.

Each endpoint parses, finds the item through ``selectors.get_visible_item`` (so an item the user
may not see is a 404, not a 403 that would betray it exists), calls the one service for the
action, and answers with the item as the user now sees it. Domain errors become their status
with ``{"detail", "field"}`` (see ``errors.py``).
"""

from __future__ import annotations

import math

from ninja import Query, Router, Status

from duban.items import selectors, services
from duban.items.errors import InvalidInput, NotFound, PermissionDenied
from duban.items.models import ExtensionRequest, Report
from duban.orgs.models import Unit, User
from duban.urging import lights

from .. import present
from ..errors import NOT_FOUND, READ, WRITE, errors
from ..schemas import (
    AcceptIn,
    ActionResult,
    CloseIn,
    CommentIn,
    ExtensionDecisionIn,
    ExtensionIn,
    ExtensionRequestOut,
    HeadCommentIn,
    HeadReturnIn,
    InstructionRequiredIn,
    ItemDetail,
    ItemFields,
    ItemFilters,
    ItemPage,
    ItemUpdate,
    ParamId,
    ReasonIn,
    ReassignIn,
    ReportEdit,
    ReportIn,
    ReportOut,
    ReviewIn,
    SubmitIn,
    UrgeIn,
    UrgeOut,
    VersionIn,
    WorklistOut,
)

PAGE_SIZE = 50

router = Router(tags=["督查事项"])
actions = Router(tags=["办理流程"])
reports = Router(tags=["报告"])


# --- finding things the user may see -----------------------------------------------------------

def _item(user, item_id):
    item = selectors.get_visible_item(user, item_id)
    if item is None:
        raise NotFound(NOT_FOUND)
    return item


def _report(user, report_id) -> tuple[Report, object]:
    """A report the user may see, on an item the user may see (else 404), and its item."""
    item_id = Report.objects.filter(pk=report_id).values_list("item_id", flat=True).first()
    item = item_id and selectors.get_visible_item(user, item_id)
    if not item:
        raise NotFound("报告不存在，或您无权查看")
    found = (
        selectors.reports_visible_on(user, item).prefetch_related("attachments__uploaded_by").filter(pk=report_id).first()
    )
    if found is None:
        raise NotFound("报告不存在，或您无权查看")
    return found, item


def _report_out(user, report_id) -> dict:
    report, item = _report(user, report_id)
    return present.report(user, item, report)


def _unit(user, unit_id, field):
    """A unit of the user's organisation; whether it may take the part is the service's call."""
    found = Unit.objects.filter(org_id=user.org_id, pk=unit_id).first()
    if found is None:
        raise InvalidInput(f"单位（id={unit_id}）不存在或不属于本组织", field)
    return found


def _units(user, unit_ids, field):
    return [_unit(user, i, field) for i in dict.fromkeys(unit_ids)]


def _leader(user, user_id):
    found = User.objects.filter(org_id=user.org_id, pk=user_id).first()
    if found is None:
        raise InvalidInput(f"人员（id={user_id}）不存在或不属于本组织", "responsible_leader_id")
    return found


def _draft_fields(user, data: ItemFields) -> services.DraftFields:
    return services.DraftFields(
        title=data.title, content=data.content, kind=data.kind, urgency=data.urgency,
        lead_unit=_unit(user, data.lead_unit_id, "lead_unit_id"),
        co_units=_units(user, data.co_unit_ids, "co_unit_ids"),
        responsible_leader=_leader(user, data.responsible_leader_id),
        deadline=data.deadline, deadline_override_reason=data.deadline_override_reason,
        source_text=data.source_text, is_secret=data.is_secret,
    )


def _result(user, item_id, message="操作成功") -> dict:
    """The item after an action, as the user now sees it; ``item`` is null if the action took it
    out of the user's sight (a leader returning a proposal to the drafter)."""
    item = selectors.get_visible_item(user, item_id)
    return {"message": message, "item": present.item_detail(user, item) if item else None}


# --- reading -----------------------------------------------------------------------------------

@router.get("/items", response={200: ItemPage, **errors(*READ)}, summary="事项列表（筛选、搜索、分页）")
def list_items(request, filters: Query[ItemFilters]):
    """与“事项”页面相同的筛选；每页 50 条，最新的在前。只返回您可以看到的事项。"""
    user = request.auth
    qs = selectors.filter_items(
        selectors.items_visible_to(user), status=filters.status, kind=filters.kind, unit=filters.unit,
        leader=filters.leader, overdue=filters.overdue, due_this_week=filters.due_this_week, q=filters.q,
        year=filters.year, registered_in=filters.registered_in, closed_in=filters.closed_in, unit_role=filters.unit_role,
    )
    bounds = lights.boundaries(user.org_id)
    if filters.light:
        qs = lights.filter_light(qs, filters.light, bounds)
    qs = selectors.with_list_columns(qs)
    start = (filters.page - 1) * PAGE_SIZE
    # Unfiltered, the count is everything the user may see, which has a cheaper count.
    filtered = any(v for k, v in filters.dict().items() if k != "page")
    total = qs.count if filtered else lambda: selectors.count_visible(user)
    if start == 0:
        # A first page shorter than a page is the whole list: its length is the count.
        results = list(qs.only(*present.SUMMARY_FIELDS)[:PAGE_SIZE])
        count = len(results) if len(results) < PAGE_SIZE else total()
    else:
        count = total()
        results = list(qs.only(*present.SUMMARY_FIELDS)[start:start + PAGE_SIZE]) if start < count else []
    page = {
        "count": count, "page": filters.page, "page_size": PAGE_SIZE, "pages": max(1, math.ceil(count / PAGE_SIZE)),
        "results": [present.item_summary(i, bounds=bounds) for i in results],
    }
    # Rendered as it is: ninja's check of the answer against ItemPage (each item and its two
    # references wrapped and read attribute by attribute) cost more than building the page.
    # tests/api/test_item_list.py checks that the answer is what ItemPage would make of it.
    return present.as_json(request, page)


@router.get("/items/{item_id}", response={200: ItemDetail, **errors(*READ)}, summary="事项详情")
def get_item(request, item_id: ParamId):
    """含承办单位、您现在可执行的操作（`actions`）、您可见的报告、延期申请、催办记录、审核、批示、附件和办理记录。"""
    return present.item_detail(request.auth, _item(request.auth, item_id))


@router.get("/worklist", response={200: WorklistOut, **errors(401)}, summary="待办")
def worklist(request):
    """正等待您办理的事项，按办理环节分组，每组给出数量和前 50 条。"""
    bounds = lights.boundaries(request.auth.org_id)
    buckets = [
        {"key": key, "label": label, "count": qs.count(),
         "items": [present.item_summary(i, bounds=bounds) for i in qs[:PAGE_SIZE]]}
        for key, label, qs in selectors.worklist(request.auth)
    ]
    return {"total": sum(b["count"] for b in buckets), "buckets": buckets}


# --- drafting ----------------------------------------------------------------------------------

@router.post("/items", response={201: ItemDetail, **errors(*WRITE)}, summary="拟办事项（草拟）")
def create_item(request, data: ItemFields):
    """督查室人员草拟事项。单位与领导的 id 只在本组织内查找；办理时限留空则按时限规则计算。"""
    user = request.auth
    if user.org is None:
        raise PermissionDenied("您不属于任何组织，不能拟办督查事项")
    item = services.create_draft(user.org, user, _draft_fields(user, data))
    return Status(201, present.item_detail(user, _item(user, item.id)))


@router.put("/items/{item_id}", response={200: ActionResult, **errors(*WRITE)}, summary="修改草拟中的事项")
def update_item(request, item_id: ParamId, data: ItemUpdate):
    user = request.auth
    item = _item(user, item_id)
    services.update_draft(item.id, user, _draft_fields(user, data), version=data.version)
    return _result(user, item.id, "已保存")


# --- registration and assignment ---------------------------------------------------------------

@actions.post("/items/{item_id}/submit-proposal", response={200: ActionResult, **errors(*WRITE)}, summary="呈领导审批")
def submit_proposal(request, item_id: ParamId, data: CommentIn):
    item = _item(request.auth, item_id)
    services.submit_proposal(item.id, request.auth, comment=data.comment, version=data.version)
    return _result(request.auth, item.id)


@actions.post("/items/{item_id}/approve-proposal", response={200: ActionResult, **errors(*WRITE)}, summary="批准立项（并交办）")
def approve_proposal(request, item_id: ParamId, data: CommentIn):
    item = _item(request.auth, item_id)
    services.approve_proposal(item.id, request.auth, comment=data.comment, version=data.version)
    return _result(request.auth, item.id, "已立项并交办")


@actions.post("/items/{item_id}/reject-proposal", response={200: ActionResult, **errors(*WRITE)}, summary="退回修改（拟办意见）")
def reject_proposal(request, item_id: ParamId, data: ReasonIn):
    """退回后事项回到草拟状态，领导不再看到它：返回的 `item` 为 null。"""
    item = _item(request.auth, item_id)
    services.reject_proposal(item.id, request.auth, comment=data.comment, version=data.version)
    return _result(request.auth, item.id, "已退回修改")


@actions.post("/items/{item_id}/accept", response={200: ActionResult, **errors(*WRITE)}, summary="签收（主办单位）")
def accept(request, item_id: ParamId, data: AcceptIn):
    item = _item(request.auth, item_id)
    services.accept(item.id, request.auth, responsible_person=data.responsible_person,
                    responsible_phone=data.responsible_phone, version=data.version)
    return _result(request.auth, item.id, "已签收")


@actions.post("/items/{item_id}/accept-as-co", response={200: ActionResult, **errors(*WRITE)}, summary="签收（协办单位）")
def accept_as_co(request, item_id: ParamId, data: AcceptIn):
    item = _item(request.auth, item_id)
    services.accept_as_co(item.id, request.auth, responsible_person=data.responsible_person,
                          responsible_phone=data.responsible_phone, version=data.version)
    return _result(request.auth, item.id, "已签收")


@actions.post("/items/{item_id}/decline", response={200: ActionResult, **errors(*WRITE)}, summary="退回督查室（主办单位）")
def decline(request, item_id: ParamId, data: ReasonIn):
    item = _item(request.auth, item_id)
    services.decline(item.id, request.auth, comment=data.comment, version=data.version)
    return _result(request.auth, item.id, "已退回督查室")


@actions.post("/items/{item_id}/decline-as-co", response={200: ActionResult, **errors(*WRITE)}, summary="退回（协办单位）")
def decline_as_co(request, item_id: ParamId, data: ReasonIn):
    item = _item(request.auth, item_id)
    services.decline_as_co(item.id, request.auth, comment=data.comment, version=data.version)
    return _result(request.auth, item.id, "已退回")


@actions.post("/items/{item_id}/reassign", response={200: ActionResult, **errors(*WRITE)}, summary="改派")
def reassign(request, item_id: ParamId, data: ReassignIn):
    user = request.auth
    item = _item(user, item_id)
    services.reassign(
        item.id, user, lead_unit=_unit(user, data.lead_unit_id, "lead_unit_id"),
        co_units=_units(user, data.co_unit_ids, "co_unit_ids"), comment=data.comment, version=data.version,
    )
    return _result(user, item.id, "已改派")


# --- handling: reports, extensions, urges -------------------------------------------------------

@actions.post("/items/{item_id}/reports", response={201: ReportOut, **errors(*WRITE)}, summary="起草报告")
def draft_report(request, item_id: ParamId, data: ReportIn):
    """联络员起草报告，随后呈单位负责人审签（`POST /reports/{id}/send-to-head`）。"""
    user = request.auth
    item = _item(user, item_id)
    report = services.draft_report(item.id, user, kind=data.kind, body=data.body)
    return Status(201, _report_out(user, report.id))


@actions.post("/items/{item_id}/extension-requests", response={201: ExtensionRequestOut, **errors(*WRITE)},
              summary="申请延期")
def request_extension(request, item_id: ParamId, data: ExtensionIn):
    item = _item(request.auth, item_id)
    req = services.request_extension(item.id, request.auth, until=data.until, reason=data.reason,
                                     progress=data.progress, version=data.version)
    return Status(201, present.extension_request(req))


@actions.post("/extension-requests/{request_id}/decide", response={200: ExtensionRequestOut, **errors(*WRITE)},
              summary="审批延期申请")
def decide_extension(request, request_id: ParamId, data: ExtensionDecisionIn):
    user = request.auth
    item_id = ExtensionRequest.objects.filter(pk=request_id).values_list("item_id", flat=True).first()
    if not (item_id and selectors.get_visible_item(user, item_id)):
        raise NotFound("延期申请不存在，或您无权查看")
    req = services.decide_extension(request_id, user, approve=data.approve, new_deadline=data.new_deadline,
                                    comment=data.comment)
    return present.extension_request(req)


@actions.post("/items/{item_id}/urges", response={201: UrgeOut, **errors(*WRITE)}, summary="登记催办")
def log_urge(request, item_id: ParamId, data: UrgeIn):
    user = request.auth
    item = _item(user, item_id)
    unit = _unit(user, data.unit_id, "unit_id") if data.unit_id is not None else None
    urge = services.log_urge(item.id, user, method=data.method, summary=data.summary, unit=unit,
                             contact_person=data.contact_person, occurred_at=data.occurred_at)
    return Status(201, present.urge(urge))


# --- review, the leader, archive ---------------------------------------------------------------

@actions.post("/items/{item_id}/review", response={200: ActionResult, **errors(*WRITE)}, summary="审核办结报告")
def review(request, item_id: ParamId, data: ReviewIn):
    """`accept: true` 审核通过并呈报分管领导（四项标准须全部为 true）；`accept: false` 退回重办（须填审核意见）。"""
    item = _item(request.auth, item_id)
    services.review(item.id, request.auth, accept=data.accept, criteria=data.criteria.model_dump(),
                    comment=data.comment, version=data.version)
    return _result(request.auth, item.id, "已审核通过并呈报领导" if data.accept else "已退回重办")


@actions.post("/items/{item_id}/close", response={200: ActionResult, **errors(*WRITE)}, summary="同意办结")
def close(request, item_id: ParamId, data: CloseIn):
    item = _item(request.auth, item_id)
    services.close(item.id, request.auth, text=data.text, satisfaction=data.satisfaction, version=data.version)
    return _result(request.auth, item.id, "已办结")


@actions.post("/items/{item_id}/instruct", response={200: ActionResult, **errors(*WRITE)}, summary="批示继续办理")
def instruct(request, item_id: ParamId, data: InstructionRequiredIn):
    item = _item(request.auth, item_id)
    services.instruct(item.id, request.auth, text=data.text, version=data.version)
    return _result(request.auth, item.id, "已批示继续办理")


@actions.post("/items/{item_id}/register-lower", response={201: ItemDetail, **errors(*WRITE)},
              summary="登记为本级事项（下级组织督查室）")
def register_lower(request, item_id: ParamId):
    """下级组织督查室以对应单位的名义签收上级事项后，将其登记为本级草拟事项（一级抓一级）：返回新的本级事项，
    补充主办单位、分管领导后按本级程序呈批，立项时取得本级编号。"""
    user = request.auth
    item = _item(user, item_id)
    lower = services.register_lower(item.id, user)
    return Status(201, present.item_detail(user, _item(user, lower.id)))


@actions.post("/items/{item_id}/archive", response={200: ActionResult, **errors(*WRITE)}, summary="归档")
def archive(request, item_id: ParamId, data: VersionIn):
    from duban.documents.services import archive_item

    item = _item(request.auth, item_id)
    archive_item(item.id, request.auth, version=data.version)
    return _result(request.auth, item.id, "已归档；归档卷在后台立卷")


# --- a report's own steps: head's approval, then filing -----------------------------------------

@reports.get("/reports/{report_id}", response={200: ReportOut, **errors(*READ)}, summary="报告")
def get_report(request, report_id: ParamId):
    return _report_out(request.auth, report_id)


@reports.put("/reports/{report_id}", response={200: ReportOut, **errors(*WRITE)}, summary="修改报告草稿")
def edit_report(request, report_id: ParamId, data: ReportEdit):
    report, _ = _report(request.auth, report_id)
    services.edit_report(report.id, request.auth, body=data.body)
    return _report_out(request.auth, report.id)


@reports.post("/reports/{report_id}/send-to-head", response={200: ReportOut, **errors(*WRITE)},
              summary="呈单位负责人审签")
def send_report_to_head(request, report_id: ParamId):
    report, _ = _report(request.auth, report_id)
    services.send_report_to_head(report.id, request.auth)
    return _report_out(request.auth, report.id)


@reports.post("/reports/{report_id}/approve", response={200: ReportOut, **errors(*WRITE)}, summary="审签同意（单位负责人）")
def approve_report(request, report_id: ParamId, data: HeadCommentIn):
    report, _ = _report(request.auth, report_id)
    services.approve_report(report.id, request.auth, comment=data.comment)
    return _report_out(request.auth, report.id)


@reports.post("/reports/{report_id}/return", response={200: ReportOut, **errors(*WRITE)}, summary="退回修改（单位负责人）")
def return_report(request, report_id: ParamId, data: HeadReturnIn):
    report, _ = _report(request.auth, report_id)
    services.return_report_to_author(report.id, request.auth, comment=data.comment)
    return _report_out(request.auth, report.id)


@reports.post("/reports/{report_id}/submit", response={200: ReportOut, **errors(*WRITE)}, summary="报送")
def submit_report(request, report_id: ParamId, data: SubmitIn):
    """报送负责人已审签的报告；办结报告报送后事项进入待审核。`version` 为事项的 version。"""
    report, _ = _report(request.auth, report_id)
    services.submit_report(report.id, request.auth, version=data.version)
    return _report_out(request.auth, report.id)
