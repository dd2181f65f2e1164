#!/usr/bin/env python
"""Fill a PostgreSQL database with three years of a city's supervision work, for the benchmarks.

    DATABASE_URL=postgres://postgres@localhost:5432/duban_bench \
        .venv/bin/python bench/generate.py --units 300 --items 100000

One organisation (江川市人民政府) with its supervision office, a principal and eight responsible
leaders, ``--units`` units (municipal departments and companies, districts and their bureaus and
sub-districts) each with a liaison and a head, and ``--items`` items drafted over the three years
before ``--today``. Every item is played forward, action by action, by a small simulator that
applies the preconditions of ``duban/items/services.py`` (status, who acts, explanation before
anything else once overdue, extension only before the deadline, numbers from the year's series),
so the rows are those the services would have written. Calling the services 100,000 times would
take hours, and Django's ``bulk_create`` about 4 ms an item here, so the people and units go in with
``bulk_create`` and the item rows with PostgreSQL's COPY, in batches, from a writer thread while the
next batch is played. At the end the app's own escalation-ladder sweep runs once for the last day.
The same seed and ``--today`` give the same database.
"""

from __future__ import annotations

import argparse
import json
import datetime as dt
import itertools
import os
import random
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from duban.deadlines import services as deadlines  # noqa: E402
from duban.deadlines.loader import invalidate_calendar  # noqa: E402
from duban.deadlines.models import CalendarYear, DeadlineRule  # noqa: E402
from duban.items import chain  # noqa: E402
from duban.items.models import (  # noqa: E402
    Assignment,
    ChainHead,
    Event,
    ExtensionRequest,
    Instruction,
    Item,
    ItemKind,
    NumberSeries,
    Report,
    Review,
    Status,
    Urge,
    Urgency,
)
from duban.items.services import format_number  # noqa: E402
from duban.demo.seed import DEMO_PASSWORD, GIVEN, SURNAMES  # noqa: E402
from duban.orgs.models import Organization, Role, Unit, User  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
S = Status
OPEN = {S.ASSIGNED, S.DECLINED, S.IN_PROGRESS, S.UNDER_REVIEW, S.PENDING_LEADER}
ACTIVE = {S.ASSIGNED, S.IN_PROGRESS, S.UNDER_REVIEW, S.PENDING_LEADER}
DAY = dt.timedelta(days=1)
BATCH_ITEMS = 2000

# --- the organisation ------------------------------------------------------------------------------

DEPARTMENTS = [
    ("市发展和改革委员会", "发改委"), ("市教育局", "教育局"), ("市科学技术局", "科技局"),
    ("市工业和信息化局", "工信局"), ("市公安局", "公安局"), ("市民政局", "民政局"), ("市司法局", "司法局"),
    ("市财政局", "财政局"), ("市人力资源和社会保障局", "人社局"), ("市自然资源和规划局", "自然资源局"),
    ("市生态环境局", "生态环境局"), ("市住房和城乡建设局", "住建局"), ("市交通运输局", "交通局"),
    ("市水务局", "水务局"), ("市农业农村局", "农业农村局"), ("市商务局", "商务局"),
    ("市文化广电和旅游局", "文旅局"), ("市卫生健康委员会", "卫健委"), ("市退役军人事务局", "退役军人局"),
    ("市应急管理局", "应急局"), ("市审计局", "审计局"), ("市人民政府国有资产监督管理委员会", "国资委"),
    ("市市场监督管理局", "市场监管局"), ("市体育局", "体育局"), ("市统计局", "统计局"), ("市医疗保障局", "医保局"),
    ("市城市管理局", "城管局"), ("市林业和草原局", "林草局"), ("市信访局", "信访局"),
    ("市行政审批服务局", "行政审批局"), ("市大数据管理局", "大数据局"), ("市机关事务管理局", "机关事务局"),
    ("市地方金融管理局", "金融局"), ("市外事办公室", "外事办"), ("市民族宗教事务局", "民宗局"),
    ("市粮食和物资储备局", "粮储局"), ("市人民防空办公室", "人防办"), ("市投资促进局", "投促局"),
    ("市乡村振兴局", "乡村振兴局"), ("市住房公积金管理中心", "公积金中心"), ("市消防救援支队", "消防支队"),
    ("市气象局", "气象局"), ("市税务局", "税务局"), ("市供电公司", "供电公司"), ("市城市建设投资集团", "城投集团"),
    ("市交通投资集团", "交投集团"), ("市水务集团", "水务集团"), ("市公共交通集团", "公交集团"),
    ("市燃气集团", "燃气集团"), ("市文化旅游投资集团", "文旅集团"), ("市融媒体中心", "融媒体中心"),
    ("市档案馆", "档案馆"), ("市总工会", "总工会"), ("市妇女联合会", "妇联"), ("共青团市委", "团市委"),
    ("市残疾人联合会", "残联"), ("市红十字会", "红十字会"), ("市工商业联合会", "工商联"),
    ("市科学技术协会", "科协"), ("市供销合作社", "供销社"),
]
COMPANY_SHORTS = {"供电公司", "城投集团", "交投集团", "水务集团", "公交集团", "燃气集团", "文旅集团"}
DISTRICTS = [
    "东城区", "西城区", "南湖区", "北山区", "高新区", "经开区", "临江县", "青山县", "白沙县", "云溪县",
    "石门县", "安平县", "永宁县", "长乐县", "龙泉市", "清河县", "凤台县", "双桥区", "新港区", "梅岭县",
]
SUB_BUREAUS = [
    "住房和城乡建设局", "教育局", "生态环境分局", "卫生健康局", "市场监督管理局", "城市管理局", "应急管理局",
    "农业农村局", "交通运输局", "民政局", "自然资源分局", "发展和改革局", "人力资源和社会保障局", "水利局",
    "财政局", "公安分局", "商务局", "文化和旅游局",
]
SUB_DISTRICTS = ["城关街道", "东湖街道", "新华街道", "人民路街道", "解放街道", "河西镇", "青龙镇", "柳林镇"]
LEADERS = [
    ("changwu", "刘洋", "常务副市长"), ("fu1", "赵文", "副市长"), ("fu2", "孙志强", "副市长"),
    ("fu3", "周海燕", "副市长"), ("fu4", "吴建华", "副市长"), ("fu5", "郑丽娟", "副市长"),
    ("fu6", "冯伟", "副市长"), ("mishuzhang", "何明", "市政府秘书长"),
]

# --- words --------------------------------------------------------------------------------------------

