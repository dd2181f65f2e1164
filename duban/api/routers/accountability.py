"""Sanctions (问责记录): list and detail as each role may see them, a unit's year, and the office's
record that a sanction was carried out. Thin over ``duban.accountability``."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from duban.accountability import selectors, services
from duban.accountability.models import Sanction
from duban.items.errors import NotFound

from ..errors import NOT_FOUND, READ, WRITE, errors
from ..schemas import In, ParamId, Text

router = Router(tags=["督查问责"])


class SanctionOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    year: int
    ordinal: int = Field(description="年度内第几次通报批评")
    measure: str = Field(description="written_self_examination 书面检查 / admonitory_talk 约谈 / no_awards "
                                     "取消年度评先评优资格 / organisational_handling 组织处理 / other")
    measure_label: str
    requirement: str
    citation: str
    circular_id: int
    circular_number: str
    mention_facts: str
    item_id: int | None = Field(description="作为督查事项跟踪时的事项（如书面检查）")
    item_number: str | None
    state: str = Field(description="pending 待落实 / fulfilled 已落实（跟踪事项办结即为落实）")
    state_label: str
    note: str
    created_at: dt.datetime
    fulfilled_at: dt.datetime | None


class CriticismOut(Schema):
    ordinal: int
    circular_id: int
    circular_number: str
    issued_at: dt.datetime
    facts: str


class UnitYearOut(Schema):
    unit_id: int
    unit_name: str
    year: int
    criticisms: list[CriticismOut]
    sanctions: list[SanctionOut]


class SanctionFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2099)
    unit_id: ParamId | None = None


class FulfilIn(In):
    note: Text(1000) = Field(description="落实情况（必填），如约谈时间、地点")


def _out(s: Sanction) -> dict:
    c = s.mention.circular
    return {"id": s.id, "unit_id": s.unit_id, "unit_name": s.unit.name, "year": s.year, "ordinal": s.ordinal,
            "measure": s.measure, "measure_label": s.get_measure_display(), "requirement": s.requirement,
            "citation": s.citation, "circular_id": c.id, "circular_number": c.number, "mention_facts": s.mention.facts,
            "item_id": s.item_id, "item_number": s.item.number if s.item_id else None, "state": s.effective_state,
            "state_label": s.effective_state_label, "note": s.note, "created_at": s.created_at,
            "fulfilled_at": s.fulfilled_at}


@router.get("/sanctions", response={200: list[SanctionOut], **errors(400, 401)}, summary="问责记录")
def list_sanctions(request, filters: Query[SanctionFilters]):
    """督查室和领导：本组织全部单位；承办单位：仅本单位。"""
    qs = selectors.sanctions_visible_to(request.auth)
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.unit_id:
        qs = qs.filter(unit_id=filters.unit_id)
    return [_out(s) for s in qs.order_by("-created_at", "-id")[:1000]]


@router.get("/sanctions/{sanction_id}", response={200: SanctionOut, **errors(*READ)}, summary="问责记录详情")
def get_sanction(request, sanction_id: ParamId):
    s = selectors.sanctions_visible_to(request.auth).filter(pk=sanction_id).first()
    if s is None:
        raise NotFound(NOT_FOUND)
    return _out(s)


@router.post("/sanctions/{sanction_id}/fulfil", response={200: SanctionOut, **errors(*WRITE)}, summary="登记落实情况")
def fulfil(request, sanction_id: ParamId, data: FulfilIn):
    """督查室登记约谈等问责已落实；作为督查事项跟踪的（书面检查），办结事项即为落实（409）。"""
    s = selectors.sanctions_visible_to(request.auth).filter(pk=sanction_id).first()
    if s is None:
        raise NotFound(NOT_FOUND)
    services.fulfil(s.id, request.auth, note=data.note)
    return _out(selectors.sanctions_visible_to(request.auth).get(pk=s.id))


@router.get("/units/{unit_id}/year/{year}", response={200: UnitYearOut, **errors(*READ)}, summary="单位年度通报与问责")
def unit_year(request, unit_id: ParamId, year: int):
    if not 2000 <= year <= 2099:
        raise NotFound(NOT_FOUND)
    unit = selectors.units_visible_to(request.auth).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(NOT_FOUND)
    y = selectors.unit_year(unit, year)
    return {"unit_id": unit.id, "unit_name": unit.name, "year": year,
            "criticisms": [{"ordinal": r["ordinal"], "circular_id": r["circular"].id,
                            "circular_number": r["circular"].number, "issued_at": r["circular"].issued_at,
                            "facts": r["mention"].facts} for r in y["criticisms"]],
            "sanctions": [_out(s) for s in selectors.sanctions_visible_to(request.auth).filter(unit=unit, year=year)
                          .order_by("ordinal", "id")]}
