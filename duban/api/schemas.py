"""What the API reads and writes. Types are strict (``false`` is not an integer, ``1`` is not a
boolean), every string is bounded, every date lies in 2000–2099. The rules of supervision work
are not here: a value that parses is handed to ``duban.items.services``, which decides.
"""

import datetime as dt
import re
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, StringConstraints

from duban.deadlines.calendar import MAX_DAYS
from duban.items.models import ItemKind, Report, Satisfaction, Status, Urge, Urgency
from duban.items.services import EARLIEST, LATEST

# --- types -------------------------------------------------------------------------------------

MAX_ID = 2**63 - 1  # the largest primary key any supported database stores; larger ones overflow


def _choices(values) -> Any:
    return Literal[tuple(values)]  # an enum in the OpenAPI document


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def _parse_date(value):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("应为 YYYY-MM-DD 格式的日期")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("不是有效日期（应为 YYYY-MM-DD）") from None


def _date_in_range(value: dt.date) -> dt.date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"日期须在{EARLIEST.year}年至{LATEST.year}年之间")
    return value


def _parse_datetime(value):
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str) and 10 < len(value) <= 40:
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("不是有效时间（应为 YYYY-MM-DDTHH:MM:SS，可带时区）") from None
    else:
        raise ValueError("不是有效时间（应为 YYYY-MM-DDTHH:MM:SS，可带时区）")
    if not EARLIEST.year <= parsed.year <= LATEST.year:
        raise ValueError(f"时间须在{EARLIEST.year}年至{LATEST.year}年之间")
    if timezone.is_naive(parsed):  # a time without offset is Beijing time, as on the pages
        parsed = timezone.make_aware(parsed)
    return parsed


def _json_integer(value):
    # JSON has one number type: 12.0 is an integer (as JSON Schema says), "12", true and 12.5 are not.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID), BeforeValidator(_json_integer)]
"""An id in a JSON body: an integer, not a string, not a boolean."""

ParamId = Annotated[int, Field(ge=1, le=MAX_ID)]
"""An id in a path or query string."""

Version = Annotated[
    int, Field(strict=True, ge=1, le=MAX_ID, description="事项的 version（乐观锁）：与服务器不一致时返回 409"),
    BeforeValidator(_json_integer),
]

