"""Reads of suggestions and proposals. Every one starts from ``items_visible_to(user)``."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from duban.items.selectors import items_visible_to

from . import workflow
from .models import Answer, Proposal, RatingLink, Session


def proposals_visible_to(user) -> QuerySet[Proposal]:
    return (Proposal.objects.filter(item__in=items_visible_to(user).values("pk"))
            .select_related("session", "item__lead_unit")
            .prefetch_related("signers__proposer"))


def filter_proposals(qs, *, year=None, body=None, session=None, state=None, q=None):
    if year:
        qs = qs.filter(session__year=year)
    if body:
        qs = qs.filter(session__body=body)
    if session:
        qs = qs.filter(session_id=session)
    if state:
        qs = qs.filter(state=state)
    if q:
        q = q.strip()[:50]
        qs = qs.filter(Q(item__title__icontains=q) | Q(signers__proposer__name=q)).distinct()
    return qs.order_by("-session__year", "session_id", "number")


def get_visible_proposal(user, proposal_id) -> Proposal | None:
    try:
        proposal_id = int(proposal_id)
    except (TypeError, ValueError):
        return None
    return (proposals_visible_to(user).filter(pk=proposal_id)
            .select_related("item__org", "item__responsible_leader")
            .prefetch_related("item__assignments__unit", "contests__unit", "co_opinions__unit", "contacts",
                              Prefetch("answers", queryset=Answer.objects.select_related("unit", "head", "rating")
                                       .prefetch_related("commitments__item")))
            .first())


def sessions_of(user) -> QuerySet[Session]:
    return Session.objects.filter(org_id=user.org_id) if user.is_authenticated else Session.objects.none()


def actions_for(user, proposal):
    return workflow.available_actions(user, proposal)


def live_link_of(proposal) -> RatingLink | None:
    from django.utils import timezone

    return (RatingLink.objects.filter(answer__proposal=proposal, used_at__isnull=True, revoked_at__isnull=True,
                                      expires_at__gt=timezone.now()).first())
