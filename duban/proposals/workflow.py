"""The steps of handling a suggestion or proposal, declared once (like ``duban.items.workflow``).

Each row: action, the button, the proposal states it starts from, the state it leads to (None: no
change), who may take it, and the item status the underlying item moves to. Services check every
action here; pages and the API ask ``available_actions`` which buttons to show.

Procedure: 接收 → 交办（异议期内可提出异议，督查室决定）→ 会办意见 → 面商 → 答复函（负责人签发）→
发出 → 督查室审核（可退回）→ 代表委员评价 → 不满意的重新办理 (seed 001 art. 10).
"""

from __future__ import annotations

from dataclasses import dataclass

from duban.items.models import Assignment, Status
from duban.orgs.acting import acting_for
from duban.orgs.models import OFFICE_ROLES

from .models import ProposalState

P = ProposalState


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    sources: frozenset[str]
    target: str | None
    actors: frozenset[str]
    item_status: str | None = None  # the underlying item's status after the step


def _s(action, label, sources, target, actors, item_status=None):
    return Step(action, label, frozenset(sources), target, frozenset(actors), item_status)


STEPS: tuple[Step, ...] = (
    _s("assign", "交办", [P.RECEIVED], P.HANDLING, ["office"], Status.IN_PROGRESS),
    _s("contest", "提出交办异议", [P.HANDLING], None, ["lead_liaison", "co_liaison"]),
    _s("decide_contest", "决定异议", [P.HANDLING], None, ["office"]),
    _s("submit_co_opinion", "提交会办意见", [P.HANDLING], None, ["co_liaison"]),
    _s("record_contact", "登记面商", [P.HANDLING], None, ["lead_liaison"]),
    _s("draft_answer", "起草答复函", [P.HANDLING], None, ["lead_liaison"]),
    _s("send_answer_to_head", "呈负责人签发", [P.HANDLING], None, ["lead_liaison"]),
    _s("sign_answer", "签发", [P.HANDLING], None, ["lead_head"]),
    _s("return_answer_to_author", "退回修改", [P.HANDLING], None, ["lead_head"]),
    _s("send_answer", "发出答复", [P.HANDLING], P.ANSWER_REVIEW, ["lead_liaison"], Status.UNDER_REVIEW),
    _s("accept_answer", "审核通过", [P.ANSWER_REVIEW], P.AWAITING_RATING, ["office"], Status.UNDER_REVIEW),
    _s("return_answer", "退回重办", [P.ANSWER_REVIEW], P.HANDLING, ["office"], Status.IN_PROGRESS),
    _s("issue_rating_link", "生成评价链接", [P.AWAITING_RATING], None, ["office"]),
    _s("record_paper_rating", "录入书面评价", [P.AWAITING_RATING], None, ["office"]),
    # The rating itself comes from the proposer's link (no account): see services.rate_by_link.
    _s("rate", "评价", [P.AWAITING_RATING], None, []),
    _s("publish_answer", "公开答复", [P.AWAITING_RATING, P.CLOSED], None, ["office"]),
)

BY_ACTION = {s.action: s for s in STEPS}


def _unit_roles(user, proposal):
    a = acting_for(user)
    return a, list(proposal.item.assignments.all())


def is_office(user, proposal) -> bool:
    return user.is_authenticated and user.org_id == proposal.item.org_id and user.role in OFFICE_ROLES


def is_lead_liaison(user, proposal) -> bool:
    a, assignments = _unit_roles(user, proposal)
    return any(x.unit_id in a.liaison and x.role == Assignment.Role.LEAD for x in assignments)


def is_co_liaison(user, proposal) -> bool:
    a, assignments = _unit_roles(user, proposal)
    return any(x.unit_id in a.liaison and x.role == Assignment.Role.CO for x in assignments)


def is_lead_head(user, proposal) -> bool:
    a, assignments = _unit_roles(user, proposal)
    return any(x.unit_id in a.head and x.role == Assignment.Role.LEAD for x in assignments)


ACTOR_CHECKS = {
    "office": is_office,
    "lead_liaison": is_lead_liaison,
    "co_liaison": is_co_liaison,
    "lead_head": is_lead_head,
}


def may(user, proposal, step: Step) -> bool:
    return any(ACTOR_CHECKS[name](user, proposal) for name in step.actors)


def available_actions(user, proposal) -> list[Step]:
    return [s for s in STEPS if proposal.state in s.sources and may(user, proposal, s)]