TOPICS = [
    "老旧小区加装电梯", "城区内涝点整治", "中小学食堂食品安全", "重点项目前期手续办理", "营商环境优化提升",
    "农村人居环境整治", "河道黑臭水体治理", "安全生产专项整治", "拖欠农民工工资问题治理", "背街小巷环境整治",
    "中心城区停车难问题", "生活垃圾分类", "建筑工地扬尘污染治理", "高层住宅消防通道清理", "违法建设拆除",
    "城东新区公交线路优化", "社区养老服务设施建设", "义务教育学位供给", "紧密型医疗联合体建设",
    "招商引资项目落地", "城镇老旧管网改造", "农贸市场提升改造", "燃气安全隐患排查整治", "冬季清洁取暖",
    "电动自行车充电设施建设", "校园周边交通秩序整治", "政务服务一网通办", "耕地保护和永久基本农田管控",
    "城市绿道建设", "物业服务质量提升", "保障性租赁住房筹集", "企业开办便利化", "中小企业融资难",
    "地质灾害隐患点治理", "森林防火", "城区夜间照明改造", "历史文化街区保护", "菜篮子价格稳定",
    "困难群众救助帮扶", "社区卫生服务中心建设",
]
PROBLEMS = [
    "噪声扰民", "油烟污染", "道路破损", "积水内涝", "违章搭建", "垃圾清运不及时", "物业收费不规范",
    "供暖温度不达标", "停车位被占用", "施工扬尘", "路灯不亮", "占道经营", "餐饮油烟直排", "水质发黄",
]
PLACES = [f"{d}{s}" for d in ("东城区", "西城区", "南湖区", "北山区", "临江县") for s in ("城关街道", "东湖街道", "新华街道")]
SENTENCES = [
    "已召开专题会议研究部署，制定工作方案，明确责任分工和时间节点。",
    "成立工作专班，主要负责同志亲自调度，分管负责同志具体推进。",
    "已完成现场摸排，建立问题台账，实行清单化管理、销号式推进。",
    "会同相关部门开展联合检查，对发现的问题逐项督促整改。",
    "目前阶段性任务已完成，剩余事项正在按计划推进。",
    "已落实专项资金，项目进入施工阶段，预计按期完成。",
    "针对群众反映的问题，已上门沟通解释，群众表示理解。",
    "建立长效机制，将该项工作纳入年度目标考核。",
    "已形成书面报告，经单位主要负责同志审定。",
    "下一步将持续跟踪问效，确保工作取得实效。",
]
URGE_TEXT = [
    "电话询问办理进度，对方称本周内报送进展情况。", "书面通知承办单位加快办理，限期报送办理结果。",
    "到承办单位实地督办，听取情况汇报，查看现场整改情况。", "电话提醒办理时限临近，请按时报送办结报告。",
    "事项已超期，电话督促尽快报送情况说明并加快办理。",
]
EXT_REASONS = [
    "涉及多个部门协调，需履行招投标程序，难以在原定时限内完成。", "项目受天气影响，施工进度滞后。",
    "需报请上级部门审批，审批周期较长。", "涉及资金安排，需待财政预算调整后实施。",
]
DECLINE_REASONS = ["该事项不属于本单位职责范围，建议改由相关部门主办。", "经研究，该事项主要涉及其他部门职能，请督查室改派。"]
REWORK_TEXT = ["办结报告未说明问题是否彻底解决，请补充整改佐证材料后重新报送。", "群众回访不满意，请继续办理。"]
INSTRUCT_TEXT = ["请继续抓好落实，巩固整改成效，一个月后再报办理情况。", "情况已阅。请举一反三，建立长效机制后再报。"]
CLOSE_TEXT = ["同意办结。", "同意办结。请持续巩固成效。", "已阅，同意办结。"]

KIND_WEIGHTS = [
    (ItemKind.INSTRUCTION, 20), (ItemKind.MEETING_DECISION, 14), (ItemKind.POLICY_DOCUMENT, 9),
    (ItemKind.ANNUAL_KEY_TASK, 7), (ItemKind.RECTIFICATION, 7), (ItemKind.DEPUTY_SUGGESTION, 10),
    (ItemKind.CPPCC_PROPOSAL, 8), (ItemKind.PETITION, 12), (ItemKind.MEDIA_CONCERN, 7), (ItemKind.OTHER, 6),
]
URGENCY_WEIGHTS = [(Urgency.NORMAL, 65), (Urgency.URGENT, 20), (Urgency.IMPORTANT, 15)]


