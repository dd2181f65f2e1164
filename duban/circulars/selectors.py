"""Reads of circulars. Issued circulars are read by everyone of the organisation (and by a lower
organisation's office, which answers for its unit there); drafts only by the office and the
principal leader who approves them. Anything else is "not found" (404), never "forbidden"."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from duban.orgs.acting import acting_for
from duban.orgs.models import Role

from . import workflow, writing
from .models import Circular, CircularStatus
from .workflow import APPROVER, OFFICE

DRAFT_READERS = (*OFFICE, *APPROVER, Role.ADMIN)


def circulars_visible_to(user) -> QuerySet[Circular]:
    if not getattr(user, "is_authenticated", False) or not user.org_id:
        return Circular.objects.none()
    issued = Q(status=CircularStatus.ISSUED)
    own = Q(org_id=user.org_id)
    if user.role not in DRAFT_READERS:
        own &= issued
    linked = acting_for(user).linked
    if linked:
        own |= issued & Q(org__units__in=linked)
    return Circular.objects.filter(own)


def get_visible_circular(user, circular_id) -> Circular | None:
    try:
        circular_id = int(circular_id)
    except (TypeError, ValueError):
        return None
    return (circulars_visible_to(user).select_related("org", "drafted_by", "approved_by", "issued_by")
            .filter(pk=circular_id).first())


def circular_list(user, *, status: str = "", year: int | None = None) -> QuerySet[Circular]:
    qs = circulars_visible_to(user).select_related("org").only(
        "id", "org__name", "kind", "title", "number", "status", "period_start", "period_end", "issued_at", "created_at")
    if status in CircularStatus.values:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(Q(year=year) | Q(year__isnull=True, period_end__year=year))
    return qs.order_by("-issued_at", "-id") if status == CircularStatus.ISSUED else qs.order_by("-id")


def may_draft(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.role in OFFICE


def actions_for(user, c: Circular) -> dict[str, bool]:
    """Whether the person may edit, submit, approve, return or issue the circular now (``workflow``)."""
    acts = workflow.available(user, c)
    return {k: acts[k] for k in ("edit", "submit", "approve", "return", "issue")}


def suggestions_for(c: Circular) -> list[dict]:
    """The office's prefilled suggestions, minus the units it has already named that way."""
    named = {(m.unit_id, m.kind) for m in c.mentions.all()}
    return [s for s in writing.suggestions(c.figures) if (s["unit_id"], s["kind"]) not in named]
