"""The pages, as a person uses them: what each role sees and what a form submission changes."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.items import services as svc
from duban.items.models import ExtensionRequest, Item, Report, Status

from ..factories import aware

S = Status


def html(response):
    return response.content.decode()


def test_login_page_and_wrong_password(client, world):
    assert "登录" in html(client.get(reverse("login")))
    r = client.post(reverse("login"), {"username": world.supervisor.username, "password": "wrong"})
    assert "用户名或密码不正确" in html(r)
    r = client.post(reverse("login"), {"username": world.supervisor.username, "password": "pw-12345"})
    assert r.status_code == 302 and r.headers["Location"] == reverse("home")


def test_pages_need_login(client, world):
    for name in ("worklist", "item_list", "item_create", "item_export"):
        r = client.get(reverse(name))
        assert r.status_code == 302 and "/login/" in r.headers["Location"]


@pytest.mark.parametrize("role,state,bucket", [
    ("supervisor", S.DRAFT, "草拟中的事项"),
    ("supervisor", S.UNDER_REVIEW, "待审核办结报告"),
    ("supervisor", S.DECLINED, "单位退回待改派"),
    ("supervisor", S.CLOSED, "已办结待归档"),
    ("leader", S.PENDING_APPROVAL, "待我审批立项"),
    ("leader", S.PENDING_LEADER, "待我审阅（一事一报）"),
    ("liaison.lead", S.ASSIGNED, "待签收"),
    ("liaison.lead", S.IN_PROGRESS, "办理中（本单位主办）"),
])
def test_worklist_shows_the_item_waiting_for_this_user(client, world, role, state, bucket):
    item = world.item_in(state, title=f"待办测试{state}")
    user = world.liaison["lead"] if role == "liaison.lead" else getattr(world, role)
    client.force_login(user)
    page = html(client.get(reverse("worklist")))
    section = page.split(bucket, 1)[1].split("card-header", 1)[0]
    assert item.title in section
    # and nobody else's work list has it in that section
    client.force_login(world.liaison["other"])
    assert item.title not in html(client.get(reverse("worklist")))


def test_unit_head_work_list_has_reports_to_sign(client, world):
    item = world.item_in(S.IN_PROGRESS)
    r = svc.draft_report(item.id, world.liaison["lead"], kind=Report.Kind.PROGRESS, body="本周进展")
    svc.send_report_to_head(r.id, world.liaison["lead"])
    client.force_login(world.head["lead"])
    page = html(client.get(reverse("worklist")))
    assert "待我审签的报告" in page and item.title in page
    detail = html(client.get(reverse("item_detail", args=[item.id])))
    assert "审签同意" in detail and "本周进展" in detail


def test_draft_form_errors_in_chinese_and_nothing_created(client, world):
    client.force_login(world.supervisor)
    r = client.post(reverse("item_create"), {})
    assert r.status_code == 200
    assert "这个字段是必填项" in html(r)
    assert Item.objects.count() == 0


def test_draft_form_creates_item_with_proposed_deadline(client, world):
    client.force_login(world.supervisor)
    r = client.post(reverse("item_create"), {
        "title": "关于背街小巷整治的督查事项", "kind": "instruction", "urgency": "normal", "content": "整治背街小巷",
        "lead_unit": world.units["lead"].id, "co_units": [world.units["co"].id],
        "responsible_leader": world.leader.id,
        "source_files": SimpleUploadedFile("批示.pdf", b"%PDF-1.4"),
    })
    item = Item.objects.get()
    assert r.status_code == 302 and r.headers["Location"] == reverse("item_detail", args=[item.id])
    assert item.status == S.DRAFT and item.deadline is not None and item.deadline_rule.amount == 5
    assert item.attachments.get().original_name == "批示.pdf"


def test_draft_form_refuses_other_deadline_without_reason(client, world):
    client.force_login(world.supervisor)
    r = client.post(reverse("item_create"), {
        "title": "t", "kind": "other", "urgency": "normal", "content": "c", "lead_unit": world.units["lead"].id,
        "responsible_leader": world.leader.id, "deadline": "2099-01-01",
    })
    assert "请填写调整理由" in html(r)
    assert Item.objects.count() == 0


def test_liaison_cannot_open_drafting(client, world):
    client.force_login(world.liaison["lead"])
    r = client.get(reverse("item_create"), follow=True)
    assert "只有督查室人员可以拟办督查事项" in html(r)


def test_deadline_preview_names_rule_and_date(client, world):
    client.force_login(world.supervisor)
    page = html(client.get(reverse("deadline_preview"), {"kind": "instruction", "urgency": "normal"}))
    assert "建议时限" in page and "5" in page


def test_item_page_shows_only_actions_the_user_may_take(client, world):
    item = world.item_in(S.PENDING_APPROVAL)
    client.force_login(world.leader)
    page = html(client.get(reverse("item_detail", args=[item.id])))
    assert "批准立项" in page and "退回修改" in page and "登记催办" not in page
    client.force_login(world.supervisor)
    page = html(client.get(reverse("item_detail", args=[item.id])))
    assert "批准立项" not in page and "您当前没有可办理的操作" in page


def test_approve_through_the_page(client, world):
    item = world.item_in(S.PENDING_APPROVAL)
    client.force_login(world.leader)
    r = client.post(reverse("item_action", args=[item.id, "approve_proposal"]), {"version": item.version, "comment": "同意"}, follow=True)
    item.refresh_from_db()
    assert item.status == S.ASSIGNED
    assert item.number in html(r) and "操作成功" in html(r)


def test_wrong_role_through_the_page_is_refused_and_changes_nothing(client, world):
    item = world.item_in(S.PENDING_APPROVAL)
    client.force_login(world.supervisor)
    r = client.post(reverse("item_action", args=[item.id, "approve_proposal"]), {"version": item.version})
    assert r.status_code == 403 and "您无权执行“批准立项”" in html(r)
    item.refresh_from_db()
    assert item.status == S.PENDING_APPROVAL


def test_stale_page_is_refused(client, world):
    item = world.item_in(S.PENDING_APPROVAL)
    client.force_login(world.leader)
    stale = item.version
    svc.approve_proposal(item.id, world.principal)
    r = client.post(reverse("item_action", args=[item.id, "reject_proposal"]), {"version": stale, "comment": "不同意"})
    assert r.status_code == 409 and "已被他人更新" in html(r)


def test_missing_reason_shows_form_error(client, world):
    item = world.item_in(S.PENDING_APPROVAL)
    client.force_login(world.leader)
    r = client.post(reverse("item_action", args=[item.id, "reject_proposal"]), {"version": item.version, "comment": ""})
    assert r.status_code == 400 and "请检查填写的内容" in html(r)
    item.refresh_from_db()
    assert item.status == S.PENDING_APPROVAL


def test_report_flow_through_the_page(client, world):
    item = world.item_in(S.IN_PROGRESS)
    client.force_login(world.liaison["lead"])
    client.post(reverse("item_action", args=[item.id, "draft_report"]), {
        "kind": "completion", "body": "已全部完成", "files": SimpleUploadedFile("报告.docx", b"PK..")})
    report = item.reports.get()
    assert report.attachments.get().original_name == "报告.docx"
    client.post(reverse("report_action", args=[report.id, "send_report_to_head"]))
    client.force_login(world.head["lead"])
    client.post(reverse("report_action", args=[report.id, "approve_report"]), {"comment": "同意"})
    client.force_login(world.liaison["lead"])
    item.refresh_from_db()
    client.post(reverse("report_action", args=[report.id, "submit_report"]), {"version": item.version})
    item.refresh_from_db()
    assert item.status == S.UNDER_REVIEW


def test_review_return_through_the_page(client, world):
    item = world.item_in(S.UNDER_REVIEW)
    client.force_login(world.supervisor)
    r = client.post(reverse("item_action", args=[item.id, "return_for_rework"]),
                    {"version": item.version, "task_done": "on", "comment": "问题未解决"})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS and item.reviews.get().comment == "问题未解决"


def test_extension_request_and_decision_through_the_page(client, world):
    item = world.item_in(S.IN_PROGRESS)
    until = item.deadline + dt.timedelta(days=10)
    client.force_login(world.liaison["lead"])
    client.post(reverse("item_action", args=[item.id, "request_extension"]),
                {"version": item.version, "until": until.isoformat(), "reason": "需要协调", "progress": "已完成一半"})
    ext = ExtensionRequest.objects.get()
    client.force_login(world.supervisor)
    assert "提交审批" in html(client.get(reverse("item_detail", args=[item.id])))
    client.post(reverse("extension_decide", args=[ext.id]), {"decision": "approve", "comment": "同意"})
    item.refresh_from_db()
    assert item.deadline == until


def test_urge_through_the_page(client, world):
    item = world.item_in(S.IN_PROGRESS)
    client.force_login(world.supervisor)
    client.post(reverse("item_action", args=[item.id, "log_urge"]),
                {"method": "phone", "contact_person": "张三", "summary": "答复周五前报送"})
    assert item.urges.get().summary == "答复周五前报送"


def test_list_filters_and_pages_at_50(client, world):
    for i in range(55):
        world.draft(title=f"批量事项{i:02d}")
    late = world.item_in(S.IN_PROGRESS, now=aware(2025, 3, 3), title="早已超期的事项")
    client.force_login(world.supervisor)
    with CaptureQueriesContext(connection) as read:
        page = html(client.get(reverse("item_list")))
    # The first page does not count the list: it asks for the total once it is on screen.
    assert not [q for q in read.captured_queries if "COUNT(" in q["sql"] and "items_item" in q["sql"]]
    assert "第 1 页，正在统计总数…" in page and "下一页" in page
    assert f'hx-get="{reverse("item_list_count")}?&page=1"' in page, page[page.index("分页"):][:400]
    assert html(client.get(reverse("item_list_count"), {"page": 1})) == "第 1 / 2 页，共 56 件"
    # The last page knows the total from its own rows; a page past the end shows the last one.
    for number in (2, 9):
        page = html(client.get(reverse("item_list"), {"page": number}))
        assert "第 2 / 2 页，共 56 件" in page and "上一页" in page and "下一页" not in page
    assert html(client.get(reverse("item_list_count"), {"page": 9})) == "第 2 / 2 页，共 56 件"
    assert html(client.get(reverse("item_list_count"), {"q": "事项0"})) == "第 1 / 1 页，共 10 件"
    page = html(client.get(reverse("item_list"), {"overdue": "on"}))
    assert late.title in page and "批量事项" not in page
    page = html(client.get(reverse("item_list"), {"q": "事项07"}))
    assert "批量事项07" in page and "批量事项08" not in page
    page = html(client.get(reverse("item_list"), {"q": late.number}))
    assert late.title in page and "共 1 件" in page
    partial = html(client.get(reverse("item_list"), {"status": "in_progress"}, HTTP_HX_REQUEST="true"))
    assert late.title in partial and "<nav class=\"navbar" not in partial


def test_export_neutralises_formulas(client, world):
    world.item_in(S.IN_PROGRESS, title="=HYPERLINK(\"http://evil\")")
    client.force_login(world.supervisor)
    body = client.get(reverse("item_export")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_archived_item_page_shows_the_volume(client, world):
    item = world.item_in(S.ARCHIVED)
    client.force_login(world.supervisor)
    page = html(client.get(reverse("item_detail", args=[item.id])))
    assert "卷内文件目录" in page and "办结报告" in page and "领导批示" in page and "本事项已归档，只读" in page
    assert "您当前没有可办理的操作" in page


def test_report_returned_by_head_can_be_edited_on_the_page(client, world):
    item = world.item_in(S.IN_PROGRESS)
    r = svc.draft_report(item.id, world.liaison["lead"], kind=Report.Kind.COMPLETION, body="初稿")
    svc.send_report_to_head(r.id, world.liaison["lead"])
    svc.return_report_to_author(r.id, world.head["lead"], comment="补充数据")
    client.force_login(world.liaison["lead"])
    assert "修改报告内容" in html(client.get(reverse("item_detail", args=[item.id])))
    client.post(reverse("report_action", args=[r.id, "edit_report"]), {"body": "修改稿：已补充数据"})
    r.refresh_from_db()
    assert r.body == "修改稿：已补充数据"
    client.force_login(world.liaison["other"])
    assert client.post(reverse("report_action", args=[r.id, "edit_report"]), {"body": "篡改"}).status_code == 404


def test_draft_page_offers_editing_to_the_office(client, world):
    item = world.draft()
    client.force_login(world.supervisor)
    page = html(client.get(reverse("item_detail", args=[item.id])))
    assert "修改草稿" in page


def test_extension_not_offered_after_the_deadline(client, world):
    item = world.item_in(S.IN_PROGRESS, now=aware(2025, 3, 3))
    client.force_login(world.liaison["lead"])
    page = html(client.get(reverse("item_detail", args=[item.id])))
    assert "请先报送<strong>情况说明</strong>" in page
    assert "申请延期" not in page


def test_404_page_is_chinese(client, world):
    client.force_login(world.liaison["other"])
    r = client.get("/items/999999/")
    assert r.status_code == 404 and "页面不存在" in html(r)


def test_lists_show_an_item_without_a_lead_unit(client, world):
    """A draft registered from the upper level has no lead unit until the lower office names one;
    the list and the work list show it with an empty unit column, never an error."""
    from duban.items.models import Item

    draft = world.draft(title="尚未确定主办单位的草稿")
    Item.objects.filter(pk=draft.pk).update(lead_unit=None)
    client.force_login(world.supervisor)
    for url in ("/items/", "/worklist/"):
        r = client.get(url)
        assert r.status_code == 200 and "尚未确定主办单位的草稿" in r.content.decode()


def test_work_list_deadlines_in_another_year_carry_the_year(client, world):
    """Issue 13, point 7: a deadline of next January read as this January on the work list."""
    import re

    from django.utils import timezone

    today = timezone.localdate()
    this_year = world.item_in(S.IN_PROGRESS, title="今年到期事项")
    next_year = world.item_in(S.IN_PROGRESS, title="明年到期事项")
    Item.objects.filter(pk=this_year.pk).update(deadline=dt.date(today.year, 12, 30))
    Item.objects.filter(pk=next_year.pk).update(deadline=dt.date(today.year + 1, 1, 5))
    client.force_login(world.liaison["lead"])
    page = html(client.get(reverse("worklist")))
    assert re.search(r"今年到期事项.*?>12-30<", page, re.S)
    assert re.search(rf"明年到期事项.*?>{today.year + 1}-01-05<", page, re.S)


def test_past_the_deadline_the_page_offers_no_filing_of_an_approved_progress_report(client, world):
    """Seed 000 art. 4(4): after the deadline the explanation goes first. The load test found the
    page offering 报送 for a report the head had approved before the deadline passed, which the
    service then refused; the button now follows the rule, and returns once the explanation is in."""
    item = world.item_in(S.IN_PROGRESS)
    r = svc.draft_report(item.id, world.liaison["lead"], kind=Report.Kind.PROGRESS, body="进展过半")
    svc.send_report_to_head(r.id, world.liaison["lead"])
    svc.approve_report(r.id, world.head["lead"])
    submit = reverse("report_action", args=[r.id, "submit_report"])
    client.force_login(world.liaison["lead"])
    assert submit in html(client.get(reverse("item_detail", args=[item.id])))

    Item.objects.filter(pk=item.pk).update(deadline=dt.date.today() - dt.timedelta(days=5))
    with CaptureQueriesContext(connection) as ctx:
        page = html(client.get(reverse("item_detail", args=[item.id])))
    assert submit not in page and "情况说明" in page
    # the rule is asked once for the page, not again for each report it offers to file
    assert len([q for q in ctx.captured_queries if "'explanation'" in q["sql"] and "items_report" in q["sql"]]) == 1

    world.file_report(Item.objects.get(pk=item.pk), Report.Kind.EXPLANATION, body="因雨季施工受阻超期")
    assert submit in html(client.get(reverse("item_detail", args=[item.id])))


def test_a_reports_files_show_under_it_from_the_items_files_read_once(client, world):
    """The item page reads the item's files once and hands each report its own (seed 000 art. 4:
    the report with its material); a report the reader may not see keeps its files hidden."""
    item = world.item_in(S.IN_PROGRESS)
    liaison, head = world.liaison["lead"], world.head["lead"]
    svc.add_attachment(item.id, world.supervisor, SimpleUploadedFile("交办附件.pdf", b"%PDF-1.4 a"))
    filed = svc.draft_report(item.id, liaison, kind=Report.Kind.PROGRESS, body="已完成排查。")
    svc.add_attachment(item.id, liaison, SimpleUploadedFile("整改照片.pdf", b"%PDF-1.4 b"), report=filed)
    svc.send_report_to_head(filed.id, liaison)
    svc.approve_report(filed.id, head)
    svc.submit_report(filed.id, liaison)
    draft = svc.draft_report(item.id, liaison, kind=Report.Kind.PROGRESS, body="草稿")
    svc.add_attachment(item.id, liaison, SimpleUploadedFile("草稿材料.pdf", b"%PDF-1.4 c"), report=draft)
    client.force_login(world.supervisor)
    with CaptureQueriesContext(connection) as read:
        page = html(client.get(reverse("item_detail", args=[item.id])))
    card = page[page.index('id="reports"'):]
    assert card.index("已完成排查。") < card.index("附件：整改照片.pdf")
    assert "草稿材料.pdf" not in page  # the office does not see the unit's draft, nor its files
    assert "附件：交办附件.pdf" in page
    assert len([q for q in read.captured_queries if 'FROM "items_attachment"' in q["sql"]]) == 1
    client.force_login(world.liaison["lead"])
    assert "附件：草稿材料.pdf" in html(client.get(reverse("item_detail", args=[item.id])))
