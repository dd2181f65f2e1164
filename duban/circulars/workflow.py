"""The circular's states and transitions, declared once: the services check them, the pages and the
API list the actions a person may take from them, the docs draw them."""

from __future__ import annotations

from dataclasses import dataclass

from duban.orgs.models import Role

from .models import EDITABLE, CircularStatus

S = CircularStatus
OFFICE = (Role.SUPERVISOR, Role.OFFICE_HEAD)
APPROVER = (Role.PRINCIPAL_LEADER,)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # what the refusal says the person cannot do
    sources: tuple[str, ...]
    roles: tuple[str, ...]
    target: str | None  # None: the status does not change
    citation: str = ""


TRANSITIONS = [
    Transition("edit", "修改", EDITABLE, OFFICE, None),
    Transition("mention", "修改表扬与批评名单", EDITABLE, OFFICE, None, "001 第十四条（五）"),
    Transition("recount", "重新统计", EDITABLE, OFFICE, None, "001 第七条（七）"),
    Transition("submit", "呈领导审批", EDITABLE, OFFICE, S.PENDING_APPROVAL),
    Transition("approve", "审批（须主要领导）", (S.PENDING_APPROVAL,), APPROVER, S.APPROVED, "001 第十四条（五）"),
    Transition("return", "退回（须主要领导）", (S.PENDING_APPROVAL,), APPROVER, S.RETURNED, "001 第十四条（五）"),
    Transition("issue", "印发", (S.APPROVED,), OFFICE, S.ISSUED, "001 第七条（七）"),
]
BY_ACTION = {t.action: t for t in TRANSITIONS}


def may_act(user, c, action: str) -> bool:
    """The person's role allows the action on this organisation's circular (whatever its state)."""
    t = BY_ACTION[action]
    return bool(getattr(user, "is_authenticated", False) and user.org_id == c.org_id and user.role in t.roles)


def available(user, c) -> dict[str, bool]:
    """Every action, and whether this person may take it on the circular now."""
    return {t.action: may_act(user, c, t.action) and c.status in t.sources for t in TRANSITIONS}
