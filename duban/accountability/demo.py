"""Demo data for the accountability ladder: two circulars of the first half year name units for
criticism, so the demo shows 交通局 at the second rung (约谈, 取消评先评优资格) and 卫健委 at the
first (书面检查, a tracked item). Everything goes through the circulars' services, so the
sanctions are written by the ladder itself.

    from duban.accountability.demo import seed_demo; seed_demo(org)
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from duban.circulars import services as csvc
from duban.orgs.models import Role, Unit, User

from .models import Sanction


FIRST_FACTS = "城区道路“白改黑”工程在督办令下达后仍无明显进展，3件事项超期未办结"


def _at(day: dt.date, hour=10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _month_before(day: dt.date) -> tuple[dt.date, dt.date]:
    end = day.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def first_half_days(now) -> tuple[dt.date, dt.date]:
    """Two days of the first half year that are in the past (early March and early May)."""
    today = timezone.localdate(now)
    return (min(dt.date(today.year, 3, 5), today - dt.timedelta(days=40)),
            min(dt.date(today.year, 5, 8), today - dt.timedelta(days=10)))


def seed_demo(org, *, now=None) -> list[Sanction]:
    """Idempotent: does nothing if its circulars were issued already. Run it before any demo that
    issues circulars dated today: these are dated earlier in the year, and numbers follow issue order."""
    from duban.circulars.models import Mention

    now = now or timezone.now()
    if Mention.objects.filter(circular__org=org, facts=FIRST_FACTS).exists():
        return []
    office = User.objects.filter(org=org, role=Role.SUPERVISOR).order_by("id").first()
    principal = User.objects.filter(org=org, role=Role.PRINCIPAL_LEADER).order_by("id").first()
    units = {u.short_name: u for u in Unit.objects.filter(org=org)}
    if office is None or principal is None or not {"交通局", "卫健委", "教育局"} <= set(units):
        return []
    march, may = first_half_days(now)
    plan = [
        (march, [("criticism", "交通局", FIRST_FACTS)],
         [("praise", "教育局", "义务教育学校课后服务全覆盖提前完成，报送及时、材料规范")]),
        (may, [("criticism", "交通局", "公交线网优化事项超期20个工作日未报送情况说明"),
               ("criticism", "卫健委", "基层医疗机构改造事项连续两次缺报月度进展")], []),
    ]
    for day, criticisms, praises in plan:
        start, end = _month_before(day)
        at = _at(day)
        c = csvc.draft_circular(org, office, kind="monthly", period_start=start, period_end=end, now=at)
        for kind, short, facts in criticisms + praises:
            csvc.add_mention(c.id, office, unit=units[short], kind=kind, facts=facts, now=at)
        csvc.submit(c.id, office, now=at)
        csvc.approve(c.id, principal, comment="同意印发。", now=at)
        csvc.issue(c.id, office, now=at)
    return list(Sanction.objects.filter(org=org))
