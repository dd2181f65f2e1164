"""The demo organisation: a municipal government with its supervision office, departments, two
districts, leaders, and a liaison and a head in every unit. Fixed passwords, for the demo only.

东城区 is a lower organisation of its own (一级抓一级, seed 001 arts. 3, 5): the city's unit
"东城区人民政府" stands for it, and the district's office, leaders and departments work in their own
organisation, with their own number series (东督〔2026〕N号). 西城区 stays a plain unit of the city,
with its liaison and head in the city's organisation, so the demo shows both ways of handling a
district."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from duban.orgs.models import Organization, Role, Unit, User

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
# Districts that are organisations of their own: (number prefix, office, leaders' unit,
# (username, role, full name, title) of the office and the leaders).
LOWER_ORGS = {
    "dc": ("东督", "东城区政府督查室", "东城区政府领导", [
        ("dc_duchashi_zhuren", Role.OFFICE_HEAD, "孙丽娟", "区政府督查室主任"),
        ("dc_duchayuan", Role.SUPERVISOR, "何志强", "督查员"),
        ("dc_quzhang", Role.PRINCIPAL_LEADER, "高建华", "区长"),
        ("dc_fuquzhang", Role.RESPONSIBLE_LEADER, "林海燕", "副区长"),
    ]),
}
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = ["建华", "丽娟", "志强", "海燕", "伟", "静", "敏", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"]


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


@transaction.atomic
def create_demo_org() -> tuple[Organization, list[tuple[str, str, str, str, str]]]:
    """Create (or find) the demo organisation and its lower organisations; return the city and rows
    of (username, name, role, unit, organisation)."""
    from duban.deadlines.services import install_presets

    org, _ = Organization.objects.get_or_create(name="江川市人民政府", defaults={"short_name": "江川市", "number_prefix": "督"})
    install_presets(org)
    people: list[tuple[str, str, str, str, str]] = []
    counter = iter(range(20, 1000))

    def person(username, role, unit, full_name=None, title="", superuser=False):
        place = dict(role=role, unit=unit, org=unit.org)
        user, created = User.objects.get_or_create(
            username=username, defaults=dict(full_name=full_name or _name(next(counter)), title=title, **place),
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = superuser
            user.save()
        elif (user.role, user.unit_id, user.org_id) != (role, unit.id, unit.org_id):
            # A demo database seeded before 东城区 became an organisation: move the person there.
            User.objects.filter(pk=user.pk).update(**place)
        people.append((username, user.full_name, Role(role).label, unit.name, unit.org.short_name or unit.org.name))
        return user

    def unit(name, short, kind, order, parent=None, of=None, org_link=None):
        u, _ = Unit.objects.get_or_create(org=of or org, name=name, defaults=dict(
            short_name=short, kind=kind, order=order, parent=parent, org_link=org_link))
        if org_link is not None and u.org_link_id != org_link.id:
            u.org_link = org_link
            u.save()
        return u

    def lower_org(code, name, short):
        """A district with its own office, leaders and departments; the city's unit stands for it."""
        prefix, office_name, leaders_name, staff = LOWER_ORGS[code]
        lower, _ = Organization.objects.get_or_create(
            name=name, defaults={"short_name": short, "number_prefix": prefix, "parent": org})
        install_presets(lower)
        office = unit(office_name, "督查室", Unit.Kind.OFFICE, 1, of=lower)
        leaders = unit(leaders_name, "区领导", Unit.Kind.LEADERSHIP, 2, of=lower)
        for username, role, full_name, title in staff:
            person(username, role, office if role in (Role.OFFICE_HEAD, Role.SUPERVISOR) else leaders, full_name, title)
        return lower

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
        if code in LOWER_ORGS:
            lower = lower_org(code, name, short)
            unit(name, short, Unit.Kind.DISTRICT, order, org_link=lower)
            for sub_order, (scode, sname, sshort) in enumerate(subs, start=10):
                s = unit(sname, sshort, Unit.Kind.DEPARTMENT, sub_order, of=lower)
                person(f"{scode}_lly", Role.LIAISON, s, title="联络员")
                person(f"{scode}_fzr", Role.UNIT_HEAD, s, title="主要负责人")
            continue
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
    n += _send_down_to_the_district(org, draft, register, now)
    return n


def _send_down_to_the_district(org, draft, register, now) -> int:
    """An item the city assigns to 东城区, which is an organisation of its own: the district office
    signs for it in the unit's name, registers it in its own series under the district's number,
    the district leader approves, the district's 住建局 signs for it, and the district files a
    progress report upward through its office head (一级抓一级, seed 001 arts. 3, 5)."""
    from duban.items import services as svc
    from duban.items.models import ItemKind, Report, Urgency

    lower_org = Unit.objects.get(org=org, short_name="东城区").org_link
    if lower_org is None:
        return 0
    u = {x.username: x for x in User.objects.filter(org=lower_org)}
    units = {x.short_name: x for x in Unit.objects.filter(org=lower_org)}
    sup, head, leader = u["dc_duchayuan"], u["dc_duchashi_zhuren"], u["dc_fuquzhang"]
    sent = now - dt.timedelta(days=6)
    it = draft("关于开展城镇燃气安全专项整治的督查事项", "全面排查老旧燃气管网和餐饮场所燃气安全隐患，建立台账，限期整改到位，按月报送进展。",
               ItemKind.MEETING_DECISION, Urgency.IMPORTANT, "东城区", [], User.objects.get(username="fushizhang_liu"),
               when=sent)
    register(it, it.responsible_leader, when=sent)
    svc.accept(it.id, sup, responsible_person="何志强", responsible_phone="0931-8600001", now=sent)
    # Registered the next day: the district's own rule would run a day past the city's deadline,
    # so the draft takes the city's date ("按上级交办时限").
    lower = svc.register_lower(it.id, sup, now=sent + dt.timedelta(days=1))
    svc.update_draft(lower.id, sup, svc.DraftFields(
        title=lower.title, content=lower.content, kind=lower.kind, urgency=lower.urgency,
        lead_unit=units["东城住建局"], co_units=[units["东城教育局"]], responsible_leader=leader,
        deadline=lower.deadline, deadline_override_reason=lower.deadline_override_reason,
        source_text=lower.source_text), now=sent + dt.timedelta(days=1))
    svc.submit_proposal(lower.id, sup, now=sent + dt.timedelta(days=1))
    svc.approve_proposal(lower.id, leader, comment="同意，按市里要求抓紧落实。", now=sent + dt.timedelta(days=1))
    svc.accept(lower.id, u["dc_zjj_lly"], responsible_person="梁敏", now=sent + dt.timedelta(days=2))
    r = svc.draft_report(it.id, sup, kind=Report.Kind.PROGRESS, now=sent + dt.timedelta(days=4),
                         body="已登记为区级督查事项并交区住建局牵头办理，已排查燃气管网23公里、餐饮场所146家，发现隐患31处，已整改12处。")
    svc.send_report_to_head(r.id, sup, now=sent + dt.timedelta(days=4))
    svc.approve_report(r.id, head, comment="同意报送。", now=sent + dt.timedelta(days=4))
    svc.submit_report(r.id, sup, now=sent + dt.timedelta(days=4))
    return 1