def pick(rng, weighted):
    return rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def person_name(i: int) -> str:
    return SURNAMES[(i * 37) % len(SURNAMES)] + GIVEN[(i * 7 + i // len(SURNAMES)) % len(GIVEN)]


def end_of(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in Beijing time: a date is past once this moment is reached."""
    return dt.datetime.combine(day + DAY, dt.time(0), TZ)


def days(x: float) -> dt.timedelta:
    return dt.timedelta(days=x)


# --- the organisation: units, people, rules --------------------------------------------------------

class Org:
    """The organisation as plain Python: ids and names the item simulator needs."""

    def __init__(self, n_units: int, rng: random.Random):
        self.rng = rng
        self.n_units = n_units

    def build(self):
        org = Organization.objects.create(name="江川市人民政府", short_name="江川市", number_prefix="督")
        self.org = org
        deadlines.install_presets(org)
        password = make_password(DEMO_PASSWORD)
        units: list[Unit] = []

        def unit(name, short, kind, order, parent=None):
            u = Unit(org=org, name=name, short_name=short, kind=kind, order=order, parent=parent)
            units.append(u)
            return u

        office = unit("市政府督查室", "督查室", Unit.Kind.OFFICE, 1)
        leadership = unit("市政府领导", "市领导", Unit.Kind.LEADERSHIP, 2)
        n_districts = max(1, min(len(DISTRICTS), round(self.n_units / 20)))
        n_depts = max(1, round(self.n_units * 0.2))
        n_subs = max(0, self.n_units - n_depts - n_districts)
        depts = []
        for i in range(n_depts):
            name, short = DEPARTMENTS[i % len(DEPARTMENTS)]
            if i >= len(DEPARTMENTS):
                name, short = f"{name}第{i // len(DEPARTMENTS) + 1}分局", f"{short}{i // len(DEPARTMENTS) + 1}"
            kind = Unit.Kind.COMPANY if short in COMPANY_SHORTS else Unit.Kind.DEPARTMENT
            depts.append(unit(name, short, kind, 10 + i))
        Unit.objects.bulk_create(units)  # parents first: sub-units point at districts
        district_units = [unit(f"{d}人民政府", d, Unit.Kind.DISTRICT, 500 + i) for i, d in enumerate(DISTRICTS[:n_districts])]
        Unit.objects.bulk_create(district_units)
        subs = []
        per = [n_subs // n_districts + (1 if i < n_subs % n_districts else 0) for i in range(n_districts)]
        names = SUB_BUREAUS + SUB_DISTRICTS
        for di, d in enumerate(district_units):
            for k in range(per[di]):
                base = names[k % len(names)]
                if k >= len(names):
                    base = f"第{k // len(names) + 1}{base}"
                subs.append(Unit(org=org, name=f"{d.short_name}{base}", short_name=f"{d.short_name[:2]}{base[:4]}",
                                 kind=Unit.Kind.DEPARTMENT, order=5000 + di * 100 + k, parent=d))
        Unit.objects.bulk_create(subs)
        self.office, self.leadership = office, leadership
        self.work_units = depts + district_units + subs

        people: list[User] = []
        counter = iter(range(10, 10_000_000))

        def user(username, role, unit, full_name=None, title="", superuser=False):
            u = User(username=username, full_name=full_name or person_name(next(counter)), role=role, unit=unit,
                     org=org, title=title, password=password, is_staff=superuser, is_superuser=superuser)
            people.append(u)
            return u

        user("admin", Role.ADMIN, office, "系统管理员", superuser=True)
        self.office_head = user("duchashi_zhuren", Role.OFFICE_HEAD, office, "王敏", "督查室主任")
        self.supervisors = [user("duchayuan", Role.SUPERVISOR, office, "李静", "督查员")]
        self.supervisors += [user(f"duchayuan{i}", Role.SUPERVISOR, office, title="督查员") for i in range(2, 5)]
        self.principal = user("shizhang", Role.PRINCIPAL_LEADER, leadership, "陈建国", "市长")
        self.leaders = [user(f"fushizhang_{code}", Role.RESPONSIBLE_LEADER, leadership, name, title)
                        for code, name, title in LEADERS]
        self.liaison, self.head = {}, {}
        for i, u in enumerate(self.work_units, start=1):
            self.liaison[u.id] = user(f"u{i:03d}_lly", Role.LIAISON, u, title="联络员")
            head_title = "区（县）长" if u.kind == Unit.Kind.DISTRICT else "主要负责人"
            self.head[u.id] = user(f"u{i:03d}_fzr", Role.UNIT_HEAD, u, title=head_title)
        User.objects.bulk_create(people, batch_size=1000)

        # Who sends work where: a few municipal departments and the district governments carry most
        # of it, so there is one busy unit (rank 0) and a long tail.
        rng = self.rng
        order = depts[:]
        rng.shuffle(order)
        busiest = next(u for u in depts if u.short_name == "住建局") if any(u.short_name == "住建局" for u in depts) else order[0]
        order.remove(busiest)
        order.insert(0, busiest)
        self.weights = {}
        for r, u in enumerate(order):
            self.weights[u.id] = 1.0 / (r + 3)
        for r, u in enumerate(district_units):
            self.weights[u.id] = 0.5 / (r + 3)
        for u in subs:
            self.weights[u.id] = 0.01
        self.unit_ids = [u.id for u in self.work_units]
        self.unit_w = list(itertools.accumulate(self.weights[i] for i in self.unit_ids))  # cumulative
        self.unit_name = {u.id: u.name for u in self.work_units}
        self.leader_of = {u.id: self.leaders[i % len(self.leaders)] for i, u in enumerate(self.work_units)}
        self.rule_for = {
            (k, g): deadlines.find_rule(org, k, g) for k in ItemKind.values for g in Urgency.values
        }
        self.cap_rule = {r.id: r for r in DeadlineRule.objects.filter(org=org)}
        self.phone = {uid: f"0931-8{i:06d}" for i, uid in enumerate(self.unit_ids)}
        self.contact = {uid: person_name(100_000 + i) for i, uid in enumerate(self.unit_ids)}
        return self


# --- one item, played forward ----------------------------------------------------------------------

class Ids:
    """Ids handed out in advance, so rows can refer to each other before they are written."""

    def __init__(self):
        self.n = Counter()

    def next(self, name):
        self.n[name] += 1
        return self.n[name]


class ItemSim:
    """One item's life: actions at given times, each applied only if the services would allow it."""

    def __init__(self, g: Generator, item_id, created, state, rng):
        self.g, self.o, self.ids = g, g.o, g.ids
        self.id, self.created, self.target, self.rng = item_id, created, state, rng
        self.status = None
        self.version = 1
        self.events: list[tuple] = []  # rows of EVENT_COLUMNS
        self.chain_head = ""  # the hash of the last event (duban/items/chain.py), as Event.save keeps it
        self.last_t = created
        self.assign: dict[int, dict] = {}  # unit id -> assignment fields
        self.reports: dict[str, Report] = {}
        self.reviews: list[Review] = []
        self.exts: list[ExtensionRequest] = []
        self.urges: list[Urge] = []
        self.instructions: list[Instruction] = []
        self.named: set[int] = set()
        self.skipped = Counter()
        self.item = None

    # --- recording -------------------------------------------------------------------------------

    def event(self, t, actor, action, frm="", to="", comment="", data=None, moves=True):
        if t < self.last_t:
            t = self.last_t + dt.timedelta(seconds=1)
        self.last_t = t
        if moves:
            self.version += 1
        prev = self.chain_head
        self.chain_head = chain.event_hash(item_id=self.id, actor_id=actor.id, action=action, from_status=frm,
                                           to_status=to, comment=comment, data=data or {}, at=t, prev_hash=prev)
        self.events.append((self.id, actor.id, action, frm, to, comment, json.dumps(data or {}, ensure_ascii=False), t,
                            prev, self.chain_head))
        return t

    def move(self, t, actor, action, target=None, comment="", data=None):
        old = self.status
        if target:
            self.status = target
        return self.event(t, actor, action, old, self.status, comment, data)

    # --- who is who ------------------------------------------------------------------------------

    def lead_ok(self):
        a = self.assign.get(self.lead)
        return a is not None and a["role"] == Assignment.Role.LEAD and a["state"] != Assignment.State.DECLINED

    def overdue_at(self, t):
        return self.deadline is not None and self.status in OPEN and t.date() > self.deadline

    def explained(self, unit_id):
        return any(
            r.unit_id == unit_id and r.kind == Report.Kind.EXPLANATION
            and r.state in (Report.State.SUBMITTED, Report.State.ACCEPTED) and r.submitted_at.date() > self.deadline
            for r in self.reports.values()
        )

    def ensure_explained(self, t, unit_id):
        """A unit past the deadline files an explanation before anything else (seed 000 art. 4(4))."""
        if not self.overdue_at(t) or self.explained(unit_id):
            return True
        lo = max(self.last_t, end_of(self.deadline))
        if lo >= t:
            return False
        key = f"x{unit_id}-{len(self.reports)}"
        for f, step in zip((0.2, 0.4, 0.6, 0.8), ("draft", "send", "approve", "submit")):
            self.a_report(lo + (t - lo) * f, key, unit_id, Report.Kind.EXPLANATION, step)
        return self.explained(unit_id)

    # --- actions (the checks mirror services.py) -------------------------------------------------

    def a_edit(self, t):
        if self.status != S.DRAFT:
            return False
        self.move(t, self.drafter, "edit_draft")

    def a_submit(self, t):
        if self.status != S.DRAFT:
            return False
        self.move(t, self.drafter, "submit_proposal", S.PENDING_APPROVAL)

    def a_approve(self, t):
        if self.status != S.PENDING_APPROVAL:
            return False
        it = self.item
        it.year, it.seq = t.year, self.g.seq_of[self.id]
        it.number = format_number("督", it.year, it.seq)
        it.registered_at, it.start_date = t, t.date()
        it.last_progress_at = t
        self.move(t, self.approver, "approve_proposal", S.ASSIGNED, "同意立项。", {"number": it.number})
        units = [self.o.unit_name[u] for u in self.assign]
        self.event(t, self.approver, "assign", "", S.ASSIGNED, data={
            "units": units, "deadline": self.deadline.isoformat() if self.deadline else None}, moves=False)
        self.name_people()

    def name_people(self):
        """Approval and reassignment name the drafter, the leader, and the heads and liaisons of the
        item's units (services._name_people): on every item; it matters where the item is secret."""
        self.named.add(self.drafter.id)
        for u in self.assign:
            self.named.update((self.o.liaison[u].id, self.o.head[u].id))
        self.named.add(self.item.responsible_leader_id)

    def _accept(self, t, unit_id, action):
        a = self.assign[unit_id]
        a.update(state=Assignment.State.ACCEPTED, accepted_at=t, person=self.o.contact[unit_id],
                 phone=self.o.phone[unit_id])
        target = S.IN_PROGRESS if action == "accept" else None
        self.item.last_progress_at = self.move(t, self.o.liaison[unit_id], action, target,
                                               data={"unit": self.o.unit_name[unit_id], "responsible_person": a["person"]})

    def a_accept(self, t):
        if self.status != S.ASSIGNED or not self.lead_ok():
            return False
        self._accept(t, self.lead, "accept")

    def a_co_accept(self, t, unit_id):
        a = self.assign.get(unit_id)
        if self.status not in ACTIVE or a is None or a["role"] != Assignment.Role.CO or a["state"] != Assignment.State.PENDING:
            return False
        self._accept(t, unit_id, "accept_as_co")

    def a_decline(self, t):
        if self.status != S.ASSIGNED or not self.lead_ok():
            return False
        reason = self.rng.choice(DECLINE_REASONS)
        self.assign[self.lead].update(state=Assignment.State.DECLINED, declined_reason=reason)
        self.move(t, self.o.liaison[self.lead], "decline", S.DECLINED, reason, {"unit": self.o.unit_name[self.lead]})

    def a_reassign(self, t, new_lead):
        if self.status not in (S.ASSIGNED, S.DECLINED, S.IN_PROGRESS):
            return False
        cos = [u for u, a in self.assign.items() if a["role"] == Assignment.Role.CO and u != new_lead]
        keep = {new_lead: Assignment.Role.LEAD, **{u: Assignment.Role.CO for u in cos}}
        keep[new_lead] = Assignment.Role.LEAD
        for u in list(self.assign):
            if u not in keep:
                del self.assign[u]
        for u, role in keep.items():
            a = self.assign.get(u)
            if a is None:
                self.assign[u] = self.g.new_assignment(role)
            elif a["role"] != role or a["state"] == Assignment.State.DECLINED:
                a.update(role=role, state=Assignment.State.PENDING, declined_reason="")
        self.lead = new_lead
        self.item.lead_unit_id = new_lead
        self.move(t, self.supervisor, "reassign", S.ASSIGNED, "经研究，改由该单位主办。",
                  {"lead_unit": self.o.unit_name[new_lead], "co_units": [self.o.unit_name[u] for u in cos]})
        self.name_people()

    def a_report(self, t, key, unit_id, kind, step):
        if self.status != S.IN_PROGRESS:
            return False
        liaison, head = self.o.liaison[unit_id], self.o.head[unit_id]
        r = self.reports.get(key)
        if step == "draft":
            a = self.assign.get(unit_id)
            if r is not None or a is None:
                return False
            is_lead = a["role"] == Assignment.Role.LEAD
            if (is_lead and not self.lead_ok()) or (not is_lead and a["state"] != Assignment.State.ACCEPTED):
                return False
            allowed = {Report.Kind.PROGRESS, Report.Kind.COMPLETION, Report.Kind.EXPLANATION} if is_lead \
                else {Report.Kind.CO_INPUT, Report.Kind.EXPLANATION}
            if kind not in allowed:
                return False
            if kind != Report.Kind.EXPLANATION and not self.ensure_explained(t, unit_id):
                return False
            if kind == Report.Kind.COMPLETION and any(
                x.kind == kind and x.state in (Report.State.DRAFT, Report.State.AWAITING_HEAD, Report.State.APPROVED)
                for x in self.reports.values()
            ):
                return False
            t = max(t, self.last_t + dt.timedelta(seconds=1))
            r = Report(id=self.ids.next("report"), item_id=self.id, unit_id=unit_id, kind=kind,
                       body=self.g.report_body(self, unit_id, kind), state=Report.State.DRAFT,
                       author_id=liaison.id, created_at=t)
            self.reports[key] = r
            self.move(t, liaison, "draft_report", data={"report": r.id, "kind": kind})
        elif r is None:
            return False
        elif step == "send":
            if r.state != Report.State.DRAFT:
                return False
            r.state = Report.State.AWAITING_HEAD
            self.move(t, liaison, "send_report_to_head", data={"report": r.id, "kind": kind})
        elif step == "approve":
            if r.state != Report.State.AWAITING_HEAD:
                return False
            t = self.move(t, head, "approve_report", comment="同意报送。", data={"report": r.id, "kind": kind})
            r.state, r.head_id, r.approved_at, r.head_comment = Report.State.APPROVED, head.id, t, "同意报送。"
        elif step == "submit":
            if r.state != Report.State.APPROVED:
                return False
            if kind != Report.Kind.EXPLANATION and not self.ensure_explained(t, unit_id):
                return False
            if kind == Report.Kind.COMPLETION and unit_id != self.lead:
                return False
            completion = kind == Report.Kind.COMPLETION
            t = self.move(t, liaison, "submit_completion_report" if completion else "submit_report",
                          S.UNDER_REVIEW if completion else None, data={"report": r.id, "kind": kind})
            r.state, r.submitted_at = Report.State.SUBMITTED, t
            self.item.last_progress_at = t

    def a_ext_request(self, t, until):
        if self.status not in (S.ASSIGNED, S.IN_PROGRESS) or not self.lead_ok():
            return False
        if self.deadline is None or t.date() > self.deadline or until <= self.deadline:
            return False
        if any(e.state == ExtensionRequest.State.PENDING for e in self.exts):
            return False
        cap = self.g.extension_cap(self.item)
        if cap and until > cap:
            return False
        liaison = self.o.liaison[self.lead]
        reason = self.rng.choice(EXT_REASONS)
        e = ExtensionRequest(id=self.ids.next("ext"), item_id=self.id, unit_id=self.lead, requested_by_id=liaison.id,
                             requested_deadline=until, reason=reason, progress=self.rng.choice(SENTENCES),
                             state=ExtensionRequest.State.PENDING, created_at=t)
        t = self.move(t, liaison, "request_extension", comment=reason, data={"request": e.id, "until": until.isoformat()})
        e.created_at = t
        self.exts.append(e)

    def a_ext_decide(self, t, approve):
        if self.status not in (S.ASSIGNED, S.IN_PROGRESS, S.UNDER_REVIEW):
            return False
        e = next((x for x in self.exts if x.state == ExtensionRequest.State.PENDING), None)
        if e is None:
            return False
        e.decided_by_id, e.old_deadline = self.supervisor.id, self.deadline
        if approve and e.requested_deadline > self.deadline:
            e.state, e.new_deadline, e.decision_comment = ExtensionRequest.State.APPROVED, e.requested_deadline, "同意延期。"
            if self.item.original_deadline is None:
                self.item.original_deadline = self.deadline
            self.deadline = e.new_deadline
            self.item.deadline_provisional = deadlines.add_working_days(e.new_deadline, 0).provisional
            action = "approve_extension"
        else:
            e.state, e.decision_comment = ExtensionRequest.State.REFUSED, "理由不充分，请按原定时限办结。"
            action = "refuse_extension"
        t = self.move(t, self.supervisor, action, comment=e.decision_comment, data={
            "request": e.id, "old_deadline": e.old_deadline.isoformat() if e.old_deadline else None,
            "new_deadline": e.new_deadline.isoformat() if e.new_deadline else None})
        e.decided_at = t

    def a_urge(self, t, method):
        if self.status not in ACTIVE:
            return False
        contact = self.assign[self.lead]["person"] if self.lead in self.assign else ""
        u = Urge(id=self.ids.next("urge"), item_id=self.id, unit_id=self.lead, method=method, contact_person=contact,
                 summary=self.rng.choice(URGE_TEXT), by_id=self.supervisor.id)
        t = self.move(t, self.supervisor, "log_urge", comment=u.summary,
                      data={"urge": u.id, "method": method, "contact_person": contact})
        u.occurred_at = t
        self.urges.append(u)

    def a_review(self, t, accept):
        if self.status != S.UNDER_REVIEW:
            return False
        report = max((r for r in self.reports.values() if r.kind == Report.Kind.COMPLETION
                      and r.state == Report.State.SUBMITTED), key=lambda r: r.id, default=None)
        if report is None:
            return False
        if accept:
            values = dict(task_done=True, problem_solved=True, conclusion_sound=True, lawful=True)
            comment = "材料齐全，四项标准均符合，同意呈报领导。"
        else:
            values = dict(task_done=True, problem_solved=False, conclusion_sound=self.rng.random() < 0.5, lawful=True)
            comment = self.rng.choice(REWORK_TEXT)
        rev = Review(id=self.ids.next("review"), item_id=self.id, report_id=report.id, reviewer_id=self.supervisor.id,
                     decision=Review.Decision.ACCEPT if accept else Review.Decision.RETURN, comment=comment, **values)
        report.state = Report.State.ACCEPTED if accept else Report.State.RETURNED
        t = self.move(t, self.supervisor, "accept_report" if accept else "return_for_rework",
                      S.PENDING_LEADER if accept else S.IN_PROGRESS, comment,
                      {"review": rev.id, "report": report.id, **values})
        rev.at = t
        self.reviews.append(rev)

    def a_close(self, t):
        if self.status != S.PENDING_LEADER:
            return False
        text = self.rng.choice(CLOSE_TEXT)
        t = self.move(t, self.approver, "close", S.CLOSED, text)
        self.item.closed_at = t
        self.instructions.append(Instruction(item_id=self.id, leader_id=self.approver.id, text=text,
                                             outcome=Instruction.Outcome.CLOSE, at=t))

    def a_instruct(self, t):
        if self.status != S.PENDING_LEADER:
            return False
        text = self.rng.choice(INSTRUCT_TEXT)
        t = self.move(t, self.approver, "instruct", S.IN_PROGRESS, text)
        self.instructions.append(Instruction(item_id=self.id, leader_id=self.approver.id, text=text,
                                             outcome=Instruction.Outcome.FURTHER, at=t))

    def a_archive(self, t):
        if self.status != S.CLOSED:
            return False
        archivist = self.o.office_head if self.rng.random() < 0.3 else self.supervisor
        self.item.archived_at = self.move(t, archivist, "archive", S.ARCHIVED)

    # --- running ---------------------------------------------------------------------------------

    def run(self, actions, now):
        actions.sort(key=lambda a: (a[0], a[1]))
        for t, _, name, args in actions:
            if t >= now:
                break
            if getattr(self, "a_" + name)(t, *args) is False:
                self.skipped[name if name != "report" else f"report {args[2]} {args[3]}"] += 1


NAMED = Item.named_people.through
# Columns written for rows given as tuples; models given as instances write every concrete field.
TUPLE_COLUMNS = {
    Assignment: ["item", "unit", "role", "state", "responsible_person", "responsible_phone", "accepted_at",
                 "declined_reason"],
    Event: ["item", "actor", "action", "from_status", "to_status", "comment", "data", "at", "prev_hash", "hash"],
    NAMED: ["item", "user"],
}


def copy_rows(cursor, model, rows):
    if not rows:
        return
    meta = model._meta
    if model in TUPLE_COLUMNS:
        fields = [meta.get_field(name) for name in TUPLE_COLUMNS[model]]
    else:
        fields = [f for f in meta.concrete_fields if not (f.primary_key and rows[0].pk is None)]
        attnames = [f.attname for f in fields]
        rows = [tuple(getattr(obj, a) for a in attnames) for obj in rows]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with cursor.cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


class Generator:
    def __init__(self, args):
        self.args = args
        self.today = args.today
        # Everything happened before 08:00 on --today: the data do not depend on the hour it is made.
        self.now = dt.datetime.combine(self.today, dt.time(8, 0), TZ)
        self.ids = Ids()
        self.stats = Counter()
        self.skipped = Counter()  # refused actions by name

    # --- helpers used by the simulator -----------------------------------------------------------

    def new_assignment(self, role):
        return dict(role=role, state=Assignment.State.PENDING, person="", phone="", accepted_at=None, declined_reason="")

    def extension_cap(self, item):
        if not item.deadline_rule_id or not item.start_date:
            return None
        rule = self.o.cap_rule[item.deadline_rule_id]
        if rule.max_total_amount is None:
            return None
        return deadlines.compute_latest_deadline(rule, item.start_date).date

    def report_body(self, sim, unit_id, kind):
        rng = sim.rng
        name = self.o.unit_name[unit_id]
        body = "".join(rng.sample(SENTENCES, 3))
        if kind == Report.Kind.EXPLANATION:
            return f"{name}关于事项超期的情况说明：因{rng.choice(EXT_REASONS)[:-1]}，未能在办理时限内办结。{body}"
        if kind == Report.Kind.CO_INPUT:
            return f"{name}（协办）意见：{body}"
        if kind == Report.Kind.COMPLETION:
            return f"{name}办结报告：{body}经核查，交办事项已全部办结。"
        return f"{name}进展报告：{body}"

    # --- the head of an item's life: drawn twice (numbering pass, then the full pass) -------------

    def head(self, i, created):
        rng = random.Random(self.args.seed * 1_000_003 + i)
        span = (self.now - created).total_seconds() / 86400  # the item's age in days
        state = self.choose_state(span, rng)
        t_sub = rng.uniform(0.02, 1.5)
        t_reg = t_sub + rng.uniform(0.05, 3)
        limit = (0.8 if state == S.PENDING_APPROVAL else 0.3) * span
        needed = t_sub if state == S.PENDING_APPROVAL else t_reg
        if needed > limit:
            f = limit / needed
            t_sub, t_reg = t_sub * f, t_reg * f
        return rng, state, created + days(t_sub), created + days(t_reg)

    @staticmethod
    def choose_state(age, rng):
        """Most old items are archived; a young item is usually still being handled."""
        if age < 30:
            w = [4, 4, 14, 2, 56, 8, 4, 6, 2]
        elif age < 180:
            w = [0.3, 0.2, 1, 0.5, 44, 4, 2, 18, 30]
        else:
            w = [0.3, 0.1, 0.1, 0.1, 7, 0.3, 0.2, 4, 87.9]
        states = [S.DRAFT, S.PENDING_APPROVAL, S.ASSIGNED, S.DECLINED, S.IN_PROGRESS, S.UNDER_REVIEW,
                  S.PENDING_LEADER, S.CLOSED, S.ARCHIVED]
        return rng.choices(states, w)[0]

    # --- the whole run ---------------------------------------------------------------------------

    def created_times(self):
        rng = random.Random(self.args.seed)
        first = self.today - dt.timedelta(days=3 * 365)
        n_days = (self.today - first).days
        out = []
        for _ in range(self.args.items):
            d = first + dt.timedelta(days=rng.randrange(n_days))
            if d.weekday() >= 5 and rng.random() < 0.85:  # little is drafted at weekends
                d += dt.timedelta(days=7 - d.weekday())
                if d >= self.today:
                    d -= dt.timedelta(days=3)
            minute = rng.randrange(8 * 60 + 30, 17 * 60 + 30)
            out.append(dt.datetime.combine(d, dt.time(minute // 60, minute % 60, rng.randrange(60)), TZ))
        out.sort()
        return out

    def number_items(self, created):
        """Numbers follow the order of approval within each year, as NumberSeries hands them out."""
        registered = defaultdict(list)
        for i, c in enumerate(created, start=1):
            _, state, _, t_reg = self.head(i, c)
            if state not in (S.DRAFT, S.PENDING_APPROVAL):
                registered[t_reg.year].append((t_reg, i))
        self.seq_of = {}
        for year, rows in registered.items():
            rows.sort()
            for seq, (_, i) in enumerate(rows, start=1):
                self.seq_of[i] = seq
        NumberSeries.objects.bulk_create(
            [NumberSeries(org=self.o.org, year=y, last=len(rows)) for y, rows in sorted(registered.items())]
        )

    def plan(self, i, created):
        rng, state, t_sub, t_reg = self.head(i, created)
        o = self.o
        now = self.now
        kind = pick(rng, KIND_WEIGHTS)
        urgency = pick(rng, URGENCY_WEIGHTS)
        rich = rng.random() < 0.005
        lead = rng.choices(o.unit_ids, cum_weights=o.unit_w)[0]
        n_co = 3 if rich else rng.choices([1, 2, 3], [50, 35, 15])[0]
        cos = []
        while len(cos) < n_co:
            u = rng.choices(o.unit_ids, cum_weights=o.unit_w)[0]
            if u != lead and u not in cos:
                cos.append(u)
        leader = o.principal if rng.random() < 0.08 else o.leader_of[lead]
        supervisor = rng.choice(o.supervisors)
        secret = rng.random() < 0.01
        title, content, source = self.texts(rng, kind, lead, cos, created)

        # The deadline: from the organisation's rule, or set at drafting with a reason (annual key
        # tasks by the end of the year, rectification on the plan's dates).
        start = t_reg.date()
        rule, override, deadline, provisional = o.rule_for[(kind, urgency)], "", None, False
        if kind == ItemKind.ANNUAL_KEY_TASK:
            deadline = dt.date(start.year, 12, 31) if start.month < 11 else dt.date(start.year + 1, 6, 30)
            override, rule = "按年度工作安排确定的完成时限。", None
        elif kind == ItemKind.RECTIFICATION:
            deadline = start + dt.timedelta(days=rng.choice([90, 180]))
            override, rule = "按整改方案确定的整改时限。", None
        if rule is not None:
            result = deadlines.compute_deadline(rule, start)
            deadline, provisional = result.date, result.provisional
        else:
            provisional = deadlines.add_working_days(deadline, 0).provisional

        item = Item(
            id=i, org_id=o.org.id, title=title, content=content, kind=kind, urgency=urgency, is_secret=secret,
            source_text=source, lead_unit_id=lead, responsible_leader_id=leader.id, drafter_id=supervisor.id,
            deadline=deadline, deadline_provisional=provisional, deadline_rule_id=rule.id if rule else None,
            deadline_override_reason=override, status=S.DRAFT, created_at=created,
        )
        sim = ItemSim(self, i, created, state, rng)
        sim.item, sim.lead, sim.deadline = item, lead, deadline
        sim.drafter, sim.supervisor, sim.approver = supervisor, supervisor, leader
        sim.assign = {lead: self.new_assignment(Assignment.Role.LEAD)}
        for u in cos:
            sim.assign[u] = self.new_assignment(Assignment.Role.CO)
        sim.status = S.DRAFT
        sim.named.update((supervisor.id, leader.id))  # create_draft names the drafter and the leader
        sim.event(created, supervisor, "create", "", S.DRAFT, moves=False)

        acts = []

        def add(t, name, *args):
            acts.append((t, len(acts), name, args))

        span = now - created
        if state == S.DRAFT:
            if rng.random() < 0.3:
                add(created + span * rng.uniform(0.05, 0.9), "edit")
            sim.run(acts, now)
            return sim
        add(t_sub, "submit")
        if state == S.PENDING_APPROVAL:
            sim.run(acts, now)
            return sim
        add(t_reg, "approve")

        # Milestones in days after registration; squeezed when the item is too young for them,
        # pushed past now when the item is stuck where its state says.
        reassign_path = state == S.DECLINED or (state != S.ASSIGNED and rng.random() < 0.03)
        ms = []
        off = 0.0
        if reassign_path:
            off += rng.uniform(0.1, 2)
            ms.append(["decline", off])
            off += rng.uniform(0.2, 3)
            ms.append(["reassign", off])
        off += rng.uniform(0.05, 3)
        ms.append(["accept", off])
        period = max(1, (deadline - start).days)
        late = rng.random() < 0.15
        off += max(0.3, period * rng.uniform(1.05, 1.8) + rng.uniform(1, 15) if late else period * rng.uniform(0.4, 1.0))
        ms.append(["complete", off])
        off += rng.uniform(0.2, 4)
        ms.append(["review", off])
        off += rng.uniform(0.3, 7)
        ms.append(["close", off])
        off += rng.uniform(2, 40)
        ms.append(["archive", off])
        names = [m[0] for m in ms]
        last_needed = {S.DECLINED: "decline", S.ASSIGNED: None, S.IN_PROGRESS: "accept", S.UNDER_REVIEW: "complete",
                       S.PENDING_LEADER: "review", S.CLOSED: "close", S.ARCHIVED: "archive"}[state]
        k = names.index(last_needed) if last_needed else -1
        avail = (now - t_reg).total_seconds() / 86400
        if k >= 0 and ms[k][1] > avail * 0.97:
            f = avail * rng.uniform(0.5, 0.95) / ms[k][1]
            for m in ms:
                m[1] *= f
        if k + 1 < len(ms) and ms[k + 1][1] <= avail:
            shift = avail + rng.uniform(0.05, 60) - ms[k + 1][1]
            for m in ms[k + 1:]:
                m[1] += shift
        T = {name: t_reg + days(off) for name, off in ms}

        epoch = t_reg
        if reassign_path:
            add(T["decline"], "decline")
            new_lead = next(u for u in rng.choices(o.unit_ids, cum_weights=o.unit_w, k=20) + o.unit_ids if u != lead and u not in cos)
            add(T["reassign"], "reassign", new_lead)
            lead = new_lead
            epoch = T["reassign"]
        add(T["accept"], "accept")
        co_accepted = {}
        for u in cos:
            if state in OPEN and rng.random() < 0.06:
                continue  # this co-unit has not signed yet
            t = epoch + days(rng.uniform(0.05, 5))
            t = min(t, epoch + (T["complete"] - epoch) * 0.5)
            add(t, "co_accept", u)
            co_accepted[u] = t

        # Rounds before the final completion: returned for rework, or sent back by the leader.
        a, c = T["accept"], T["complete"]
        windows = []  # intervals in which the item is in progress
        w_start = a
        round_end = min(c, now)
        length = (round_end - a).total_seconds() / 86400
        rounds = []
        if length > 3:
            if rng.random() < (0.5 if rich else 0.06):
                rounds.append(("rework", 0.25, 0.45))
            if rng.random() < (0.3 if rich else 0.02):
                rounds.append(("instruct", 0.55, 0.75))
        for what, lo, hi in rounds:
            ci = a + days(length * rng.uniform(lo, hi))
            ri = ci + days(length * rng.uniform(0.03, 0.08))
            self.completion(add, rng, lead, w_start, ci, f"c{len(windows)}")
            add(ri, "review", what != "rework")
            back = ri
            if what == "instruct":
                back = ri + days(length * rng.uniform(0.02, 0.05))
                add(back, "instruct")
            windows.append((w_start, w_start + (ci - w_start) * 0.45))
            w_start = back
        self.completion(add, rng, lead, w_start, c, "final")
        # Reports end before the completion is drafted (it starts in the second half at the earliest);
        # an item still in progress may have one straddling now.
        windows.append((w_start, now if c > now else w_start + (c - w_start) * 0.45))
        add(T["review"], "review", True)
        add(T["close"], "close")
        add(T["archive"], "archive")

        # Reports during handling: progress from the lead, input from co-units.
        n_prog = rng.randint(4, 8) if rich else rng.choices([0, 1, 2, 3], [70, 22, 6, 2])[0]
        for n in range(n_prog):
            self.cycle(add, rng, windows, now, f"p{n}", lead, Report.Kind.PROGRESS)
        for u, t in co_accepted.items():
            if rng.random() < 0.2:
                self.cycle(add, rng, windows, now, f"co{u}", u, Report.Kind.CO_INPUT, not_before=t + days(0.01))
        if state == S.IN_PROGRESS and rng.random() < 0.15:
            # Something in the pipe right now: a draft, one awaiting the head, one approved.
            kind_now = rng.choice([Report.Kind.PROGRESS, Report.Kind.PROGRESS, Report.Kind.COMPLETION])
            s0 = now - days(rng.uniform(0.05, 3))
            if s0 > windows[-1][0]:
                stop = rng.choice(["draft", "send", "approve"])
                steps = ["draft", "send", "approve", "submit"]
                for j, step in enumerate(steps):
                    t = s0 + (now - s0) * (j / 3) if steps.index(stop) >= j else now + days(1 + j)
                    add(t, "report", "now", lead, kind_now, step)

        # Deadline trouble: extensions before the deadline, explanations and urges after it.
        d_end = end_of(deadline)
        if d_end < c and a < d_end and rng.random() < (0.55 if c <= now else 0.8):
            lo = max(a, d_end - days(4))
            hi = min(d_end, now)
            if lo < hi:
                tr = lo + (hi - lo) * rng.random()
                td = tr + days(rng.uniform(0.05, 2.5))
                if c <= now:
                    until = c.date() + dt.timedelta(days=rng.randint(0, 7))
                else:
                    until = self.today + dt.timedelta(days=rng.randint(-20, 150))
                if until <= deadline:
                    until = deadline + dt.timedelta(days=rng.randint(5, 30))
                add(tr, "ext_request", until)
                add(td, "ext_decide", rng.random() < 0.88)
        elif state in (S.IN_PROGRESS, S.ASSIGNED) and deadline >= self.today and rng.random() < 0.05:
            tr = max(a if state == S.IN_PROGRESS else epoch, now - days(rng.uniform(0.05, 4)))
            add(tr, "ext_request", deadline + dt.timedelta(days=rng.randint(7, 45)))
        if state == S.IN_PROGRESS and d_end < now and rng.random() < 0.5:
            s0 = d_end + (now - d_end) * rng.uniform(0.05, 0.6)
            for j, step in enumerate(["draft", "send", "approve", "submit"]):
                add(s0 + days(0.1 * j), "report", "xnow", lead, Report.Kind.EXPLANATION, step)
        ov_end = min(c, now)
        n_urge = 0
        if d_end < ov_end:
            n_urge = rng.choice([1, 1, 2, 3])
            span_u = (d_end, ov_end)
        elif rng.random() < 0.1:
            n_urge = 1
            span_u = (epoch, ov_end)
        if rich:
            n_urge += rng.randint(2, 4)
            span_u = (epoch, ov_end)
        for _ in range(n_urge):
            if span_u[0] < span_u[1]:
                add(span_u[0] + (span_u[1] - span_u[0]) * rng.random(), "urge", rng.choice(Urge.Method.values))

        sim.run(acts, now)
        return sim

    def completion(self, add, rng, unit, w_start, c, key):
        dur = min(rng.uniform(0.05, 1.5), max(0.01, (c - w_start).total_seconds() / 86400 * 0.5))
        for j, step in enumerate(["draft", "send", "approve", "submit"]):
            add(c - days(dur * (3 - j) / 3), "report", key, unit, Report.Kind.COMPLETION, step)

    def cycle(self, add, rng, windows, now, key, unit, kind, not_before=None):
        w0, w1 = rng.choice(windows)
        if not_before is not None:
            w0 = max(w0, not_before)
        if w1 <= w0:
            return
        dur = min(rng.uniform(0.05, 1.5), (w1 - w0).total_seconds() / 86400 * 0.5)
        s0 = w0 + (w1 - w0 - days(dur)) * rng.random()
        if s0 >= now:
            return
        for j, step in enumerate(["draft", "send", "approve", "submit"]):
            add(s0 + days(dur * j / 3), "report", key, unit, kind, step)

    def texts(self, rng, kind, lead, cos, created):
        topic = rng.choice(TOPICS)
        lead_name = self.o.unit_name[lead]
        n = rng.randint(1, 400)
        if kind == ItemKind.INSTRUCTION:
            who = rng.choice(["陈建国市长", "刘洋常务副市长", "赵文副市长", "省委主要领导", "省政府分管领导"])
            title = f"{who}关于{topic}工作的批示"
        elif kind == ItemKind.MEETING_DECISION:
            title = f"市政府第{rng.randint(1, 60)}次常务会议确定的{topic}事项"
        elif kind == ItemKind.POLICY_DOCUMENT:
            title = f"贯彻落实《关于{topic}的实施意见》"
        elif kind == ItemKind.ANNUAL_KEY_TASK:
            title = f"{created.year}年政府工作报告重点任务：{topic}"
        elif kind == ItemKind.RECTIFICATION:
            title = f"{rng.choice(['省委巡视', '审计', '环保督察'])}反馈问题整改：{topic}工作推进不力"
        elif kind == ItemKind.DEPUTY_SUGGESTION:
            title = f"关于{topic}的建议（第{n}号）"
        elif kind == ItemKind.CPPCC_PROPOSAL:
            title = f"关于{topic}的提案（第{n}号）"
        elif kind == ItemKind.PETITION:
            title = f"群众反映{rng.choice(PLACES)}{rng.choice(PROBLEMS)}问题的信访事项"
        elif kind == ItemKind.MEDIA_CONCERN:
            title = f"媒体反映{rng.choice(PLACES)}{rng.choice(PROBLEMS)}问题"
        else:
            title = f"关于{topic}的督办件"
        if kind in (ItemKind.INSTRUCTION, ItemKind.PETITION, ItemKind.MEDIA_CONCERN) and rng.random() < 0.12:
            title = "【挂牌督办】" + title
        co_names = "、".join(self.o.unit_name[u] for u in cos)
        content = (f"请{lead_name}牵头，会同{co_names}，围绕{topic}，{''.join(rng.sample(SENTENCES, 2))}"
                   f"按时限报送办理结果，超期未办结的须报送情况说明。")
        source = rng.choice(["", "", f"市政府办公室文件 江政办发〔{created.year}〕{rng.randint(1, 120)}号",
                             f"{created.year}年第{rng.randint(1, 40)}期《督查专报》"])
        return title, content, source

    def materialize(self, sim, buf):
        it = sim.item
        it.status, it.version, it.deadline = sim.status, sim.version, sim.deadline
        buf[Item].append(it)
        for u, a in sim.assign.items():
            buf[Assignment].append((sim.id, u, a["role"], a["state"], a["person"], a["phone"], a["accepted_at"],
                                    a["declined_reason"]))
        buf[Report].extend(sim.reports.values())
        buf[Review].extend(sim.reviews)
        buf[ExtensionRequest].extend(sim.exts)
        buf[Urge].extend(sim.urges)
        buf[Instruction].extend(sim.instructions)
        buf[Event].extend(sim.events)
        if sim.events:
            buf[ChainHead].append(ChainHead(item_id=sim.id, hash=sim.chain_head, length=len(sim.events)))
        buf[NAMED].extend((sim.id, u) for u in sorted(sim.named))
        self.stats[sim.status] += 1
        self.stats["events"] += len(sim.events)
        self.skipped.update(sim.skipped)
        if sim.deadline and sim.status in OPEN and sim.deadline < self.today:
            self.stats["overdue"] += 1

    def flush(self, buf):
        """Write a batch with COPY (Django's bulk_create costs ~4 ms an item here: see README).

        Runs in a writer thread with its own connection, so PostgreSQL stores one batch while
        Python plays the next (two cores)."""
        counts = Counter()
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
        with transaction.atomic(), connection.cursor() as cursor:
            for model in (Item, Assignment, Report, Review, ExtensionRequest, Urge, Instruction, Event, ChainHead, NAMED):
                rows = buf.pop(model, [])
                copy_rows(cursor, model, rows)
                counts[model._meta.model_name + "_rows"] += len(rows)
        return counts

    def run(self):
        t0 = time.monotonic()
        self.o = Org(self.args.units, random.Random(self.args.seed)).build()
        print(f"organisation: {len(self.o.work_units)} units, {User.objects.count()} people "
              f"({time.monotonic() - t0:.1f} s)", flush=True)
        created = self.created_times()
        self.number_items(created)
        buf = defaultdict(list)
        writer = ThreadPoolExecutor(max_workers=1)
        pending = None
        for i, c in enumerate(created, start=1):
            self.materialize(self.plan(i, c), buf)
            if i % BATCH_ITEMS == 0 or i == len(created):
                if pending is not None:
                    self.stats.update(pending.result())
                pending, buf = writer.submit(self.flush, buf), defaultdict(list)
                if i % 20000 == 0 or i == len(created):
                    print(f"  {i} items ({time.monotonic() - t0:.0f} s)", flush=True)
        self.stats.update(pending.result())
        writer.submit(lambda: connection.close()).result()  # the writer thread's own connection
        writer.shutdown()


def sweep_ladder(now):
    """Fire the escalation ladder's rungs due on the data's last day, through the app's own sweep
    (it touches only the items due, so it is quick); the history of earlier rungs is not made."""
    try:
        from duban.urging.ladder import sweep
    except ImportError:
        return
    t = time.monotonic()
    fired = sweep(now=now)
    print(f"escalation ladder: {fired} rungs fired for {now:%Y-%m-%d} ({time.monotonic() - t:.1f} s)", flush=True)


def reset_sequences():
    models = [Item, Assignment, Report, Review, ExtensionRequest, Urge, Instruction, Event, NumberSeries,
              Item.named_people.through, Unit, User, Organization]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def wipe():
    """Empty the tables this script fills. The calendar the migrations loaded stays: its years are
    put back after the CASCADE (CalendarYear.published_by points at users), without the user."""
    years = list(CalendarYear.objects.values("year", "published", "source", "note", "published_at"))
    tables = [m._meta.db_table for m in (
        Event, Item.named_people.through, Instruction, Urge, ExtensionRequest, Review, Report, Assignment,
        Item, NumberSeries, DeadlineRule, User, Unit, Organization)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    CalendarYear.objects.bulk_create([CalendarYear(**y) for y in years])
    invalidate_calendar()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--units", type=int, default=300)
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--today", type=dt.date.fromisoformat, default=None,
                   help="the day the data end (default: today); the same seed and day give the same data")
    p.add_argument("--reset", action="store_true", help="empty the tables first if the database already has data")
    args = p.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/generate.py writes to PostgreSQL: set DATABASE_URL=postgres://…")
    args.today = args.today or dt.datetime.now(TZ).date()
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    if Organization.objects.exists():
        if not args.reset:
            sys.exit("the database already has data: run with --reset to replace it")
        wipe()
    if not CalendarYear.objects.filter(published=True).exists():
        sys.exit("the official calendar has no published year: every deadline would be provisional")
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    g = Generator(args)
    g.run()
    reset_sequences()
    sweep_ladder(g.now)
    print("VACUUM ANALYZE …", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    elapsed = time.monotonic() - started
    n = args.items
    st = g.stats
    print(f"\n{n} items, {st['event_rows']} events, {st['assignment_rows']} assignments, {st['report_rows']} reports, "
          f"{st['review_rows']} reviews, {st['extensionrequest_rows']} extension requests, {st['urge_rows']} urges, "
          f"{st['instruction_rows']} instructions, {st['item_named_people_rows']} named people")
    print("states: " + ", ".join(f"{s.label} {st[s]} ({100 * st[s] / n:.1f}%)" for s in Status))
    open_n = sum(st[s] for s in OPEN)
    print(f"open {open_n} ({100 * open_n / n:.1f}%), overdue {st['overdue']} ({100 * st['overdue'] / n:.1f}%), "
          f"events per item {st['events'] / n:.1f}")
    print(f"actions the simulator refused (their preconditions failed): {sum(g.skipped.values())} "
          + ", ".join(f"{k} {v}" for k, v in g.skipped.most_common(8)))
    print(f"data end {g.now:%Y-%m-%d %H:%M} (Beijing time); seed {args.seed}")
    print(f"time taken: {elapsed:.0f} s")


if __name__ == "__main__":
    main()
