"""The one door of the portal: published things (seed 002 art. 6(5)).

Every portal page and portal API response reads through ``published()``; it returns snapshots the
office published and has not withdrawn, with only their public columns, and for one entry its
approved opinions. Items, reports, attachments, proposers and people are never read here.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from .models import Publication, PublicOpinion

PUBLIC_FIELDS = ("id", "kind", "org_name", "title", "reference", "unit_name", "status_label", "body", "figures",
                 "published_at", "updated_at")
MAX_QUERY = 50


def published(*, q: str = "", kind: str = "", with_opinions: bool = False) -> QuerySet[Publication]:
    """Live publications, newest first, optionally searched (title, number, unit, text) and by kind."""
    qs = Publication.objects.filter(withdrawn_at__isnull=True).only(*PUBLIC_FIELDS).order_by("-published_at", "-id")
    if kind in Publication.Kind.values:
        qs = qs.filter(kind=kind)
    q = (q or "").replace("\x00", "").strip()[:MAX_QUERY]  # PostgreSQL text cannot hold NUL
    if q:
        if len(q) >= 3:  # served by the trigram indexes on PostgreSQL (migration 0002)
            qs = qs.filter(Q(title__contains=q) | Q(reference__contains=q) | Q(unit_name__contains=q)
                           | Q(body__contains=q))
        else:
            # pg_trgm has no trigram in one or two characters; a plain scan with strpos() is cheaper
            # than rechecking every row the index would return (as the item list does).
            found = lambda field: GreaterThan(StrIndex(field, Value(q)), 0)  # noqa: E731
            qs = qs.filter(Q(found("title")) | Q(found("reference")) | Q(found("unit_name")) | Q(found("body")))
    if with_opinions:
        approved = PublicOpinion.objects.filter(state=PublicOpinion.State.APPROVED).only(
            "id", "publication_id", "name", "body", "reply", "created_at").order_by("created_at", "id")
        qs = qs.prefetch_related(Prefetch("opinions", queryset=approved, to_attr="approved_opinions"))
    return qs
