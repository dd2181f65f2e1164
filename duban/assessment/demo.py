"""Demo data for the assessment: a few records of the first half year (an item left overdue with
its 催办单 and 督办令, an item returned for rework and closed 不满意, one closed early 满意), the
accountability demo's circulars, and the mid-year assessment run on them, adjusted with a reason,
approved by the mayor and published. All through the services.

    from duban.assessment.demo import seed_demo; seed_demo(org)
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from duban.deadlines.services import shift_working_days
from duban.items import services as svc
from duban.items.models import ItemKind, Report, Satisfaction, Urgency
from duban.orgs.models import Role, Unit, User
from duban.urging import ladder
from duban.urging.models import LadderStep

from . import services
from .models import Assessment

ALL = dict.fromkeys(svc.REVIEW_CRITERIA, True)


def _at(day: dt.date, hour=10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _people(org):
    by_role = lambda role: User.objects.filter(org=org, role=role).order_by("id").first()  # noqa: E731
    return by_role(Role.SUPERVISOR), by_role(Role.PRINCIPAL_LEADER), by_role(Role.RESPONSIBLE_LEADER)


def _carry_to_leader(item, liaison, head, sup, when):
    svc.accept(item.id, liaison, responsible_person="张明", now=when)
    r = svc.draft_report(item.id, liaison, kind=Report.Kind.COMPLETION, body="已按要求办结，附相关材料。", now=when)
    svc.send_report_to_head(r.id, liaison, now=when)
    svc.approve_report(r.id, head, comment="同意报送。", now=when)
    svc.submit_report(r.id, liaison, now=when)


def _records(org, start: dt.date, sup, leader):
    """Three items of the first half year, each leaving a record the scheme scores."""
    units = {u.short_name: u for u in Unit.objects.filter(org=org)}
    person = lambda unit, role: User.objects.filter(unit=unit, role=role).first()  # noqa: E731

    def draft(title, short, when, deadline):
        f = svc.DraftFields(title=title, content="按要求办理并报送结果。", kind=ItemKind.MEETING_DECISION,
                            urgency=Urgency.NORMAL, lead_unit=units[short], co_units=[], responsible_leader=leader,
                            deadline=deadline, deadline_override_reason="按会议要求的时间节点")
        item = svc.create_draft(org, sup, f, now=when)
        svc.submit_proposal(item.id, sup, now=when)
        return svc.approve_proposal(item.id, leader, comment="同意立项。", now=when)

    # 交通局: past its deadline, urged by the ladder's 催办单 and 督办令, still open.
    d0 = start + dt.timedelta(days=1)
    stalled = draft("关于城区道路“白改黑”工程推进的督查事项", "交通局", _at(d0), d0 + dt.timedelta(days=18))
    svc.accept(stalled.id, person(units["交通局"], Role.LIAISON), responsible_person="赵刚", now=_at(d0))
    for preset in ("t+3", "t+10"):
        step = LadderStep.objects.get(org=org, preset=preset)
        fire_day = shift_working_days(stalled.deadline, step.offset_working_days)
        ladder.fire(stalled.id, step, stalled.deadline, now=_at(fire_day, 9))
    # 住建局: its report returned once, closed before the deadline, rated 不满意.
    d1 = start + dt.timedelta(days=30)
    reworked = draft("关于老旧小区加装电梯工作的督查事项", "住建局", _at(d1), d1 + dt.timedelta(days=60))
    lly, fzr = person(units["住建局"], Role.LIAISON), person(units["住建局"], Role.UNIT_HEAD)
    _carry_to_leader(reworked, lly, fzr, sup, _at(d1 + dt.timedelta(days=10)))
    svc.review(reworked.id, sup, accept=False, criteria=ALL, comment="缺少完工验收材料，请补充后重报。",
               now=_at(d1 + dt.timedelta(days=11)))
    r = svc.draft_report(reworked.id, lly, kind=Report.Kind.COMPLETION, body="已补充验收材料。",
                         now=_at(d1 + dt.timedelta(days=15)))
    svc.send_report_to_head(r.id, lly, now=_at(d1 + dt.timedelta(days=15)))
    svc.approve_report(r.id, fzr, now=_at(d1 + dt.timedelta(days=15)))
    svc.submit_report(r.id, lly, now=_at(d1 + dt.timedelta(days=15)))
    svc.review(reworked.id, sup, accept=True, criteria=ALL, now=_at(d1 + dt.timedelta(days=16)))
    svc.close(reworked.id, leader, text="同意办结，但进度偏慢。", satisfaction=Satisfaction.DISSATISFIED,
              now=_at(d1 + dt.timedelta(days=17)))
    # 教育局: closed early, rated 满意.
    d2 = start + dt.timedelta(days=45)
    early = draft("关于义务教育课后服务全覆盖的督查事项", "教育局", _at(d2), d2 + dt.timedelta(days=60))
    _carry_to_leader(early, person(units["教育局"], Role.LIAISON), person(units["教育局"], Role.UNIT_HEAD), sup,
                     _at(d2 + dt.timedelta(days=20)))
    svc.review(early.id, sup, accept=True, criteria=ALL, now=_at(d2 + dt.timedelta(days=21)))
    svc.close(early.id, leader, text="同意办结，工作扎实。", satisfaction=Satisfaction.SATISFIED,
              now=_at(d2 + dt.timedelta(days=22)))


def seed_demo(org, *, now=None) -> Assessment | None:
    """A published mid-year assessment of the demo year (idempotent: None if one exists)."""
    from duban.accountability.demo import seed_demo as accountability_demo

    now = now or timezone.now()
    today = timezone.localdate(now)
    year = today.year
    if Assessment.objects.filter(org=org, year=year, kind=Assessment.Kind.MID_YEAR).exists():
        return None
    sup, principal, leader = _people(org)
    if sup is None or principal is None or leader is None:
        return None
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 6, 30), today - dt.timedelta(days=5))
    if (end - start).days < 120:
        return None  # too early in the year for a mid-year assessment with records in it
    _records(org, dt.date(year, 2, 2), sup, leader)
    accountability_demo(org, now=now)
    run_at = _at(min(dt.date(year, 7, 3), today - dt.timedelta(days=4)))
    a = services.run(org, sup, kind=Assessment.Kind.MID_YEAR, year=year, period_start=start, period_end=end,
                     now=run_at)
    unit = Unit.objects.get(org=org, short_name="生态环境局")
    services.adjust(a.id, sup, unit_id=unit.id, points="2", reason="牵头完成省级环保督察反馈问题整改，经督查室研究加2分",
                    now=run_at)
    services.submit(a.id, sup, now=run_at)
    services.approve(a.id, principal, comment="同意，按程序发布。", now=run_at + dt.timedelta(days=1))
    return services.publish(a.id, sup, now=run_at + dt.timedelta(days=2))
