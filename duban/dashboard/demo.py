"""Demo data for the dashboard: a year of work behind the figures, so the charts have months,
units, kinds and leaders to show. Made through the items services at past dates, as people would
have done it: registered, signed for, reported, reviewed and closed (some on time, some late),
some still open and past their deadline.

    from duban.dashboard.demo import seed_demo
    seed_demo(org)              # the demo city (after duban.demo.seed.create_demo_org)
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from duban.items import services as svc
from duban.items.models import Item, ItemKind, Report, Urgency
from duban.orgs.models import Unit, User

PREFIX = "（年度督查）"
# (unit code, short name): 住建局 carries the most work, as the busiest bureau of a city does.
UNITS = [("zjj", "住建局"), ("jtj", "交通局"), ("zjj", "住建局"), ("sthj", "生态环境局"), ("fgw", "发改委"),
         ("scj", "市场监管局"), ("zjj", "住建局"), ("wjw", "卫健委"), ("jyj", "教育局"), ("zrj", "自然资源局")]
KINDS = [ItemKind.INSTRUCTION, ItemKind.MEETING_DECISION, ItemKind.ANNUAL_KEY_TASK, ItemKind.DEPUTY_SUGGESTION,
         ItemKind.POLICY_DOCUMENT, ItemKind.PETITION, ItemKind.CPPCC_PROPOSAL, ItemKind.MEDIA_CONCERN]
TOPICS = ["城区道路积水点改造", "农贸市场环境整治", "老旧小区改造进度", "校园周边交通安全", "餐饮油烟扰民治理",
          "重点项目开工手续", "背街小巷路灯修复", "农村饮用水安全", "建筑工地扬尘管控", "社区卫生服务站建设",
          "公交站台无障碍改造", "物业服务投诉处理"]


def _at(day: dt.date, hour=10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _file(item, liaison, unit_head, kind, body, day, hour):
    r = svc.draft_report(item.id, liaison, kind=kind, body=body, now=_at(day, hour))
    svc.send_report_to_head(r.id, liaison, now=_at(day, hour))
    svc.approve_report(r.id, unit_head, comment="同意报送。", now=_at(day, hour))
    svc.submit_report(r.id, liaison, now=_at(day, hour))


@transaction.atomic
def seed_demo(org, *, now=None, count: int = 36) -> int:
    """``count`` items registered between 1 January and last week (idempotent: does nothing if the
    year's demo items exist). Returns the number of items made."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if Item.objects.filter(org=org, title__startswith=PREFIX).exists():
        return 0
    people = {u.username: u for u in User.objects.filter(org=org)}
    units = {u.short_name: u for u in Unit.objects.filter(org=org)}
    sup, head = people["duchayuan"], people["duchashi_zhuren"]
    leaders = [people["fushizhang_liu"], people["fushizhang_zhao"]]
    last = today - dt.timedelta(days=7)
    first = dt.date(today.year, 1, 5) if today.month > 2 else today - dt.timedelta(days=120)
    span = max(1, (last - first).days)
    made = 0
    for i in range(count):
        day = first + dt.timedelta(days=span * i // count)
        if day.weekday() >= 5:
            day -= dt.timedelta(days=day.weekday() - 4)
        code, short = UNITS[i % len(UNITS)]
        leader = leaders[i % 2]
        fields = svc.DraftFields(
            title=f"{PREFIX}{TOPICS[i % len(TOPICS)]}（{i + 1}）", content="请按要求办理并按时报送办理情况。",
            kind=KINDS[i % len(KINDS)], urgency=Urgency.NORMAL if i % 3 else Urgency.URGENT,
            lead_unit=units[short], co_units=[], responsible_leader=leader,
        )
        item = svc.create_draft(org, sup, fields, now=_at(day, 9))
        svc.submit_proposal(item.id, sup, now=_at(day, 9))
        item = svc.approve_proposal(item.id, leader, comment="同意立项。", now=_at(day, 10))
        made += 1
        outcome = i % 6
        if outcome == 5:
            continue  # assigned, waiting to be signed for
        liaison, unit_head = people[f"{code}_lly"], people[f"{code}_fzr"]
        svc.accept(item.id, liaison, responsible_person=liaison.display_name, now=_at(day, 15))
        if outcome == 4:
            continue  # in progress: past its deadline unless recent
        # 0-2 closed within days, well on time; 3 closed ten days after its deadline
        done = day + dt.timedelta(days=6 + i % 4) if outcome < 3 else item.deadline + dt.timedelta(days=10)
        if done >= today:
            continue
        if done > item.deadline:  # past the deadline a unit explains itself first (seed 000 art. 4(4))
            _file(item, liaison, unit_head, Report.Kind.EXPLANATION, "因协调事项较多未能按期办结，现说明如下。", done, 8)
        _file(item, liaison, unit_head, Report.Kind.COMPLETION, "已办结，详见附件。", done, 9)
        svc.review(item.id, sup, accept=True, criteria=dict.fromkeys(svc.REVIEW_CRITERIA, True),
                   comment="同意办结。", now=_at(done, 11))
        svc.close(item.id, leader, text="同意办结。", now=_at(done, 16))
        if outcome == 0 and i % 4 == 0:
            svc.archive(item.id, head, now=_at(done, 17))
    return made