ApiDate = Annotated[
    dt.date, BeforeValidator(_parse_date), AfterValidator(_date_in_range),
    Field(description="YYYY-MM-DD，2000—2099 年", json_schema_extra={"pattern": r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"}),
]
ApiDateTime = Annotated[
    dt.datetime, BeforeValidator(_parse_datetime),
    Field(description="ISO 8601 时间，2000—2099 年；不带时区时按北京时间",
          json_schema_extra={"pattern": r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}T"}),
]


NO_NUL = "^[^\\u0000]*$"  # for the OpenAPI document; _no_nul enforces it


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text: caught here, it is a 400 instead of a 500. (Lone
    # surrogates such as "\\ud800", valid JSON but not storable, pydantic refuses itself.)
    if "\x00" in value:
        raise ValueError("不能包含空字符（\\u0000）")
    return value


def Text(max_length: int) -> Any:  # noqa: N802 (a type, read as one)
    return Annotated[
        str, StringConstraints(strict=True, max_length=max_length), AfterValidator(_no_nul),
        Field(json_schema_extra={"pattern": NO_NUL}),
    ]


Flag = Annotated[bool, Field(strict=True)]

KindChoice = _choices(ItemKind.values)
UrgencyChoice = _choices(Urgency.values)


class In(Schema):
    """A request body: unknown fields are refused, so a typo does not pass silently."""

    model_config = ConfigDict(extra="forbid")


# --- requests ----------------------------------------------------------------------------------

class TokenIn(In):
    username: Text(150)
    password: Text(256)


class ItemFields(In):
    title: Text(200) = Field(description="标题")
    content: Text(20000) = Field(description="内容与要求")
    kind: KindChoice = Field(description="类别")
    urgency: UrgencyChoice = Field("normal", description="缓急")
    lead_unit_id: Id = Field(description="主办单位（本组织的单位，见 GET /units）")
    co_unit_ids: list[Id] = Field(default_factory=list, max_length=50, description="协办单位")
    responsible_leader_id: Id = Field(description="分管领导（见 GET /leaders）")
    deadline: ApiDate | None = Field(None, description="办理时限；留空则按本组织的时限规则计算")
    deadline_override_reason: Text(500) = Field("", description="办理时限与规则建议不同时必填")
    source_text: Text(5000) = Field("", description="来源与依据")
    is_secret: Flag = False


class ItemUpdate(ItemFields):
    version: Version | None = None


class CommentIn(In):
    comment: Text(5000) = Field("", description="意见")
    version: Version | None = None


class ReasonIn(In):
    comment: Text(5000) = Field(description="理由（必填）")
    version: Version | None = None


class AcceptIn(In):
    responsible_person: Text(50) = Field(description="责任人")
    responsible_phone: Text(30) = Field("", description="责任人电话")
    version: Version | None = None


class ReassignIn(In):
    lead_unit_id: Id
    co_unit_ids: list[Id] = Field(default_factory=list, max_length=50)
    comment: Text(5000) = Field("", description="说明")
    version: Version | None = None


class ReportIn(In):
    kind: _choices(Report.Kind.values) = Field(description="报告类型：主办单位 progress/completion/explanation，协办单位 co_input/explanation")
    body: Text(20000) = Field(description="报告内容")


class ReportEdit(In):
    body: Text(20000) = Field(description="报告内容")


class HeadCommentIn(In):
    comment: Text(1000) = Field("", description="审签意见")


class HeadReturnIn(In):
    comment: Text(5000) = Field(description="退回理由（必填）")


class SubmitIn(In):
    version: Version | None = None


class ExtensionIn(In):
    until: ApiDate = Field(description="申请延至")
    reason: Text(5000) = Field(description="延期理由")
    progress: Text(5000) = Field(description="目前进展")
    version: Version | None = None


class ExtensionDecisionIn(In):
    approve: Flag = Field(description="true 同意，false 不同意（不同意须填审批意见）")
    new_deadline: ApiDate | None = Field(None, description="批准时限；留空则按申请日期")
    comment: Text(1000) = Field("", description="审批意见")


class UrgeIn(In):
    method: _choices(Urge.Method.values) = Field(description="phone 电话催办 / written 书面催办 / visit 上门督办")
    summary: Text(5000) = Field(description="催办内容与答复")
    unit_id: Id | None = Field(None, description="催办单位（本事项的承办单位）；留空为主办单位")
    contact_person: Text(50) = Field("", description="对方联系人")
    occurred_at: ApiDateTime | None = Field(None, description="时间；留空为现在")


class Criteria(In):
    task_done: Flag = False
    problem_solved: Flag = False
    conclusion_sound: Flag = False
    lawful: Flag = False


class ReviewIn(In):
    accept: Flag = Field(description="true 审核通过并呈报领导；false 退回重办（须填审核意见）")
    criteria: Criteria = Field(default_factory=Criteria, description="四项标准，通过时须全部为 true")
    comment: Text(5000) = Field("", description="审核意见")
    version: Version | None = None


class InstructionIn(In):
    text: Text(5000) = Field("", description="批示内容")
    version: Version | None = None


class CloseIn(In):
    text: Text(5000) = Field("", description="批示内容")
    satisfaction: _choices(["", *Satisfaction.values]) = Field(
        "", description="满意度评价（000 第四条第6项）：satisfied 满意 / basically_satisfied 基本满意 / "
                        "dissatisfied 不满意；空为不评价")
    version: Version | None = None


class InstructionRequiredIn(In):
    text: Text(5000) = Field(description="批示内容（必填）")
    version: Version | None = None


class VersionIn(In):
    version: Version | None = None


class ItemFilters(Schema):
    """The list's filters, as on the page."""

    status: _choices(["open", "done", *Status.values]) | None = Field(
        None, description="状态；open 为全部未办结，done 为已办结（含已归档）")
    kind: KindChoice | None = None
    unit: ParamId | None = Field(None, description="承办单位 id")
    unit_role: _choices(["lead", "co"]) | None = Field(None, description="与 unit 同用：lead 只看该单位主办的，co 只看协办的")
    leader: ParamId | None = Field(None, description="分管领导 id")
    overdue: bool = Field(False, description="只看已超期")
    due_this_week: bool = Field(False, description="只看本周到期")
    light: _choices(["red", "yellow", "green", "stalled", "missing"]) | None = Field(
        None, description="预警：red 超期、yellow 临期、green 正常、stalled 停滞、missing 定期报告缺报")
    q: Annotated[str, StringConstraints(max_length=100), AfterValidator(_no_nul),
                 Field(json_schema_extra={"pattern": NO_NUL})] | None = Field(None, description="标题或编号（最多 100 字）")
    year: int | None = Field(None, ge=2000, le=2099, description="立项年度（编号的年度）")
    registered_in: Annotated[str, Field(pattern=r"^20\d\d-(0[1-9]|1[0-2])$")] | None = Field(
        None, description="交办（立项）月份，YYYY-MM")
    closed_in: Annotated[str, Field(pattern=r"^20\d\d(-(0[1-9]|1[0-2]))?$")] | None = Field(
        None, description="办结的年度或月份，YYYY 或 YYYY-MM")
    page: ParamId = Field(1, le=100000, description="页码，每页 50 条")


class WorkingDaysQuery(Schema):
    start: ApiDate = Field(description="起算日（不计入），YYYY-MM-DD，2000—2099 年")
    days: int = Field(ge=0, le=MAX_DAYS, description=f"工作日数，0—{MAX_DAYS}")


# --- responses ---------------------------------------------------------------------------------

class Ref(Schema):
    id: int
    name: str


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    parent_id: int | None
    is_active: bool


class PersonOut(Schema):
    id: int
    username: str
    name: str
    role: str
    role_label: str
    title: str


class MeOut(PersonOut):
    org: Ref | None
    unit: Ref | None


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class ItemSummary(Schema):
    id: int
    number: str
    title: str
    kind: str
    kind_label: str
    urgency: str
    urgency_label: str
    status: str
    status_label: str
    is_secret: bool
    lead_unit: Ref | None
    responsible_leader: Ref | None
    deadline: dt.date | None
    deadline_provisional: bool
    is_overdue: bool
    light: str = Field(description="预警灯：red 超期、yellow 临期、green 正常；不在承办中的事项为空")
    light_label: str
    stalled: bool = Field(description="超过规定工作日数没有进展")
    version: int
    created_at: dt.datetime


class ItemPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[ItemSummary]


class ActionOut(Schema):
    action: str
    label: str
    comment_required: bool
    method: str | None = Field(description="HTTP 方法")
    path: str | None = Field(description="执行此操作的接口；审批延期的 {request} 为延期申请的 id")


class AssignmentOut(Schema):
    unit: Ref
    role: str
    role_label: str
    state: str
    state_label: str
    responsible_person: str
    responsible_phone: str
    accepted_at: dt.datetime | None
    declined_reason: str


class AttachmentOut(Schema):
    token: str
    name: str
    size: int
    content_type: str
    uploaded_at: dt.datetime
    uploaded_by: Ref
    download: str


class ReportOut(Schema):
    id: int
    item_id: int
    unit: Ref
    kind: str
    kind_label: str
    state: str
    state_label: str
    body: str
    author: Ref
    head: Ref | None
    head_comment: str
    created_at: dt.datetime
    approved_at: dt.datetime | None
    submitted_at: dt.datetime | None
    attachments: list[AttachmentOut]
    actions: list[ActionOut] = Field(description="您现在可以对这份报告执行的操作")


class ExtensionRequestOut(Schema):
    id: int
    item_id: int
    unit: Ref
    requested_by: Ref
    requested_deadline: dt.date
    reason: str
    progress: str
    state: str
    state_label: str
    old_deadline: dt.date | None
    new_deadline: dt.date | None
    decided_by: Ref | None
    decision_comment: str
    created_at: dt.datetime
    decided_at: dt.datetime | None


class UrgeOut(Schema):
    id: int
    item_id: int
    unit: Ref | None
    method: str
    method_label: str
    contact_person: str
    occurred_at: dt.datetime
    summary: str
    by: Ref


class ReviewOut(Schema):
    id: int
    report_id: int
    reviewer: Ref
    task_done: bool
    problem_solved: bool
    conclusion_sound: bool
    lawful: bool
    decision: str
    decision_label: str
    comment: str
    at: dt.datetime


class InstructionOut(Schema):
    id: int
    leader: Ref
    text: str
    outcome: str
    outcome_label: str
    satisfaction: str
    satisfaction_label: str
    at: dt.datetime


class EventOut(Schema):
    id: int
    at: dt.datetime
    action: str
    action_label: str
    actor: Ref | None
    from_status: str
    to_status: str
    comment: str
    data: dict[str, Any]


class UpperItemOut(Schema):
    id: int | None = Field(description="您可以查看上级事项时为其 id，否则为 null")
    number: str
    org: str


class StatusCount(Schema):
    label: str
    count: int


class LowerProgressOut(Schema):
    org: str
    number: str = Field(description="下级组织的事项编号；草拟中为空")
    status_label: str
    deadline: dt.date | None
    total: int = Field(description="下级事项及其分解事项的总数")
    done: int
    rate: str = Field(description="完成率（%），两位小数")
    by_status: list[StatusCount]


class ItemDetail(ItemSummary):
    content: str
    source_text: str
    drafter: Ref
    start_date: dt.date | None
    original_deadline: dt.date | None
    deadline_override_reason: str
    registered_at: dt.datetime | None
    closed_at: dt.datetime | None
    archived_at: dt.datetime | None
    co_units: list[Ref]
    assignments: list[AssignmentOut]
    actions: list[ActionOut] = Field(description="您现在可以执行的操作（来自状态机声明）")
    explanation_required: bool = Field(description="本单位已超期、须先报送情况说明")
    upper_item: UpperItemOut | None = Field(description="本事项由上级交办事项登记而来时，上级事项的编号与组织")
    lower_progress: list[LowerProgressOut] = Field(
        description="下级办理情况（仅本组织督查室和领导可见）：每个登记了本事项的下级组织一行，含其分解事项的汇总")
    reports: list[ReportOut]
    extension_requests: list[ExtensionRequestOut]
    urges: list[UrgeOut]
    reviews: list[ReviewOut]
    instructions: list[InstructionOut]
    attachments: list[AttachmentOut]
    events: list[EventOut]


class WorklistBucket(Schema):
    key: str
    label: str
    count: int
    items: list[ItemSummary] = Field(description="前 50 条")


class WorklistOut(Schema):
    total: int
    buckets: list[WorklistBucket]


class WorkingDaysOut(Schema):
    start: dt.date
    days: int
    date: dt.date
    provisional: bool = Field(description="结果用到了尚未公布节假日安排的年度，暂按周末计算")
    provisional_years: list[int]


class ActionResult(Schema):
    message: str
    item: ItemDetail | None = Field(description="操作后您看到的事项；操作使事项对您不可见时为 null")
