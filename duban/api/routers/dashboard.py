"""The leaders' dashboard (督查驾驶舱) as JSON: the same figures as the page, counted by
``duban.dashboard.selectors.dashboard`` for the same user, so the two never disagree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from duban.dashboard import selectors
from duban.items.errors import PermissionDenied

from ..errors import errors

router = Router(tags=["督查驾驶舱"])


class DashboardQuery(Schema):
    year: int | None = Field(None, ge=selectors.MIN_YEAR, le=selectors.MAX_YEAR, description="年度；默认本年度")


class Totals(Schema):
    assigned: int = Field(description="本年度交办（立项）的事项数")
    assigned_done: int = Field(description="其中已办结（含归档）")
    completion_rate: Decimal = Field(description="办结率（%）= assigned_done / assigned，两位小数")
    closed: int = Field(description="本年度内办结的事项数（不论立项年度）")
    closed_on_time: int = Field(description="其中按期办结（办结日不晚于办理时限）")
    on_time_rate: Decimal = Field(description="按期办结率（%）= closed_on_time / closed")
    open: int = Field(description="当前在办事项（各年度）")
    overdue: int = Field(description="当前已超期的在办事项")
    red: int = Field(description="红灯（超期）")
    yellow: int = Field(description="黄灯（临期）")
    green: int = Field(description="绿灯（正常）")
    stalled: int = Field(description="停滞（长期无进展）")


class BarOut(Schema):
    key: str = Field(description="类别代码、单位 id、领导 id、月份（YYYY-MM）或方案 id")
    label: str
    values: dict[str, int] = Field(description="数值，如 total 交办、done 已办结、overdue 超期；n 数量")
    queries: dict[str, str] = Field(
        description="每个数值背后的事项列表的查询参数，可直接用于 GET /api/v1/items?…（方案为空，见 plan_id）")
    rate: Decimal | None = Field(None, description="办结率或整改率（%）")
    mine: bool = Field(False, description="本人分管")


class LowerOrgOut(Schema):
    name: str = Field(description="代表下级组织的本级单位")
    unit_id: int
    sent: int = Field(description="本年度交办该单位的事项")
    registered: int = Field(description="下级已登记为本级事项")
    total: int = Field(description="下级事项及其分解事项合计")
    done: int
    overdue: int
    rate: Decimal


class CircularOut(Schema):
    id: int
    number: str
    title: str
    issued_at: dt.datetime | None


class RankOut(Schema):
    rank: int
    unit_name: str
    score: Decimal


class DashboardOut(Schema):
    year: int
    today: dt.date
    totals: Totals
    lights: list[BarOut] = Field(description="在办事项按预警灯：red、yellow、green")
    overdue_units: list[BarOut] = Field(description="超期事项最多的单位（主办或协办），从多到少，最多 15 个")
    overdue_unit_count: int = Field(description="有超期事项的单位数")
    kinds: list[BarOut] = Field(description="本年度交办事项按类别")
    leaders: list[BarOut] = Field(description="本年度交办事项按分管领导；分管领导本人排在最前")
    months: list[BarOut] = Field(description="本年度每月交办（assigned）与办结（closed）")
    plans: list[BarOut] = Field(description="最近的分解方案及整改率（key 为方案 id）")
    lower_orgs: list[LowerOrgOut] = Field(description="下级办理情况")
    circulars: list[CircularOut] | None = Field(description="最新印发的督查通报；未启用通报功能时为 null")
    ranking: list[RankOut] | None = Field(description="最新公布的考核排名；未启用考核功能时为 null")


def _query(url: str) -> str:
    return url.partition("?")[2]


def _bar(b: selectors.Bar, *, plan=False) -> dict:
    return {"key": b.key, "label": b.label, "values": b.values, "rate": b.rate, "mine": b.mine,
            "queries": {} if plan else {k: _query(v) for k, v in b.urls.items()}}


@router.get("/dashboard", response={200: DashboardOut, **errors(400, 401, 403)}, summary="督查驾驶舱数据")
def dashboard(request, params: Query[DashboardQuery]):
    """领导和督查室的驾驶舱数据，与页面相同：本年度交办、办结与按期办结率，在办事项预警，超期单位，
    按类别、按分管领导，每月趋势，分解方案整改率，下级办理情况，最新通报与考核排名。只统计您可以看到的
    事项（涉密事项仅计入您知悉的）。单位人员无驾驶舱，返回 403。"""
    user = request.auth
    if not selectors.may_read(user):
        raise PermissionDenied("督查驾驶舱仅供领导和督查室使用")
    d = selectors.dashboard(user, year=params.year, with_worklist=False)
    return {
        "year": d.year, "today": d.today, "totals": d.totals,
        "lights": [_bar(b) for b in d.lights], "overdue_units": [_bar(b) for b in d.overdue_units],
        "overdue_unit_count": d.overdue_unit_count, "kinds": [_bar(b) for b in d.kinds],
        "leaders": [_bar(b) for b in d.leaders], "months": [_bar(b) for b in d.months],
        "plans": [_bar(b, plan=True) for b in d.plans],
        "lower_orgs": [{**vars(o), "rate": o.rate} for o in d.lower_orgs],
        "circulars": d.circulars, "ranking": d.ranking,
    }
