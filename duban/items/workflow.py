"""The state machine of an item, declared once.

Each row says: which action, from which states, to which state, who may fire it, and what it
records. Services (``services.py``) check every action against this table; pages and the API ask
it which actions a user has on an item; ``docs/architecture.md``'s diagram is generated from it
(``python manage.py workflow_diagram``). Adding a step means adding a row here and a service.

Procedure: 立项 → 交办 → 承办 → 催办 → 审核 → 报告 → 办结 → 归档 (seed 002 art. 5; seed 001 art. 7;
seed 000 art. 5).
"""

from __future__ import annotations

from dataclasses import dataclass

from duban.orgs.acting import acting_for
from duban.orgs.models import Role

from .models import Assignment, Status

S = Status


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button a user sees
    sources: frozenset[str]
    target: str | None  # None: the item stays in its state
    actors: frozenset[str]  # names of predicates in ACTOR_CHECKS, any of which admits the user
    records: str  # what the action writes besides the event
    comment_required: bool = False
    citation: str = ""


def _t(action, label, sources, target, actors, records, comment_required=False, citation=""):
    return Transition(action, label, frozenset(sources), target, frozenset(actors), records, comment_required, citation)


ACTIVE = (S.ASSIGNED, S.IN_PROGRESS, S.UNDER_REVIEW, S.PENDING_LEADER)
HANDLING = (S.ASSIGNED, S.IN_PROGRESS)

TRANSITIONS: tuple[Transition, ...] = (
    _t("edit_draft", "修改", [S.DRAFT], None, ["office"], "the draft's fields"),
    _t("submit_proposal", "呈领导审批", [S.DRAFT], S.PENDING_APPROVAL, ["office"],
       "the proposal sent for approval", citation="002 第五条（一）"),
    _t("approve_proposal", "批准立项", [S.PENDING_APPROVAL], S.ASSIGNED, ["responsible_leader"],
       "number from the year's series; registration and assignment", citation="002 第五条（一）（二）"),
    _t("reject_proposal", "退回修改", [S.PENDING_APPROVAL], S.DRAFT, ["responsible_leader"],
       "the reason", comment_required=True),
    _t("accept", "签收", [S.ASSIGNED], S.IN_PROGRESS, ["lead_liaison"],
       "responsible person of the lead unit", citation="001 第七条（三）"),
    _t("accept_as_co", "签收（协办）", ACTIVE, None, ["co_liaison_pending"], "responsible person of the co-unit"),
    _t("decline", "退回督查室", [S.ASSIGNED], S.DECLINED, ["lead_liaison"], "the reason (wrong unit)",
       comment_required=True),
    _t("decline_as_co", "退回（协办）", ACTIVE, None, ["co_liaison_pending"], "the reason", comment_required=True),
    _t("reassign", "改派", [S.ASSIGNED, S.DECLINED, S.IN_PROGRESS], S.ASSIGNED, ["office"],
       "new lead and co-units"),
    _t("draft_report", "起草报告", [S.IN_PROGRESS], None, ["lead_liaison", "co_liaison"],
       "a report draft (progress, completion, explanation, co-unit input)"),
    _t("send_report_to_head", "呈负责人审签", [S.IN_PROGRESS], None, ["report_author_unit"], "",
       citation="002 第五条（三）"),
    _t("approve_report", "审签同意", [S.IN_PROGRESS], None, ["report_unit_head"], "head's approval"),
    _t("return_report_to_author", "退回修改", [S.IN_PROGRESS], None, ["report_unit_head"], "head's comment",
       comment_required=True),
    _t("submit_report", "报送", [S.IN_PROGRESS], None, ["report_author_unit"],
       "a progress report, explanation or co-unit input filed", citation="001 第十一条、第十二条"),
    _t("submit_completion_report", "报送办结报告", [S.IN_PROGRESS], S.UNDER_REVIEW, ["report_author_unit"],
       "the lead unit's completion report filed; the item goes to review", citation="002 第五条（五）"),
    _t("request_extension", "申请延期", [S.ASSIGNED, S.IN_PROGRESS], None, ["lead_liaison"],
       "requested date, reason, progress", citation="001 第九条"),
    _t("decide_extension", "审批延期", [S.ASSIGNED, S.IN_PROGRESS, S.UNDER_REVIEW], None, ["office"],
       "new deadline recorded with the old"),
    _t("log_urge", "登记催办", ACTIVE, None, ["office"], "method, contact, time, what was said",
       citation="001 第十三条（二）"),
    _t("accept_report", "审核通过并呈报领导", [S.UNDER_REVIEW], S.PENDING_LEADER, ["office"],
       "review against the four criteria; the report to the leader (一事一报)", citation="002 第五条（五）（六）"),
    _t("return_for_rework", "退回重办", [S.UNDER_REVIEW], S.IN_PROGRESS, ["office"],
       "review with reasons", comment_required=True, citation="002 第五条（五）"),
    _t("close", "同意办结", [S.PENDING_LEADER], S.CLOSED, ["responsible_leader"], "the leader's instruction",
       citation="001 第七条（八）"),
    _t("instruct", "批示继续办理", [S.PENDING_LEADER], S.IN_PROGRESS, ["responsible_leader"],
       "the leader's instruction", comment_required=True),
    _t("archive", "归档", [S.CLOSED], S.ARCHIVED, ["office"], "the volume is sealed read-only",
       citation="002 第五条（七）"),
    _t("register_lower", "登记为本级事项", HANDLING, None, ["receiving_office"],
       "a draft in the lower organisation's own series, linked to this item", citation="001 第三条、第五条"),
)

