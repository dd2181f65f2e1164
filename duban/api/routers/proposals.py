"""Deputies' suggestions and CPPCC proposals (建议提案办理) for OA integration: receive (import or one by
hand), assign and contest, contacts, the answer letter and its review, ratings, publishing, the year's
figures. Thin over ``duban.proposals`` and ``duban.portal`` (001 art. 10; 002 art. 6(5))."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, File, Form, Query, Router, Schema
from ninja import Status as Reply
from ninja.files import UploadedFile

from duban.items.errors import InvalidInput, NotFound
from duban.orgs.models import Unit, User
from duban.portal import services as portal
from duban.proposals import importing, report, selectors, services
from duban.proposals.models import (
    Answer,
    AnswerClass,
    Body,
    Contact,
    Contest,
    ProposalState,
    Publishable,
    Rating,
    Session,
)

from ..errors import NOT_FOUND, READ, WRITE, errors
from ..schemas import ApiDate, Flag, In, ParamId, Text, _choices

router = Router(tags=["建议提案办理"])
PAGE_SIZE = 100


# --- shapes ------------------------------------------------------------------------------------------

class ProposerOut(Schema):
    name: str
    group: str
    is_lead: bool


class CommitmentOut(Schema):
    text: str
    due: dt.date
    item_id: int | None = Field(description="由承诺生成的跟踪事项")


class AnswerOut(Schema):
    id: int
    round: int
    unit: str
    answer_class: str
    publishable: str
    state: str
    state_label: str
    body: str
    abstract: str
    signed_by: str | None
    sent_at: dt.datetime | None
    on_time: bool | None
    review_comment: str
    rating: str | None = Field(description="satisfied / basically / unsatisfied")
    rating_comment: str
    commitments: list[CommitmentOut]


class ProposalOut(Schema):
    id: int
    item_id: int
    session: str
    body: str
    year: int
    number: int
    title: str
    category: str
    state: str
    state_label: str
    round: int
    lead_unit: str | None
    deadline: dt.date | None
    proposers: list[ProposerOut]


class ProposalDetail(ProposalOut):
    content: str
    co_units: list[str]
    contest_until: dt.date | None
    co_opinion_due: dt.date | None
    actions: list[str] = Field(description="您现在可以执行的操作（来自 duban/proposals/workflow.py）")
    contacts: list[dict]
    contests: list[dict]
    co_opinions: list[dict]
    answers: list[AnswerOut]


class ProposalPage(Schema):
    count: int
    page: int
    results: list[ProposalOut]


class ListQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2099)
    body: _choices(Body.values) | None = None
    state: _choices(ProposalState.values) | None = None
    page: ParamId = Field(1, le=100000)


class ProposerIn(In):
    name: Text(50)
    group: Text(100) = ""
    phone: Text(30) = ""
    is_lead: Flag = False


class RegisterIn(In):
    session_id: ParamId
    number: int = Field(ge=1, le=99999, strict=True)
    title: Text(200)
    content: Text(20000)
    category: Text(50) = ""
    proposers: list[ProposerIn] = Field(max_length=50)


class ProposalImportIn(Schema):
    body: _choices(Body.values)
    year: int = Field(ge=2000, le=2099)
    default_session: Text(100) = ""


class ImportOut(Schema):
    created: int
    errors: list[dict] = Field(description="逐行错误：row（Excel 行号）、column、value、message；有错误则未导入任何一件")


class SessionIn(In):
    body: _choices(Body.values)
    year: int = Field(ge=2000, le=2099, strict=True)
    name: Text(100)
    answer_due: ApiDate | None = None


class SessionOut(Schema):
    id: int
    body: str
    year: int
    name: str
    answer_due: dt.date | None


class AssignIn(In):
    lead_unit_id: ParamId
    co_unit_ids: list[ParamId] = Field(default_factory=list, max_length=50)
    responsible_leader_id: ParamId | None = None
    co_opinion_due: ApiDate | None = None


class ProposalReasonIn(In):
    reason: Text(2000)


class DecideIn(In):
    uphold: Flag
    comment: Text(1000) = ""
    lead_unit_id: ParamId | None = None
    co_unit_ids: list[ParamId] = Field(default_factory=list, max_length=50)


class BodyIn(In):
    body: Text(10000)


class ContactIn(In):
    method: _choices(Contact.Method.values)
    on: ApiDate
    who: Text(200)
    summary: Text(5000) = ""


class CommitmentIn(In):
    text: Text(500)
    due: ApiDate


class AnswerIn(In):
    body: Text(20000)
    answer_class: _choices(AnswerClass.values)
    publishable: _choices(Publishable.values) = Publishable.NO
    abstract: Text(2000) = ""
    commitments: list[CommitmentIn] = Field(default_factory=list, max_length=50)


class ProposalCommentIn(In):
    comment: Text(1000) = ""


class ProposalReviewIn(In):
    accept: Flag
    answers_question: Flag = False
    lawful: Flag = False
    commitments_concrete: Flag = False
    comment: Text(5000) = ""


class ProposalReviewOut(Schema):
    answer: AnswerOut
    rating_url: str | None = Field(description="审核通过时生成的评价链接（只返回这一次，请转发给领衔代表委员）")


class LinkOut(Schema):
    rating_url: str


class RatingIn(In):
    value: _choices(Rating.Value.values)
    comment: Text(2000) = ""


class PublishOut(Schema):
    publication_id: int
    url: str


class ProposalTallyOut(Schema):
    label: str
    received: int
    answered: int
    on_time: int
    on_time_rate: Decimal
    met: int
    meeting_rate: Decimal
    rated: int
    satisfied: int
    basically: int
    unsatisfied: int
    satisfaction_rate: Decimal = Field(description="满意率（含基本满意，%）")
    classes: dict[str, int]
    shares: dict[str, Decimal]
    rehandled: int
    commitments: int
    commitments_done: int


class YearReportOut(Schema):
    year: int
    summary: str
    total: ProposalTallyOut
    by_session: list[ProposalTallyOut]
    by_unit: list[ProposalTallyOut]


class YearQuery(Schema):
    year: int = Field(ge=2000, le=2099)


# --- helpers -----------------------------------------------------------------------------------------

def _answer_out(a: Answer) -> dict:
    rating = getattr(a, "rating", None) if hasattr(a, "rating") else None
    return {
        "id": a.id, "round": a.round, "unit": a.unit.name, "answer_class": a.answer_class,
        "publishable": a.publishable, "state": a.state, "state_label": a.get_state_display(), "body": a.body,
        "abstract": a.abstract, "signed_by": a.head.display_name if a.head_id and a.signed_at else None,
        "sent_at": a.sent_at, "on_time": a.is_on_time if a.sent_at else None, "review_comment": a.review_comment,
        "rating": rating.value if rating else None, "rating_comment": rating.comment if rating else "",
        "commitments": [{"text": c.text, "due": c.due, "item_id": c.item_id} for c in a.commitments.all()],
    }


def _out(p) -> dict:
    return {
        "id": p.id, "item_id": p.item_id, "session": p.session.name, "body": p.session.body, "year": p.session.year,
        "number": p.number, "title": p.item.title, "category": p.category, "state": p.state,
        "state_label": p.get_state_display(), "round": p.round,
        "lead_unit": p.item.lead_unit.name if p.item.lead_unit_id else None, "deadline": p.item.deadline,
        "proposers": [{"name": s.proposer.name, "group": s.proposer.group, "is_lead": s.is_lead}
                      for s in p.signers.all()],
    }


def _proposal(user, proposal_id):
    p = selectors.get_visible_proposal(user, proposal_id)
    if p is None:
        raise NotFound(NOT_FOUND)
    return p


def _detail(user, proposal_id) -> dict:
    p = _proposal(user, proposal_id)
    return {
        **_out(p), "content": p.item.content, "co_units": [u.name for u in p.item.co_units],
        "contest_until": p.contest_until, "co_opinion_due": p.co_opinion_due,
        "actions": [s.action for s in selectors.actions_for(user, p)],
        "contacts": [{"method": c.method, "on": c.on.isoformat(), "who": c.who, "summary": c.summary, "round": c.round}
                     for c in p.contacts.all()],
        "contests": [{"id": c.id, "unit": c.unit.name, "reason": c.reason, "state": c.state, "decision": c.decision}
                     for c in p.contests.all()],
        "co_opinions": [{"unit": o.unit.name, "body": o.body, "at": o.at.isoformat(), "round": o.round}
                        for o in p.co_opinions.all()],
        "answers": [_answer_out(a) for a in p.answers.all()],
    }


def _unit(user, unit_id) -> Unit:
    u = Unit.objects.filter(pk=unit_id, org_id=user.org_id).first()
    if u is None:
        raise InvalidInput("单位不存在", "lead_unit_id")
    return u


def _rating_url(request, token: str) -> str:
    return request.build_absolute_uri(f"/public/rate/{token}/")


def _answer_of(user, answer_id) -> Answer:
    a = Answer.objects.filter(pk=answer_id).only("id", "proposal_id").first()
    if a is None or selectors.get_visible_proposal(user, a.proposal_id) is None:
        raise NotFound(NOT_FOUND)
    return a


def _fresh_answer(answer_id) -> dict:
    a = Answer.objects.select_related("unit", "head").prefetch_related("commitments").get(pk=answer_id)
    return _answer_out(a)


def _tally(t: report.Tally) -> dict:
    return {k: getattr(t, k) for k in ProposalTallyOut.model_fields}


# --- endpoints ---------------------------------------------------------------------------------------

@router.get("/proposals", response={200: ProposalPage, **errors(*READ)}, summary="建议提案列表")
def list_proposals(request, filters: Query[ListQuery]):
    """本人可见的建议提案（督查室：全部；承办单位：本单位主办或会办的）。"""
    qs = selectors.filter_proposals(selectors.proposals_visible_to(request.auth), year=filters.year,
                                    body=filters.body, state=filters.state)
    start = (filters.page - 1) * PAGE_SIZE
    return {"count": qs.count(), "page": filters.page, "results": [_out(p) for p in qs[start:start + PAGE_SIZE]]}


@router.get("/proposals/sessions", response={200: list[SessionOut], **errors(401)}, summary="会次列表")
def list_sessions(request):
    return list(selectors.sessions_of(request.auth))


@router.post("/proposals/sessions", response={201: SessionOut, **errors(*WRITE)}, summary="新建会次")
def create_session(request, data: SessionIn):
    s = services.create_session(request.auth.org, request.auth, body=data.body, year=data.year, name=data.name,
                                answer_due=data.answer_due)
    return Reply(201, s)


@router.post("/proposals/import", response={200: ImportOut, **errors(*WRITE)}, summary="导入年度交办清单")
def import_batch(request, fields: Form[ProposalImportIn], file: File[UploadedFile]):
    """上传按模板填写的 .xlsx（multipart/form-data）。逐行校验，全部通过才导入；有错误时 `created` 为 0，
    `errors` 列出每一处。"""
    user = request.auth
    made, errs = importing.import_batch(user.org, user, file, body=fields.body, year=fields.year,
                                        default_session=fields.default_session)
    return {"created": len(made), "errors": [e.as_dict() for e in errs]}


@router.post("/proposals", response={201: ProposalDetail, **errors(*WRITE)}, summary="登记一件建议提案")
def register(request, data: RegisterIn):
    user = request.auth
    session = Session.objects.filter(pk=data.session_id, org_id=user.org_id).first()
    if session is None:
        raise InvalidInput("会次不存在", "session_id")
    p = services.register_proposal(session, user, services.ProposalFields(
        number=data.number, title=data.title, content=data.content, category=data.category,
        proposers=[services.ProposerFields(name=x.name, group=x.group, phone=x.phone, is_lead=x.is_lead)
                   for x in data.proposers]))
    return Reply(201, _detail(user, p.id))


@router.get("/proposals/report", response={200: YearReportOut, **errors(*READ)}, summary="年度办理情况")
def year_report(request, query: Query[YearQuery]):
    """按会次、按主办单位和合计：交办、按时答复、见面率、满意率（含基本满意）、A/B/C/D、重新办理、承诺落实。"""
    r = report.year_report(request.auth, query.year)
    return {"year": r.year, "summary": r.summary, "total": _tally(r.total),
            "by_session": [_tally(t) for _, t in r.by_session], "by_unit": [_tally(t) for _, t in r.by_unit]}


@router.get("/proposals/{proposal_id}", response={200: ProposalDetail, **errors(*READ)}, summary="建议提案详情")
def get_proposal(request, proposal_id: ParamId):
    return _detail(request.auth, proposal_id)


@router.post("/proposals/{proposal_id}/assign", response={200: ProposalDetail, **errors(*WRITE)}, summary="交办")
def assign(request, proposal_id: ParamId, data: AssignIn):
    user = request.auth
    _proposal(user, proposal_id)
    leader = None
    if data.responsible_leader_id:
        leader = User.objects.filter(pk=data.responsible_leader_id, org_id=user.org_id).first()
        if leader is None:
            raise InvalidInput("分管领导不存在", "responsible_leader_id")
    services.assign(proposal_id, user, lead_unit=_unit(user, data.lead_unit_id),
                    co_units=[_unit(user, i) for i in data.co_unit_ids], responsible_leader=leader,
                    co_opinion_due=data.co_opinion_due)
    return _detail(user, proposal_id)


@router.post("/proposals/{proposal_id}/contest", response={200: ProposalDetail, **errors(*WRITE)},
             summary="提出交办异议")
def contest(request, proposal_id: ParamId, data: ProposalReasonIn):
    _proposal(request.auth, proposal_id)
    services.contest(proposal_id, request.auth, reason=data.reason)
    return _detail(request.auth, proposal_id)


@router.post("/proposals/contests/{contest_id}/decide", response={200: ProposalDetail, **errors(*WRITE)},
             summary="决定交办异议")
def decide_contest(request, contest_id: ParamId, data: DecideIn):
    user = request.auth
    c = Contest.objects.filter(pk=contest_id).only("id", "proposal_id").first()
    if c is None:
        raise NotFound(NOT_FOUND)
    _proposal(user, c.proposal_id)
    services.decide_contest(c.id, user, uphold=data.uphold, comment=data.comment,
                            lead_unit=_unit(user, data.lead_unit_id) if data.lead_unit_id else None,
                            co_units=[_unit(user, i) for i in data.co_unit_ids])
    return _detail(user, c.proposal_id)


@router.post("/proposals/{proposal_id}/co-opinions", response={200: ProposalDetail, **errors(*WRITE)},
             summary="提交会办意见")
def co_opinion(request, proposal_id: ParamId, data: BodyIn):
    _proposal(request.auth, proposal_id)
    services.submit_co_opinion(proposal_id, request.auth, body=data.body)
    return _detail(request.auth, proposal_id)


@router.post("/proposals/{proposal_id}/contacts", response={200: ProposalDetail, **errors(*WRITE)},
             summary="登记与代表委员沟通（面商）")
def contact(request, proposal_id: ParamId, data: ContactIn):
    _proposal(request.auth, proposal_id)
    services.record_contact(proposal_id, request.auth, method=data.method, on=data.on, who=data.who,
                            summary=data.summary)
    return _detail(request.auth, proposal_id)


@router.post("/proposals/{proposal_id}/answers", response={201: AnswerOut, **errors(*WRITE)}, summary="起草答复函")
def draft_answer(request, proposal_id: ParamId, data: AnswerIn):
    _proposal(request.auth, proposal_id)
    a = services.draft_answer(proposal_id, request.auth, services.AnswerFields(
        body=data.body, answer_class=data.answer_class, publishable=data.publishable, abstract=data.abstract,
        commitments=[(c.text, c.due) for c in data.commitments]))
    return Reply(201, _fresh_answer(a.id))


@router.post("/proposals/answers/{answer_id}/edit", response={200: AnswerOut, **errors(*WRITE)},
             summary="修改答复函草稿")
def edit_answer(request, answer_id: ParamId, data: AnswerIn):
    a = _answer_of(request.auth, answer_id)
    services.edit_answer(a.id, request.auth, services.AnswerFields(
        body=data.body, answer_class=data.answer_class, publishable=data.publishable, abstract=data.abstract,
        commitments=[(c.text, c.due) for c in data.commitments]))
    return _fresh_answer(a.id)


@router.post("/proposals/answers/{answer_id}/send-to-head", response={200: AnswerOut, **errors(*WRITE)},
             summary="答复函呈负责人签发")
def answer_to_head(request, answer_id: ParamId):
    a = _answer_of(request.auth, answer_id)
    services.send_answer_to_head(a.id, request.auth)
    return _fresh_answer(a.id)


@router.post("/proposals/answers/{answer_id}/sign", response={200: AnswerOut, **errors(*WRITE)},
             summary="负责人签发答复函")
def sign(request, answer_id: ParamId, data: ProposalCommentIn):
    a = _answer_of(request.auth, answer_id)
    services.sign_answer(a.id, request.auth, comment=data.comment)
    return _fresh_answer(a.id)


@router.post("/proposals/answers/{answer_id}/return", response={200: AnswerOut, **errors(*WRITE)},
             summary="负责人退回答复函")
def return_to_author(request, answer_id: ParamId, data: ProposalCommentIn):
    a = _answer_of(request.auth, answer_id)
    services.return_answer_to_author(a.id, request.auth, comment=data.comment)
    return _fresh_answer(a.id)


@router.post("/proposals/answers/{answer_id}/send", response={200: AnswerOut, **errors(*WRITE)}, summary="发出答复")
def send(request, answer_id: ParamId):
    a = _answer_of(request.auth, answer_id)
    services.send_answer(a.id, request.auth)
    return _fresh_answer(a.id)


@router.post("/proposals/answers/{answer_id}/review", response={200: ProposalReviewOut, **errors(*WRITE)},
             summary="督查室审核答复")
def review(request, answer_id: ParamId, data: ProposalReviewIn):
    a = _answer_of(request.auth, answer_id)
    _, token = services.review_answer(a.id, request.auth, accept=data.accept, comment=data.comment, criteria={
        "answers_question": data.answers_question, "lawful": data.lawful,
        "commitments_concrete": data.commitments_concrete})
    return {"answer": _fresh_answer(a.id), "rating_url": _rating_url(request, token) if token else None}


@router.post("/proposals/{proposal_id}/rating-link", response={200: LinkOut, **errors(*WRITE)},
             summary="重新生成评价链接")
def rating_link(request, proposal_id: ParamId):
    _proposal(request.auth, proposal_id)
    return {"rating_url": _rating_url(request, services.issue_rating_link(proposal_id, request.auth))}


@router.post("/proposals/{proposal_id}/paper-rating", response={200: ProposalDetail, **errors(*WRITE)},
             summary="录入书面评价")
def paper_rating(request, proposal_id: ParamId, data: RatingIn):
    _proposal(request.auth, proposal_id)
    services.record_paper_rating(proposal_id, request.auth, value=data.value, comment=data.comment)
    return _detail(request.auth, proposal_id)


@router.post("/proposals/{proposal_id}/publish", response={200: PublishOut, **errors(*WRITE)},
             summary="在公开门户发布答复")
def publish(request, proposal_id: ParamId):
    _proposal(request.auth, proposal_id)
    pub = portal.publish_answer(proposal_id, request.auth)
    return {"publication_id": pub.id, "url": request.build_absolute_uri(f"/public/e/{pub.id}/")}
