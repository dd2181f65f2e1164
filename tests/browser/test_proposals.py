"""Browser journeys of suggestions and proposals (001 art. 10: answered within 3 months, the proposer
who disagrees is heard again) and of the public portal on a phone (002 art. 6(5): progress disclosed
online, the public takes part)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from .helpers import PHONE, nav, choose

pytestmark = pytest.mark.browser


def batch_file(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "标题", "领衔人", "代表团/界别", "附议人", "类别", "内容", "会次"])
    ws.append([1, "关于加快老旧小区加装电梯的建议", "王建国", "城关代表团", "李红（城关代表团）", "城乡建设",
               "建议简化审批流程，加大财政补助。", "市十七届人大五次会议"])
    ws.append([2, "关于增设K18路公交的建议", "周敏", "七里河代表团", "", "交通", "建议增设公交线路。",
               "市十七届人大五次会议"])
    path = tmp_path / "交办清单.xlsx"
    wb.save(path)
    return path


def rating_link(page) -> str:
    text = page.locator(".alert").filter(has_text="评价链接").inner_text()
    return re.search(r"(/public/rate/[A-Za-z0-9_-]+/)", text).group(1)


def answer_through_the_unit(web, page_liaison, page_head, title, *, cls="A", body="经研究，答复如下……"):
    """The lead unit's liaison records a visit and drafts; the head signs; the liaison sends."""
    p = page_liaison
    p.get_by_label("方式").select_option(label="走访")
    p.get_by_label("日期").fill(dt.date.today().isoformat())
    p.get_by_label("参加人员").fill("局长罗明、代表王建国")
    p.locator("#contact-form").get_by_role("button", name="登记").click()
    expect(p.locator(".alert-success")).to_contain_text("已登记沟通情况")
    p.get_by_label("答复类别").select_option(value=cls)
    p.get_by_label("答复函正文").fill(body)
    p.get_by_label("是否公开").select_option(label="全文公开")
    p.get_by_role("button", name="保存草稿").click()
    p.get_by_role("button", name="呈负责人签发").click()
    web.shot(p, "liaison-drafted")
    h = page_head
    h.reload()
    h.get_by_role("button", name="签发", exact=True).click()
    expect(h.locator(".answer-state").last).to_have_text("负责人已签发")
    p.reload()
    p.get_by_role("button", name="发出答复").click()
    expect(p.locator("#proposal-state")).to_have_text("答复待审核")
    web.shot(p, "liaison-sent")


def office_accepts(web, office):
    office.reload()
    form = office.locator("#review-form")
    for label in ("答其所问", "合法合规", "承诺事项具体"):
        form.get_by_label(label).check()
    form.get_by_role("button", name="审核通过").click()
    expect(office.locator("#proposal-state")).to_have_text("已答复待评价")
    web.shot(office, "office-accepted")
    return rating_link(office)


def test_a_suggestion_from_import_to_satisfied(web, demo, tmp_path):
    office = web.login("duchayuan")
    nav(office, "建议提案")
    office.get_by_role("link", name="导入年度交办清单").click()
    office.get_by_label("类型").select_option(label="人大代表建议")
    office.get_by_label("年度").fill(str(dt.date.today().year))
    office.get_by_label("Excel 文件（.xlsx）").set_input_files(batch_file(tmp_path))
    office.get_by_role("button", name="上传并导入").click()
    expect(office.locator(".alert-success")).to_contain_text("已导入2件")
    web.shot(office, "imported")
    office.get_by_role("link", name="关于加快老旧小区加装电梯的建议").click()
    choose(office, "主办单位", "市住房和城乡建设局")
    choose(office, "会办（分办）单位", "市交通运输局")
    office.locator("#assign-form").get_by_role("button", name="交办").click()
    expect(office.locator("#proposal-state")).to_have_text("办理中")
    web.shot(office, "assigned")
    url = office.url

    liaison = web.login("zjj_lly")
    liaison.goto(url)
    head = web.login("zjj_fzr")
    head.goto(url)
    answer_through_the_unit(web, liaison, head, "关于加快老旧小区加装电梯的建议")

    link = office_accepts(web, office)
    office.get_by_role("button", name="在公开门户发布答复").click()
    expect(office.locator(".alert-success")).to_contain_text("已在公开门户发布")

    proposer = web.page(PHONE)  # the deputy, on a phone, with no account
    proposer.goto(link)
    expect(proposer.get_by_text("王建国，您好")).to_be_visible()
    web.shot(proposer, "proposer-opens-link")
    proposer.get_by_role("radio", name="满意", exact=True).check()
    proposer.get_by_role("button", name="提交评价").click()
    expect(proposer.get_by_role("heading", name="评价已提交")).to_be_visible()
    web.shot(proposer, "proposer-rated")

    office.reload()
    expect(office.locator("#proposal-state")).to_have_text("已办结")
    expect(office.locator(".answer").first).to_contain_text("评价：满意（评价链接）")
    web.shot(office, "closed")
    office.goto("/proposals/report/")
    expect(office.locator("#report-summary")).to_contain_text("满意率（含基本满意）100.00%")
    web.shot(office, "report")