BY_ACTION = {t.action: t for t in TRANSITIONS}


# --- who is who on an item ---------------------------------------------------------------------
#
# A unit's part (liaison, head) is played by its own people or, for a unit standing for a lower
# organisation, by that organisation's office (``orgs.acting``; 一级抓一级, seed 001 arts. 3, 5).
# The office's and the leaders' parts stay with the item's own organisation.

def _same_org(user, item) -> bool:
    return user.is_authenticated and user.org_id == item.org_id


def _assignment(user, item, role=None):
    """The assignment of a unit this user answers for as liaison, if the item has one."""
    units = acting_for(user).liaison
    if not units:
        return None
    for a in item.assignments.all():
        if a.unit_id in units and (role is None or a.role == role):
            return a
    return None


def acting_assignment(user, item):
    """The assignment of the unit the user belongs to or answers for (as liaison, head or member)."""
    units = acting_for(user).units
    return next((a for a in item.assignments.all() if a.unit_id in units), None) if units else None


def is_office(user, item, **_) -> bool:
    return _same_org(user, item) and user.role in (Role.SUPERVISOR, Role.OFFICE_HEAD)


def is_responsible_leader(user, item, **_) -> bool:
    # The principal leader may act for any responsible leader: reports go to 有关领导同志和主要领导同志
    # (seed 001 art. 7(6)), and the principal leader is the final approver (glossary).
    return _same_org(user, item) and (
        user.id == item.responsible_leader_id or user.role == Role.PRINCIPAL_LEADER
    )


def is_lead_liaison(user, item, **_) -> bool:
    a = _assignment(user, item, Assignment.Role.LEAD)
    return a is not None and a.state != a.State.DECLINED


def is_co_liaison(user, item, **_) -> bool:
    a = _assignment(user, item, Assignment.Role.CO)
    return a is not None and a.state == a.State.ACCEPTED


def is_co_liaison_pending(user, item, **_) -> bool:
    a = _assignment(user, item, Assignment.Role.CO)
    return a is not None and a.state == a.State.PENDING


def is_report_author_unit(user, item, report=None, **_) -> bool:
    return (
        report is not None and report.unit_id in acting_for(user).liaison
        and any(a.unit_id == report.unit_id for a in item.assignments.all())
    )


def is_report_unit_head(user, item, report=None, **_) -> bool:
    return report is not None and report.unit_id in acting_for(user).head


def is_receiving_office(user, item, **_) -> bool:
    """The lower organisation's office, once it has signed for the item in its unit's name: it
    may register the item in its own series (seed 001 art. 5: 各街道负责对上级督促检查工作的落实)."""
    linked = acting_for(user).linked
    return bool(linked) and any(
        a.unit_id in linked and a.state == Assignment.State.ACCEPTED for a in item.assignments.all()
    )


