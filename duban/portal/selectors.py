"""The one door of the portal: published things (seed 002 art. 6(5)).

Every portal page and portal API response reads through ``published()``; it returns snapshots the
office published and has not withdrawn, with only their public columns, and for one entry its
approved opinions. Items, reports, attachments, proposers and people are never read here.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from .models import Publication, PublicOpinion

PUBLIC_FIELDS = ("id", "kind", "org_name", "title", "reference", "unit_name", "status_label", "body", "figures",
                 "published_at", "updated_at")
MAX_QUERY = 50


def published(*, q: str = "", kind: str = "", with_opinions: bool = False) -> QuerySet[Publication]:
    """Live publications, newest first, optionally searched (title, number, unit, text) and by kind."""
    qs = Publication.objects.filter(withdrawn_at__isnull=True).only(*PUBLIC_FIELDS).order_by("-published_at", "-id")
    if kind in Publication.Kind.values:
        qs = qs.filter(kind=kind)
    q = (q or "").strip()[:MAX_QUERY]
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(reference__icontains=q) | Q(unit_name__icontains=q)
                       | Q(body__icontains=q))
    if with_opinions:
        approved = PublicOpinion.objects.filter(state=PublicOpinion.State.APPROVED).only(
            "id", "publication_id", "name", "body", "reply", "created_at").order_by("created_at", "id")
        qs = qs.prefetch_related(Prefetch("opinions", queryset=approved, to_attr="approved_opinions"))
    return qs
