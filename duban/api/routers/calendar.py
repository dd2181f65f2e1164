"""Working-day arithmetic over the official calendar (``duban.deadlines``)."""

from __future__ import annotations

from ninja import Query, Router

from duban.deadlines import services as deadlines

from ..errors import errors
from ..schemas import WorkingDaysOut, WorkingDaysQuery

router = Router(tags=["日历"])


@router.get("/calendar/add-working-days", response={200: WorkingDaysOut, **errors(400, 401)},
            summary="起算日后第 N 个工作日")
def add_working_days(request, params: Query[WorkingDaysQuery]):
    """起算日不计入（《民法典》第二百零一条）；法定节假日与调休按国务院办公厅公布的安排。
    结果用到尚未公布安排的年度时，`provisional` 为 true，暂按周一至周五计算，`provisional_years` 列出这些年度。"""
    result = deadlines.add_working_days(params.start, params.days)
    return {
        "start": params.start, "days": params.days, "date": result.date,
        "provisional": result.provisional, "provisional_years": list(result.provisional_years),
    }
