"""One item's whole life, in Chromium, as the four people who handle it log in and act on it."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .helpers import card, expect_bucket, expect_status, open_action, report, timeline, choose

pytestmark = pytest.mark.browser

TITLE = "关于城区积水点整治的督查事项"


def file_completion_report(web, liaison: Page, head: Page, body: str, attachment=None):
    """The liaison drafts a completion report and sends it to the unit head, who signs it; the
    liaison then files it with the office."""
    liaison.goto("/")
    liaison.get_by_role("link", name=TITLE).first.click()
    box = open_action(liaison, "起草报告")
    box.get_by_label("报告类型").select_option(label="办结报告")
    box.get_by_label("报告内容").fill(body)
    if attachment:
        box.get_by_label("附件").set_input_files(attachment)
    web.shot(liaison, "liaison-report-form")
    box.get_by_role("button", name="起草报告").click()
    expect(liaison.get_by_role("alert")).to_contain_text("报告已起草")
    draft = report(liaison, "草稿")
    expect(draft).to_contain_text(body)
    if attachment:
        expect(draft.get_by_role("link", name=re.compile(attachment.name))).to_be_visible()
    draft.get_by_role("button", name="呈负责人审签").click()
    expect(report(liaison, "待负责人审签")).to_be_visible()
    web.shot(liaison, "liaison-report-sent-to-head")

    head.goto("/")
    expect_bucket(head, "reports_to_sign", 1, TITLE)
    web.shot(head, "head-worklist")
    head.get_by_role("link", name=TITLE).click()
    waiting = report(head, "待负责人审签")
    expect(waiting).to_contain_text(body)
    waiting.get_by_placeholder("审签意见").fill("同意报送。")
    waiting.get_by_role("button", name="审签同意").click()
    expect(report(head, "负责人已审签")).to_contain_text("同意报送。")
    web.shot(head, "head-signed")

    liaison.goto("/")
    expect_bucket(liaison, "reports_to_submit", 1, TITLE)
    liaison.locator("#bucket-reports_to_submit").get_by_role("link", name=TITLE).click()
    report(liaison, "负责人已审签").get_by_role("button", name="报送", exact=True).click()
    expect_status(liaison, "待审核")
    expect(report(liaison, "已报送")).to_contain_text(body)
    web.shot(liaison, "liaison-filed")


def test_an_item_goes_from_draft_to_archive_through_four_people(web, demo, tmp_path):
    year = timezone.localdate().year
    number = f"督〔{year}〕1号"
    pdf = tmp_path / "积水点整治完成情况.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    # The supervisor drafts the item; the rule proposes the deadline.
    sup = web.login("duchayuan")
    expect(sup.locator("#worklist-total")).to_have_text("0")
    web.shot(sup, "supervisor-worklist-empty")
    sup.get_by_role("link", name="拟办事项").first.click()
    expect(sup.get_by_role("heading", name="拟办督查事项")).to_be_visible()
    sup.get_by_label("标题").fill(TITLE)
    sup.get_by_label("类别").select_option(label="领导批示件")
    sup.get_by_label("缓急").select_option(label="紧急")
    sup.get_by_label("内容与要求").fill("对汛期暴露的积水点逐一制定整治方案，汛前完成整治并报送结果。")
    choose(sup, "主办单位", "市住房和城乡建设局")
    sup.get_by_label("分管领导").select_option(label="刘洋")
    expect(sup.get_by_label("办理时限")).to_have_value("")
    preview = sup.locator("#deadline-preview")
    expect(preview).to_contain_text("领导批示件：5个工作日内报送办理结果")
    expect(preview).to_contain_text("建议时限")
    web.shot(sup, "supervisor-draft-form")
    sup.get_by_role("button", name="保存草稿").click()
    expect(sup.get_by_role("alert")).to_contain_text("事项已草拟")
    expect_status(sup, "草拟")
    expect(sup.locator("#item-title")).to_have_text(TITLE)
    expect(sup.locator("#item-deadline")).to_contain_text(f"{year}年")
    expect(sup.locator("#item-deadline")).to_contain_text("依据：领导批示件")
    assert timeline(sup) == ["草拟"]
    web.shot(sup, "supervisor-draft-saved")

    open_action(sup, "呈领导审批").get_by_role("button", name="呈领导审批").click()
    expect_status(sup, "待审批")
    assert timeline(sup) == ["草拟", "呈领导审批"]
    web.shot(sup, "supervisor-submitted")

    # The responsible leader approves it: it is registered under the year's number and assigned.
    leader = web.login("fushizhang_liu")
    expect(leader.locator("#worklist-total")).to_have_text("1")
    expect_bucket(leader, "to_approve", 1, TITLE)
    web.shot(leader, "leader-worklist")
    leader.get_by_role("link", name=TITLE).click()
    expect_status(leader, "待审批")
    open_action(leader, "批准立项").get_by_label("意见").fill("同意立项，请住建局抓紧办理。")
    leader.locator("#action-approve_proposal").get_by_role("button", name="批准立项").click()
    expect_status(leader, "已交办待签收")
    expect(leader.get_by_text(number)).to_be_visible()
    assert timeline(leader)[-2:] == ["批准立项", "交办"]
    web.shot(leader, "leader-approved")
    leader.goto("/")
    expect(leader.locator("#worklist-total")).to_have_text("0")

    # The lead unit's liaison accepts it, naming the person responsible.
    liaison = web.login("zjj_lly")
    expect_bucket(liaison, "to_accept", 1, TITLE)
    web.shot(liaison, "liaison-worklist")
    liaison.locator("#bucket-to_accept").get_by_role("link", name=TITLE).click()
    expect(liaison.get_by_text(number)).to_be_visible()
    box = open_action(liaison, "签收")
    box.get_by_label(re.compile(r"^责任人( \*)?$")).fill("罗明")
    box.get_by_label("责任人电话").fill("0931-8000002")
    web.shot(liaison, "liaison-accept-form")
    box.get_by_role("button", name="签收").click()
    expect_status(liaison, "办理中")
    units = liaison.locator("table").filter(has_text="签收").first
    expect(units).to_contain_text("已签收")
    expect(units).to_contain_text("罗明")
    assert timeline(liaison)[-1] == "签收"
    web.shot(liaison, "liaison-accepted")

    # The completion report, with its attachment, goes through the unit head to the office.
    head = web.login("zjj_fzr")
    expect(head.locator("#worklist-total")).to_have_text("0")
    file_completion_report(web, liaison, head, "12处积水点已完成整治。", attachment=pdf)

    # The supervisor reviews it and sends it back for rework.
    sup.goto("/")
    expect_bucket(sup, "to_review", 1, TITLE)
    web.shot(sup, "supervisor-worklist-to-review")
    sup.locator("#bucket-to_review").get_by_role("link", name=TITLE).click()
    expect_status(sup, "待审核")
    expect(report(sup, "已报送").get_by_role("link", name=re.compile(pdf.name))).to_be_visible()
    box = open_action(sup, "审核通过并呈报领导")
    for label in ("任务是否完成", "问题是否解决", "结论是否恰当", "是否合法合规"):
        box.get_by_label(label).check()
    box.get_by_label("审核意见").fill("缺少整治前后的现场照片，请补充后重新报送。")
    web.shot(sup, "supervisor-review-form")
    box.get_by_role("button", name="退回重办").click()
    expect_status(sup, "办理中")
    expect(report(sup, "退回重办")).to_be_visible()
    expect(card(sup, "审核")).to_contain_text("缺少整治前后的现场照片")
    assert timeline(sup)[-1] == "退回重办"
    web.shot(sup, "supervisor-returned")

    # The liaison files again through the head; the supervisor accepts.
    liaison.goto("/")
    expect_bucket(liaison, "handling", 1, TITLE)
    file_completion_report(web, liaison, head, "12处积水点已完成整治，补充整治前后现场照片。")
    sup.goto("/")
    expect_bucket(sup, "to_review", 1, TITLE)
    sup.locator("#bucket-to_review").get_by_role("link", name=TITLE).click()
    box = open_action(sup, "审核通过并呈报领导")
    for label in ("任务是否完成", "问题是否解决", "结论是否恰当", "是否合法合规"):
        box.get_by_label(label).check()
    box.get_by_label("审核意见").fill("材料齐全，同意办结。")
    box.get_by_role("button", name="审核通过并呈报领导").click()
    expect_status(sup, "待领导审阅")
    expect(report(sup, "审核通过")).to_contain_text("补充整治前后现场照片")
    web.shot(sup, "supervisor-accepted")

    # The leader agrees to close it.
    leader.goto("/")
    expect_bucket(leader, "to_decide", 1, TITLE)
    web.shot(leader, "leader-worklist-to-decide")
    leader.locator("#bucket-to_decide").get_by_role("link", name=TITLE).click()
    box = open_action(leader, "同意办结")
    box.get_by_label("批示内容").fill("同意办结。")
    box.get_by_role("button", name="同意办结").click()
    expect_status(leader, "已办结")
    expect(card(leader, "领导批示")).to_contain_text("同意办结。")
    web.shot(leader, "leader-closed")

    # The supervisor archives it: one item, one volume, read-only.
    sup.goto("/")
    expect_bucket(sup, "to_archive", 1, TITLE)
    sup.locator("#bucket-to_archive").get_by_role("link", name=TITLE).click()
    open_action(sup, "归档").get_by_role("button", name="归档").click()
    expect_status(sup, "已归档")
    expect(sup.get_by_text("本事项已归档，只读。")).to_be_visible()
    expect(sup.locator("#actions")).to_contain_text("您当前没有可办理的操作")
    volume = sup.locator("#volume")
    expect(volume).to_contain_text("卷内文件目录")
    expect(volume).to_contain_text(f"督查事项交办（{number}）")
    expect(volume).to_contain_text(pdf.name)
    expect(volume.locator("tbody tr").filter(has_text="办结报告")).to_have_count(2)
    expect(volume.locator("tbody tr").filter(has_text="领导批示")).to_have_count(1)
    assert timeline(sup) == [
        "草拟", "呈领导审批", "批准立项", "交办", "签收",
        "起草报告", "上传附件", "呈负责人审签", "审签同意", "报送办结报告", "退回重办",
        "起草报告", "呈负责人审签", "审签同意", "报送办结报告", "审核通过并呈报领导",
        "同意办结", "归档",
    ]
    web.shot(sup, "supervisor-archived")
    sup.goto("/")
    expect(sup.locator("#worklist-total")).to_have_text("0")