ACTOR_CHECKS = {
    "office": is_office,
    "responsible_leader": is_responsible_leader,
    "lead_liaison": is_lead_liaison,
    "co_liaison": is_co_liaison,
    "co_liaison_pending": is_co_liaison_pending,
    "report_author_unit": is_report_author_unit,
    "report_unit_head": is_report_unit_head,
    "receiving_office": is_receiving_office,
}

ACTOR_LABELS = {
    "office": "督查室",
    "responsible_leader": "分管领导（或主要领导）",
    "lead_liaison": "主办单位联络员",
    "co_liaison": "协办单位联络员",
    "co_liaison_pending": "待签收的协办单位联络员",
    "report_author_unit": "报告所属单位联络员",
    "report_unit_head": "报告所属单位负责人",
    "receiving_office": "已签收的下级组织督查室",
}


# --- items whose procedure another app runs -------------------------------------------------------

@dataclass(frozen=True)
class Procedure:
    """An app above items that carries some items through a procedure of its own (a deputy's
    suggestion is assigned, answered, reviewed and rated in ``duban.proposals``): on those items only
    the ``shared`` steps of this table stay open, so no generic step puts the item in a state the
    other procedure does not know. ``owns(item)`` must be cheap for items it does not own."""

    owns: object  # Callable[[Item], bool]
    shared: frozenset[str]
    refusal: str


PROCEDURES: list[Procedure] = []


def register_procedure(owns, *, shared=(), refusal: str) -> None:
    PROCEDURES.append(Procedure(owns, frozenset(shared), refusal))


def procedure_refusal(item, action: str) -> str | None:
    """Why ``action`` is not open on ``item`` because another procedure owns it; None if it is open."""
    for p in PROCEDURES:
        if p.owns(item):
            return None if action in p.shared else p.refusal
    return None


def may_act(user, item, transition: Transition, **context) -> bool:
    if procedure_refusal(item, transition.action):
        return False
    return any(ACTOR_CHECKS[name](user, item, **context) for name in transition.actors)


def state_allows(item, transition: Transition) -> bool:
    return item.status in transition.sources


def available_actions(user, item, **context) -> list[Transition]:
    """The actions this user may take on this item now (pages and API show only these)."""
    return [t for t in TRANSITIONS if state_allows(item, t) and may_act(user, item, t, **context)]


# Timeline entries that are not transitions, and then every transition's label.
EVENT_LABELS = {
    "create": "草拟", "assign": "交办", "attach": "上传附件", "approve_extension": "同意延期",
    "refuse_extension": "不同意延期", "deadline_recomputed": "时限重算",
    "auto_urge": "系统催办", "report_missed": "定期报告缺报", "issue_document": "印发文书",
    "attach_media": "上传照片或视频", "recheck": "回头看",  # written by duban/inspections (issue 12)
    **{t.action: t.label for t in TRANSITIONS},
}


def event_label(action: str) -> str:
    return EVENT_LABELS.get(action, action)


# The report a report-level action works on must be in this state (the unit head's approval
# comes between the liaison's draft and its submission).
REPORT_ACTION_FROM = {
    "send_report_to_head": "draft",
    "approve_report": "awaiting_head",
    "return_report_to_author": "awaiting_head",
    "submit_report": "approved",
}


def available_report_actions(user, item, report) -> list[Transition]:
    """The actions this user may take on this report now."""
    return [
        BY_ACTION[a] for a, state in REPORT_ACTION_FROM.items()
        if report.state == state and state_allows(item, BY_ACTION[a]) and may_act(user, item, BY_ACTION[a], report=report)
    ]


def mermaid_diagram() -> str:
    """A Mermaid state diagram of the transitions that change the state."""
    lines = ["stateDiagram-v2"]
    for t in TRANSITIONS:
        if t.target is None:
            continue
        for src in sorted(t.sources):
            who = "/".join(ACTOR_LABELS[a] for a in sorted(t.actors))
            lines.append(f"    {src} --> {t.target}: {t.action} ({who})")
    return "\n".join(lines)
