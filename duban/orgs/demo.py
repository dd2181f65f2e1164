"""The demo organisation: a municipal government with its supervision office, departments, two
districts, leaders, and a liaison and a head in every unit. Fixed passwords, for the demo only."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .models import Organization, Role, Unit, User

DEMO_PASSWORD = "duban-demo-2026"

DEPARTMENTS = [
    ("fgw", "市发展和改革委员会", "发改委"),
    ("jyj", "市教育局", "教育局"),
    ("gaj", "市公安局", "公安局"),
    ("czj", "市财政局", "财政局"),
    ("rsj", "市人力资源和社会保障局", "人社局"),
    ("zrj", "市自然资源和规划局", "自然资源局"),
    ("sthj", "市生态环境局", "生态环境局"),
    ("zjj", "市住房和城乡建设局", "住建局"),
    ("jtj", "市交通运输局", "交通局"),
    ("wjw", "市卫生健康委员会", "卫健委"),
    ("scj", "市市场监督管理局", "市场监管局"),
]
DISTRICTS = [
    ("dc", "东城区人民政府", "东城区", [("dc_zjj", "东城区住房和城乡建设局", "东城住建局"), ("dc_jyj", "东城区教育局", "东城教育局")]),
    ("xc", "西城区人民政府", "西城区", [("xc_zjj", "西城区住房和城乡建设局", "西城住建局"), ("xc_sthj", "西城区生态环境局", "西城生态环境局")]),
]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = ["建华", "丽娟", "志强", "海燕", "伟", "静", "敏", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"]


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


@transaction.atomic
def create_demo_org() -> tuple[Organization, list[tuple[str, str, str, str]]]:
    """Create (or find) the demo organisation; return it and rows of (username, name, role, unit)."""
    from duban.deadlines.services import install_presets

    org, _ = Organization.objects.get_or_create(name="江川市人民政府", defaults={"short_name": "江川市", "number_prefix": "督"})
    install_presets(org)
    people: list[tuple[str, str, str, str]] = []
    counter = iter(range(20, 1000))

    def person(username, role, unit, full_name=None, title="", superuser=False):
        user, created = User.objects.get_or_create(
            username=username,
            defaults=dict(full_name=full_name or _name(next(counter)), role=role, unit=unit, org=org, title=title),
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = superuser
            user.save()
        people.append((username, user.full_name, Role(role).label, unit.name if unit else "—"))
        return user

    def unit(name, short, kind, order, parent=None):
        u, _ = Unit.objects.get_or_create(org=org, name=name, defaults=dict(short_name=short, kind=kind, order=order, parent=parent))
        return u

    office = unit("市政府督查室", "督查室", Unit.Kind.OFFICE, 1)
    leadership = unit("市政府领导", "市领导", Unit.Kind.LEADERSHIP, 2)
    person("admin", Role.ADMIN, office, "系统管理员", superuser=True)
    person("duchashi_zhuren", Role.OFFICE_HEAD, office, "王敏", "督查室主任")
    person("duchayuan", Role.SUPERVISOR, office, "李静", "督查员")
    person("duchayuan2", Role.SUPERVISOR, office, "周涛", "督查员")
    person("shizhang", Role.PRINCIPAL_LEADER, leadership, "陈建国", "市长")
    person("fushizhang_liu", Role.RESPONSIBLE_LEADER, leadership, "刘洋", "常务副市长")
    person("fushizhang_zhao", Role.RESPONSIBLE_LEADER, leadership, "赵文", "副市长")
    for order, (code, name, short) in enumerate(DEPARTMENTS, start=10):
        u = unit(name, short, Unit.Kind.DEPARTMENT, order)
        person(f"{code}_lly", Role.LIAISON, u, title="联络员")
        person(f"{code}_fzr", Role.UNIT_HEAD, u, title="主要负责人")
    for order, (code, name, short, subs) in enumerate(DISTRICTS, start=50):
        d = unit(name, short, Unit.Kind.DISTRICT, order)
        person(f"{code}_lly", Role.LIAISON, d, title="联络员")
        person(f"{code}_fzr", Role.UNIT_HEAD, d, title="区长")
        for sub_order, (scode, sname, sshort) in enumerate(subs, start=1):
            s = unit(sname, sshort, Unit.Kind.DEPARTMENT, order * 10 + sub_order, parent=d)
            person(f"{scode}_lly", Role.LIAISON, s, title="联络员")
            person(f"{scode}_fzr", Role.UNIT_HEAD, s, title="主要负责人")
    return org, people


def create_demo_items(org: Organization, *, now=None) -> int:
    """A handful of items in every state, made through the same services a person uses."""
    from duban.items import services as svc
    from duban.items.models import Item, ItemKind, Report, Urge, Urgency

    if Item.objects.filter(org=org).exists():
        return 0
    now = now or timezone.now()
    u = {x.username: x for x in User.objects.filter(org=org)}
    units = {x.short_name: x for x in Unit.objects.filter(org=org)}
    sup, head, liu, zhao = u["duchayuan"], u["duchashi_zhuren"], u["fushizhang_liu"], u["fushizhang_zhao"]
    earlier = now - dt.timedelta(days=20)

    def draft(title, content, kind, urgency, lead, co, leader, when=earlier, **kw):
        return svc.create_draft(org, sup, svc.DraftFields(
            title=title, content=content, kind=kind, urgency=urgency, lead_unit=units[lead],
            co_units=[units[c] for c in co], responsible_leader=leader, **kw), now=when)

    def register(item, leader, when=earlier):
        svc.submit_proposal(item.id, sup, now=when)
        return svc.approve_proposal(item.id, leader, comment="同意立项。", now=when)

    def file(item, liaison, unit_head, kind, body, when):
        r = svc.draft_report(item.id, u[liaison], kind=kind, body=body, now=when)
        svc.send_report_to_head(r.id, u[liaison], now=when)
        svc.approve_report(r.id, u[unit_head], comment="同意报送。", now=when)
        return svc.submit_report(r.id, u[liaison], now=when)

    n = 0
    draft("关于推进老旧小区加装电梯工作的督查事项", "请市住建局牵头，会同各区制定年度加装电梯计划并按月推进。",
          ItemKind.ANNUAL_KEY_TASK, Urgency.NORMAL, "住建局", ["东城区", "西城区"], liu, when=now); n += 1

    it = draft("陈市长关于城区内涝点整治的批示", "对今年汛期暴露的12处内涝点逐一制定整治方案，汛前完成。",
               ItemKind.INSTRUCTION, Urgency.URGENT, "住建局", ["交通局"], liu, when=now)
    svc.submit_proposal(it.id, sup, now=now); n += 1

    it = draft("市政府常务会议确定的中小学食堂食品安全专项检查", "开展全市中小学食堂食品安全专项检查，形成检查报告。",
               ItemKind.MEETING_DECISION, Urgency.NORMAL, "市场监管局", ["教育局"], zhao)
    register(it, zhao); n += 1

    it = draft("关于加快重点项目前期手续办理的督查事项", "梳理全市重点项目前期手续办理堵点，建立台账，逐项销号。",
               ItemKind.ANNUAL_KEY_TASK, Urgency.IMPORTANT, "发改委", ["自然资源局", "生态环境局"], liu)
    register(it, liu)
    svc.accept(it.id, u["fgw_lly"], responsible_person="孙志强", responsible_phone="0931-8000001", now=earlier)
    svc.accept_as_co(it.id, u["zrj_lly"], responsible_person="何海燕", now=earlier)
    file(it, "fgw_lly", "fgw_fzr", Report.Kind.PROGRESS, "已梳理重点项目38个，建立前期手续台账，已办结21项。", earlier + dt.timedelta(days=5))
    svc.log_urge(it.id, sup, method=Urge.Method.PHONE, contact_person="孙志强",
                 summary="电话询问台账进度，对方称本周内报送第二次进展。", now=earlier + dt.timedelta(days=8)); n += 1

    it = draft("人大代表关于增设城区公交线路的建议（第15号）", "研究增设城东新区至火车站公交线路的可行性并答复代表。",
               ItemKind.DEPUTY_SUGGESTION, Urgency.NORMAL, "交通局", [], zhao)
    register(it, zhao)
    svc.accept(it.id, u["jtj_lly"], responsible_person="马勇", now=earlier)
    file(it, "jtj_lly", "jtj_fzr", Report.Kind.COMPLETION, "已于11月开通K15路，并当面答复代表，代表表示满意。", earlier + dt.timedelta(days=10)); n += 1

    it = draft("关于做好今冬明春供暖保障工作的督查事项", "确保供暖按时启动，建立投诉快速处置机制。",
               ItemKind.POLICY_DOCUMENT, Urgency.URGENT, "住建局", [], liu)
    register(it, liu)
    svc.accept(it.id, u["zjj_lly"], responsible_person="罗明", now=earlier)
    file(it, "zjj_lly", "zjj_fzr", Report.Kind.COMPLETION, "全市供暖已于11月15日按时启动，投诉处置率100%。", earlier + dt.timedelta(days=3))
    svc.review(it.id, sup, accept=True, criteria=dict.fromkeys(svc.REVIEW_CRITERIA, True), comment="材料齐全，同意办结。", now=earlier + dt.timedelta(days=4))
    svc.close(it.id, liu, text="同意办结。", now=earlier + dt.timedelta(days=5))
    svc.archive(it.id, head, now=earlier + dt.timedelta(days=6)); n += 1
    return n
