"""Reads for inspections, findings, media and re-checks. Who sees what:

- the office and the organisation's leaders see every inspection of their organisation;
- a team member sees the inspections of the teams they are on;
- a unit sees an inspection that targets it, unless it is unannounced (明察暗访, seed 002 art. 6)
  and its report is not yet issued; it sees findings about itself only once the report is issued,
  and never another unit's findings or media.

Items are read through ``items_visible_to`` (the only door to items)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from duban.items.models import Assignment, Item, Status
from duban.items.selectors import ORG_WIDE_ROLES, items_visible_to, reports_visible_on
from duban.orgs.acting import acting_for
from duban.orgs.models import Role

from .models import Finding, Inspection, Media, Recheck, Target, TeamMember

OFFICE_ROLES = (Role.SUPERVISOR, Role.OFFICE_HEAD)


def is_office(user, org_id) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.org_id == org_id and user.role in OFFICE_ROLES)


def sees_whole_org(user, org_id) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.org_id == org_id and user.role in ORG_WIDE_ROLES)


def sees_originals(user, org_id) -> bool:
    """Originals (with their EXIF position and device) never leave the office (issue 12)."""
    return bool(getattr(user, "is_authenticated", False) and user.org_id == org_id
                and user.role in (*OFFICE_ROLES, Role.ADMIN))


def _unit_target_q(units) -> Q:
    """Inspections with a target of these units: the unit itself or an item it handles."""
    assigned = Assignment.objects.filter(item=OuterRef("item_id"), unit_id__in=units)
    targets = Target.objects.filter(inspection=OuterRef("pk")).filter(Q(unit_id__in=units) | Q(Exists(assigned)))
    named = Finding.objects.filter(inspection=OuterRef("pk"), unit_id__in=units)
    # Before issue only announced ones; after issue also those whose findings name the unit.
    announced = Q(Exists(targets)) & ~Q(kind="unannounced")
    issued = Q(status=Inspection.Status.ISSUED) & (Q(Exists(targets)) | Q(Exists(named)))
    return announced | issued


def inspections_visible_to(user) -> QuerySet[Inspection]:
    if not getattr(user, "is_authenticated", False) or not user.org_id:
        return Inspection.objects.none()
    on_team = Exists(TeamMember.objects.filter(inspection=OuterRef("pk"), user_id=user.id))
    if user.role in ORG_WIDE_ROLES:
        qs = Inspection.objects.filter(Q(org_id=user.org_id) | on_team)
    else:
        units = acting_for(user).units
        cond = Q(on_team)
        if units:
            cond |= _unit_target_q(units)
        qs = Inspection.objects.filter(cond)
    return qs.select_related("leader", "created_by").order_by("-start_date", "-id")


def get_inspection(user, inspection_id) -> Inspection | None:
    try:
        inspection_id = int(inspection_id)
    except (TypeError, ValueError):
        return None
    return inspections_visible_to(user).filter(pk=inspection_id).prefetch_related(
        Prefetch("team", queryset=TeamMember.objects.select_related("user").order_by("role", "id")),
        Prefetch("targets", queryset=Target.objects.select_related("unit", "item", "plan")),
    ).first()


def is_team_member(user, inspection) -> bool:
    return any(m.user_id == user.id for m in inspection.team.all())


def targets_visible_to(user, inspection) -> list[Target]:
    """The team sees every target; a unit only its own (not which other units were visited)."""
    targets = list(inspection.targets.all())
    if sees_whole_org(user, inspection.org_id) or is_team_member(user, inspection):
        return targets
    units = acting_for(user).units
    return [t for t in targets if t.unit_id in units or (t.item_id and t.item.lead_unit_id in units)]


def may_record(user, inspection) -> bool:
    """Team members (and the office) record findings until the report goes to the leader."""
    if inspection.status != Inspection.Status.PLANNED:
        return False
    return is_office(user, inspection.org_id) or is_team_member(user, inspection)


def findings_visible_to(user, inspection) -> QuerySet[Finding]:
    qs = inspection.findings.select_related("target__unit", "target__item", "target__plan", "unit", "author",
                                            "rectification_item").prefetch_related("media")
    if sees_whole_org(user, inspection.org_id) or is_team_member(user, inspection):
        return qs
    if inspection.status != Inspection.Status.ISSUED:
        return qs.none()
    units = acting_for(user).units
    return qs.filter(unit_id__in=units) if units else qs.none()


def media_for_download(user, token) -> tuple[Media, bool] | None:
    """The media row, if ``user`` may see it, and whether they may have the original."""
    m = Media.objects.select_related("finding__inspection", "item", "report", "recheck").filter(
        token=str(token)[:40]).first()
    if m is None:
        return None
    if m.finding_id:
        insp = m.finding.inspection
        visible = inspections_visible_to(user).filter(pk=insp.pk).first()
        if visible is None or not findings_visible_to(user, visible).filter(pk=m.finding_id).exists():
            return None
        org_id = insp.org_id
    elif m.recheck_id:
        org_id = m.recheck.org_id
        if not sees_whole_org(user, org_id):
            return None
    elif m.item_id:
        item = items_visible_to(user).filter(pk=m.item_id).first()
        if item is None:
            return None
        if m.report_id and not reports_visible_on(user, item).filter(pk=m.report_id).exists():
            return None
        org_id = item.org_id
    else:
        return None
    return m, sees_originals(user, org_id)


def gallery_for(user, item, reports=None) -> list[Media]:
    """Photos and videos of the item's reports that ``user`` may see (issue 12, point 6), in one
    query for any number of photos. ``reports``: the reports_visible_on(user, item) the caller
    has already read (the item page), to spare reading them again."""
    visible = reports_visible_on(user, item).values("pk") if reports is None else [r.pk for r in reports]
    return list(Media.objects.filter(item_id=item.pk, report_id__in=visible)
                .select_related("report__unit", "uploaded_by").order_by("uploaded_at", "id"))


def draft_reports_for_upload(user, item, reports=None):
    from duban.items.selectors import can_upload

    if reports is None:
        reports = reports_visible_on(user, item).filter(state="draft")
    return [r for r in reports if r.state == "draft" and can_upload(user, item, report=r)]


def rechecks_of(org) -> QuerySet[Recheck]:
    return (Recheck.objects.filter(org=org).select_related("item__lead_unit", "rule", "relapse_item", "decided_by")
            .prefetch_related("media"))


def closed_items_visible_to(user) -> QuerySet[Item]:
    return items_visible_to(user).filter(status__in=[Status.CLOSED, Status.ARCHIVED])
