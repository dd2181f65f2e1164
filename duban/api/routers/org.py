"""Who am I, the organisation's units and leaders: what a client needs to fill an item's fields."""

from __future__ import annotations

from ninja import Router

from duban.orgs.models import LEADER_ROLES, Unit, User

from .. import present
from ..errors import errors
from ..schemas import MeOut, PersonOut, UnitOut

router = Router(tags=["组织"])


@router.get("/me", response={200: MeOut, **errors(401)}, summary="当前用户")
def me(request):
    user = request.auth
    return {
        **present.person(user),
        "org": {"id": user.org.id, "name": user.org.name} if user.org else None,
        "unit": present.unit_ref(user.unit),
    }


@router.get("/units", response={200: list[UnitOut], **errors(401)}, summary="本组织的单位")
def units(request):
    """本组织的全部单位（含督查室、领导班子，`kind` 区分）；主办、协办单位须为部门、下级政府等承办单位。"""
    return [present.unit(u) for u in Unit.objects.filter(org_id=request.auth.org_id)]


@router.get("/leaders", response={200: list[PersonOut], **errors(401)}, summary="本组织的领导")
def leaders(request):
    """可以作为分管领导的人（主要领导、分管领导）。"""
    people = User.objects.filter(org_id=request.auth.org_id, role__in=LEADER_ROLES, is_active=True).order_by("id")
    return [present.person(p) for p in people]