def test_an_unsatisfied_suggestion_is_handled_again(web, demo):
    from duban.orgs.models import Unit
    from duban.proposals import services as ps
    from duban.proposals.models import Body, Contact

    org, users = demo
    office_user, liaison_user, head_user = users["duchayuan"], users["zjj_lly"], users["zjj_fzr"]
    session = ps.create_session(org, office_user, body=Body.CPPCC, year=dt.date.today().year, name="市政协十三届五次会议")
    p = ps.register_proposal(session, office_user, ps.ProposalFields(
        number=8, title="关于规范物业服务收费的提案", content="建议出台物业服务收费指导价。",
        proposers=[ps.ProposerFields(name="钱江", group="经济界", is_lead=True)]))
    ps.assign(p.id, office_user, lead_unit=Unit.objects.get(org=org, name="市住房和城乡建设局"))
    ps.record_contact(p.id, liaison_user, method=Contact.Method.CALL, on=dt.date.today(), who="钱江委员")
    a = ps.draft_answer(p.id, liaison_user, ps.AnswerFields(body="正在研究。", answer_class="D"))
    ps.send_answer_to_head(a.id, liaison_user)
    ps.sign_answer(a.id, head_user)
    ps.send_answer(a.id, liaison_user)
    _, token = ps.review_answer(a.id, office_user, accept=True, criteria=dict.fromkeys(ps.REVIEW_CRITERIA, True))

    proposer = web.page(PHONE)
    proposer.goto(f"/public/rate/{token}/")
    proposer.get_by_role("radio", name="不满意").check()
    proposer.get_by_role("button", name="提交评价").click()
    expect(proposer.locator(".alert.error")).to_contain_text("请填写意见")
    web.shot(proposer, "reason-required")
    proposer.get_by_role("radio", name="不满意").check()
    proposer.get_by_label("意见（不满意时请说明理由）").fill("没有回应指导价的问题")
    proposer.get_by_role("button", name="提交评价").click()
    expect(proposer.get_by_text("承办单位将重新办理")).to_be_visible()
    web.shot(proposer, "unsatisfied")

    liaison = web.login("zjj_lly")
    liaison.goto(f"/proposals/{p.id}/")
    expect(liaison.locator("#proposal-state")).to_have_text("办理中")
    expect(liaison.get_by_text("重新办理").first).to_be_visible()
    expect(liaison.locator("#deadline")).to_contain_text("（原")
    expect(liaison.get_by_role("heading", name="起草答复函（重新办理）")).to_be_visible()
    web.shot(liaison, "rehandling")
    head = web.login("zjj_fzr")
    head.goto(f"/proposals/{p.id}/")
    answer_through_the_unit(web, liaison, head, "关于规范物业服务收费的提案", cls="A",
                            body="经与委员面商，已出台物业服务收费指导价。")
    office = web.login("duchayuan")
    office.goto(f"/proposals/{p.id}/")
    link = office_accepts(web, office)
    proposer.goto(link)
    expect(proposer.get_by_text("已出台物业服务收费指导价")).to_be_visible()
    proposer.get_by_role("radio", name="基本满意").check()
    proposer.get_by_role("button", name="提交评价").click()
    office.reload()
    expect(office.locator("#proposal-state")).to_have_text("已办结")
    expect(office.locator(".answer")).to_have_count(2)
    web.shot(office, "closed-after-second-answer")


def test_the_portal_on_a_phone(web, demo):
    from duban.items import services as svc
    from duban.orgs.models import Unit
    from duban.portal import services as portal

    org, users = demo
    office_user, leader = users["duchayuan"], users["fushizhang_liu"]
    unit = Unit.objects.get(org=org, name="市住房和城乡建设局")

    def registered(title):
        item = svc.create_draft(org, office_user, svc.DraftFields(
            title=title, content="内部要求：逐一制定方案。", kind="meeting_decision", urgency="normal",
            lead_unit=unit, co_units=[], responsible_leader=leader))
        svc.submit_proposal(item.id, office_user)
        return svc.approve_proposal(item.id, leader)

    items = [registered(t) for t in ("城区内涝点整治", "老旧小区加装电梯", "中心城区停车设施建设")]
    for item in items:
        portal.publish_item(item.id, office_user, body=f"{item.title}：已完成阶段任务，正在按计划推进。")
    unpublished = registered("未公开的内部督办事项")

    phone = web.page(PHONE)
    phone.goto("/public/")
    expect(phone.locator("article.card")).to_have_count(3)
    web.shot(phone, "portal-list")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    phone.get_by_role("searchbox", name="搜索").fill(items[0].title[:4])
    phone.get_by_role("button", name="搜索").click()
    expect(phone.locator("article.card").first).to_contain_text(items[0].title[:4])
    web.shot(phone, "portal-search")
    phone.locator("article.card h2 a").first.click()
    expect(phone.get_by_role("heading", name="公众意见")).to_be_visible()
    entry_url = phone.url
    phone.get_by_label("您的意见（500字以内）").fill("建议公布下一阶段的时间表。")
    phone.get_by_role("button", name="提交意见").click()
    expect(phone.get_by_role("status")).to_contain_text("经审核后公开")
    expect(phone.get_by_text("建议公布下一阶段的时间表")).to_have_count(0)
    web.shot(phone, "portal-opinion-sent")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.context.cookies() == []
    phone.goto(f"/public/?q={unpublished.title}")
    expect(phone.locator("article.card")).to_have_count(0)

    office = web.login("duchayuan")
    nav(office, "公开")
    expect(office.get_by_text("建议公布下一阶段的时间表。")).to_be_visible()
    office.get_by_role("button", name="公开", exact=True).first.click()
    expect(office.locator(".alert-success")).to_contain_text("已审核")
    web.shot(office, "office-moderated")
    phone.goto(entry_url)
    expect(phone.get_by_text("建议公布下一阶段的时间表。")).to_be_visible()
    web.shot(phone, "portal-opinion-shown")
