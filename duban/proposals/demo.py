"""Demo data for suggestions and proposals, through the services: a congress session and a CPPCC
session, suggestions in every state (received, handling with a contest and a co-unit's opinion,
answered awaiting rating, closed 满意, re-handled after 不满意), one answer published on the portal
with an approved public opinion, and one disclosed item.

    from duban.proposals.demo import seed_demo
    seed_demo(org)          # org: the demo city (江川市人民政府), after duban.demo.seed.create_demo_org()

Idempotent: does nothing if the organisation already has a session named as below.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from duban.orgs.models import Role, Unit, User

from . import services as ps
from .models import AnswerClass, Body, Contact, Publishable, Session

CONGRESS = "市十七届人大五次会议"
CPPCC = "市政协十三届五次会议"

SUGGESTIONS = [
    (1, "关于加快老旧小区加装电梯的建议", "王建国", "城关代表团", "城乡建设", "市住房和城乡建设局", ["市财政局"]),
    (2, "关于增设K18路公交线路的建议", "周敏", "七里河代表团", "交通", "市交通运输局", []),
    (3, "关于规范物业服务收费的建议", "赵立新", "安宁代表团", "城乡建设", "市住房和城乡建设局", ["市市场监督管理局"]),
    (4, "关于中心城区停车设施建设的建议", "孙红", "城关代表团", "交通", "市交通运输局", ["市自然资源和规划局"]),
    (5, "关于加强农村饮水安全保障的建议", "马强", "榆中代表团", "农业农村", "市生态环境局", []),
]
PROPOSALS = [
    (1, "关于支持中小企业融资的提案", "钱江", "经济界", "经济", "市发展和改革委员会", ["市财政局"]),
    (2, "关于推进社区养老服务的提案", "何静", "社会福利界", "民生", "市卫生健康委员会", []),
]


def _unit(org, name):
    return Unit.objects.filter(org=org, name=name).first()


def seed_demo(org, *, now=None) -> list:
    """Create the demo sessions and suggestions; returns the proposals made."""
    if Session.objects.filter(org=org, name=CONGRESS).exists():
        return []
    now = now or timezone.now()
    office = User.objects.filter(org=org, role=Role.SUPERVISOR, is_active=True).order_by("id").first()
    if office is None:
        return []
    start = now - dt.timedelta(days=75)
    made = []
    for body, name, rows in ((Body.CONGRESS, CONGRESS, SUGGESTIONS), (Body.CPPCC, CPPCC, PROPOSALS)):
        session = ps.create_session(org, office, body=body, year=timezone.localdate(now).year, name=name)
        for number, title, who, group, category, lead, co in rows:
            if _unit(org, lead) is None:
                continue
            p = ps.register_proposal(session, office, ps.ProposalFields(
                number=number, title=title, category=category,
                content=f"{title.removeprefix('关于').removesuffix('的建议').removesuffix('的提案')}事关群众切身利益，"
                        "建议有关部门加大工作力度，明确时间表。",
                proposers=[ps.ProposerFields(name=who, group=group, phone="13800000000", is_lead=True)]), now=start)
            made.append((p, lead, co))
    handled = []
    for i, (p, lead, co) in enumerate(made):
        if i == len(made) - 1:
            continue  # the last one stays received, waiting to be assigned
        ps.assign(p.id, office, lead_unit=_unit(org, lead), co_units=[u for u in (_unit(org, n) for n in co) if u],
                  now=start + dt.timedelta(days=1))
        handled.append((p, _unit(org, lead), [_unit(org, n) for n in co if _unit(org, n)]))
    for i, (p, lead, co) in enumerate(handled):
        liaison = User.objects.filter(unit=lead, role=Role.LIAISON, is_active=True).first()
        head = User.objects.filter(unit=lead, role=Role.UNIT_HEAD, is_active=True).first()
        if liaison is None or head is None:
            continue
        for unit in co:
            co_liaison = User.objects.filter(unit=unit, role=Role.LIAISON, is_active=True).first()
            if co_liaison:
                ps.submit_co_opinion(p.id, co_liaison, body="同意主办单位意见，本单位将在资金安排上予以支持。",
                                     now=start + dt.timedelta(days=20))
        if i % 5 == 4:
            continue  # still being handled
        day = start + dt.timedelta(days=30 + i)
        ps.record_contact(p.id, liaison, method=Contact.Method.VISIT if i % 2 == 0 else Contact.Method.MEETING,
                          on=day.date(), who=f"{head.display_name}、{p.lead_signer.proposer.name}",
                          summary="当面听取意见，介绍办理思路", now=day)
        cls = [AnswerClass.A, AnswerClass.B, AnswerClass.D, AnswerClass.A][i % 4]
        commitments = [("出台专项补助办法", (day + dt.timedelta(days=120)).date())] if cls == AnswerClass.B else []
        a = ps.draft_answer(p.id, liaison, ps.AnswerFields(
            body=f"{p.lead_signer.proposer.name}代表（委员）：您提出的《{p.item.title}》收悉。经认真研究，现答复如下：……",
            answer_class=cls, publishable=Publishable.FULL if i % 2 == 0 else Publishable.NO,
            commitments=commitments), now=day)
        ps.send_answer_to_head(a.id, liaison, now=day)
        ps.sign_answer(a.id, head, comment="同意", now=day)
        ps.send_answer(a.id, liaison, now=day)
        if i == 3:
            continue  # sent, waiting for the office's review
        _, token = ps.review_answer(a.id, office, accept=True, criteria=dict.fromkeys(ps.REVIEW_CRITERIA, True),
                                    now=day + dt.timedelta(days=1))
        rated = day + dt.timedelta(days=5)
        if i == 0:
            ps.rate_by_link(token, value="satisfied", comment="办理认真，满意。", now=rated)
            from duban.portal import services as portal

            pub = portal.publish_answer(p.id, office, now=rated)
            op = portal.submit_opinion(pub.id, body="希望尽快推广到更多小区。", name="市民", address="demo", now=rated)
            portal.moderate_opinion(op.id, office, approve=True, reply="感谢关注，将分批推进。", now=rated)
        elif i == 2:
            ps.rate_by_link(token, value="unsatisfied", comment="答复未回应具体措施。", now=rated)
        # i == 1: answered, awaiting the proposer's rating
    return [p for p, _, _ in made]
