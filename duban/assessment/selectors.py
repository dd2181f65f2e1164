"""Reads of assessments. Units see only published results and only their own score and lines;
the office sees everything of its organisation; leaders see what was sent to them."""

from __future__ import annotations

from duban.orgs.acting import acting_for
from duban.orgs.models import LEADER_ROLES, OFFICE_ROLES, Role

from .models import Assessment, ScoreLine

S = Assessment.Status


def sees_ranking(user, a: Assessment | None = None) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.org_id):
        return False
    if a is not None and a.org_id != user.org_id:
        return False
    return user.role in OFFICE_ROLES or user.role in LEADER_ROLES or user.role == Role.ADMIN


def assessments_visible_to(user):
    if not getattr(user, "is_authenticated", False) or not (user.org_id or acting_for(user).units):
        return Assessment.objects.none()
    if user.role in OFFICE_ROLES or user.role == Role.ADMIN:
        return Assessment.objects.filter(org_id=user.org_id)
    if user.role in LEADER_ROLES:
        return Assessment.objects.filter(org_id=user.org_id).exclude(status=S.DRAFT)
    units = acting_for(user).units
    return Assessment.objects.filter(status=S.PUBLISHED, scores__unit_id__in=units).distinct()


def get_visible_assessment(user, assessment_id) -> Assessment | None:
    try:
        return assessments_visible_to(user).select_related("org", "approved_by").get(pk=assessment_id)
    except (Assessment.DoesNotExist, ValueError, TypeError):
        return None


def scores_visible_to(user, a: Assessment):
    """The ranking for the office and leaders; a unit's own row for its people."""
    qs = a.scores.all().order_by("rank", "unit_name")
    if sees_ranking(user, a):
        return qs
    return qs.filter(unit_id__in=acting_for(user).units) if a.status == S.PUBLISHED else qs.none()


def lines_visible_to(user, a: Assessment, unit_id):
    if not scores_visible_to(user, a).filter(unit_id=unit_id).exists():
        return ScoreLine.objects.none()
    return a.lines.filter(unit_id=unit_id).select_related("by").order_by("at", "id")


def line_link(line: ScoreLine) -> str:
    """Where the record that earned a line is read: its item, its circular, or the unit's year."""
    if line.ref_model == "circulars.Mention" and line.ref_id:
        from duban.circulars.models import Mention

        cid = Mention.objects.filter(pk=line.ref_id).values_list("circular_id", flat=True).first()
        return f"/circulars/{cid}/" if cid else ""
    if line.ref_model == "accountability.Sanction":
        return f"/units/{line.unit_id}/year/{line.at.year}/" if line.at else ""
    if line.item_id:
        return f"/items/{line.item_id}/"
    return ""


def latest_published_ranking(org) -> list[tuple[str, object, int]]:
    """For the dashboard: the latest published assessment's ranking as (unit name, score, rank)."""
    a = Assessment.objects.filter(org=org, status=S.PUBLISHED).order_by("-published_at", "-id").first()
    if a is None:
        return []
    return [(s.unit_name, s.score, s.rank) for s in a.scores.order_by("rank", "unit_name")]


def latest_published(org) -> Assessment | None:
    return Assessment.objects.filter(org=org, status=S.PUBLISHED).order_by("-published_at", "-id").first()

