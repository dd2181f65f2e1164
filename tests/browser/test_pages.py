"""Every page a person uses, for the roles that use it, on a desktop and (the liaison) on a phone."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duban.items import services as svc
from duban.items.models import Item, ItemKind, Report, Urgency
from duban.orgs.models import Unit

from .helpers import DESKTOP, PHONE, bucket_counts, card, expect_status, nav, open_action, rows, timeline, choose

pytestmark = pytest.mark.browser

WAITING = "关于城市道路破损修复的督查事项"
OVERDUE = "关于背街小巷路灯维修的督查事项"
HANDLING = "关于建筑工地扬尘治理的督查事项"


@pytest.fixture
def items(demo):
    """The demo organisation's items, plus three of 住建局's: one waiting to be accepted, one past
    its deadline, one in hand with a progress report waiting for the unit head."""
    from duban.demo.seed import create_demo_items

    org, people = demo
    create_demo_items(org)
    sup, liu, lly = (people[u] for u in ("duchayuan", "fushizhang_liu", "zjj_lly"))
    zjj = Unit.objects.get(org=org, short_name="住建局")

    def registered(title, now=None):
        item = svc.create_draft(org, sup, svc.DraftFields(
            title=title, content="请按要求办理并报送结果。", kind=ItemKind.INSTRUCTION, urgency=Urgency.NORMAL,
            lead_unit=zjj, co_units=[], responsible_leader=liu), now=now)
        svc.submit_proposal(item.id, sup, now=now)
        return svc.approve_proposal(item.id, liu, now=now)

    waiting = registered(WAITING)
    long_ago = timezone.now() - dt.timedelta(days=60)
    overdue = registered(OVERDUE, now=long_ago)
    svc.accept(overdue.id, lly, responsible_person="罗明", now=long_ago)
    handling = registered(HANDLING)
    svc.accept(handling.id, lly, responsible_person="罗明", responsible_phone="0931-8000002")
    r = svc.draft_report(handling.id, lly, kind=Report.Kind.PROGRESS, body="已排查在建工地46个，整改19个。")
    svc.send_report_to_head(r.id, lly)
    for i in (waiting, overdue, handling):
        i.refresh_from_db()
    assert overdue.is_overdue() and not handling.is_overdue()
    return SimpleNamespace(org=org, people=people, waiting=waiting, overdue=overdue, handling=handling)


# --- logging in ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_login_page_refuses_a_wrong_password_in_chinese_then_lets_the_person_in(web, demo, viewport):
    page = web.page(viewport)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.get_by_role("heading", name="督查督办系统")).to_be_visible()
    web.shot(page, "login")
    page.get_by_label("用户名").fill("zjj_lly")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("用户名或密码不正确，请重新输入。")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/"))
    web.shot(page, "wrong-password")
    web.login("zjj_lly", viewport=viewport, page=page)
    expect(page.get_by_text("住建局 · ")).to_be_attached()
    web.shot(page, "logged-in")
    if page.get_by_role("button", name="菜单").is_visible():
        page.get_by_role("button", name="菜单").click()
        expect(page.locator("#nav").get_by_role("link", name="督查事项")).to_be_visible()
        web.shot(page, "phone-menu", full_page=False)
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.goto("/items/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/items/"))


# --- each role's work list, item list and item page ----------------------------------------------------

ROLES = [
    # username, viewport, {bucket: count}, items in 督查事项, the actions on the item in hand
    # (the demo's items include one sent down to 东城区; the district's own copy is not the city's to list)
    ("duchayuan", DESKTOP, {"drafts": 1, "to_reassign": 0, "to_review": 1, "extensions": 0, "to_archive": 0},
     10, ["改派", "登记催办"]),
    ("duchashi_zhuren", DESKTOP, {"drafts": 0, "to_reassign": 0, "to_review": 1, "extensions": 0, "to_archive": 0},
     10, ["改派", "登记催办"]),
    ("fushizhang_liu", DESKTOP, {"to_approve": 1, "to_decide": 0}, 9, []),
    ("shizhang", DESKTOP, {"to_approve": 0, "to_decide": 0}, 9, []),
    ("zjj_lly", DESKTOP, {"to_accept": 1, "explanation": 1, "reports_to_submit": 0, "handling": 2, "co_input": 0},
     4, ["起草报告", "申请延期"]),
    ("zjj_lly", PHONE, {"to_accept": 1, "explanation": 1, "reports_to_submit": 0, "handling": 2, "co_input": 0},
     4, ["起草报告", "申请延期"]),
    ("zjj_fzr", DESKTOP, {"reports_to_sign": 1}, 4, []),
    ("admin", DESKTOP, {}, 10, []),
]


@pytest.mark.parametrize(
    "username,viewport,buckets,listed,actions", ROLES,
    ids=[f"{r[0]}-{'phone' if r[1] is PHONE else 'desktop'}" for r in ROLES],
)
def test_each_role_finds_its_work_and_the_item_in_hand(web, items, username, viewport, buckets, listed, actions):
    page = web.login(username, viewport=viewport)
    assert bucket_counts(page) == buckets
    expect(page.locator("#worklist-total")).to_have_text(str(sum(buckets.values())))
    if not buckets:
        expect(page.get_by_text("您的角色没有待办事项。")).to_be_visible()
    web.shot(page, "worklist")
    if viewport is PHONE and buckets.get("handling"):
        # On a 390-px phone a light's label wrapped one character a line (正 / 常): one line each.
        labels = page.locator("#bucket-handling .light + .small")
        expect(labels.first).to_be_visible()
        for label in labels.all():
            box = label.bounding_box()
            assert box["height"] < box["width"], f"{label.inner_text()} wraps: {box}"

    nav(page, "督查事项")
    expect(page.get_by_role("heading", name="督查事项")).to_be_visible()
    expect(page.locator("#item-table")).to_contain_text(f"共 {listed} 件")
    expect(rows(page)).to_have_count(listed)
    web.shot(page, "item-list")

    page.get_by_role("link", name=HANDLING).click()
    expect(page.locator("#item-title")).to_have_text(HANDLING)
    expect_status(page, "办理中")
    expect(page.locator("#item-deadline")).to_contain_text("依据：领导批示件")
    # Auto-waiting assertions: on a loaded machine the page can still be parsing after the title shows.
    expect(page.locator("#timeline")).to_be_attached()
    if actions:
        expect(page.locator("#actions summary")).to_have_text(actions)
    else:
        expect(page.locator("#actions")).to_contain_text("您当前没有可办理的操作")
        expect(page.locator("#actions summary")).to_have_count(0)
    progress = page.locator("#reports li").filter(has_text="已排查在建工地46个")
    # A report is the unit's own until it is filed: the office and leaders do not see the draft.
    expect(progress).to_have_count(1 if username.startswith("zjj_") else 0)
    if username == "zjj_fzr":
        expect(progress.get_by_role("button", name="审签同意")).to_be_visible()
        expect(progress.get_by_role("button", name="退回修改")).to_be_visible()
    web.shot(page, "item")


@pytest.mark.parametrize("username,viewport", [("duchayuan", DESKTOP), ("zjj_lly", PHONE)],
                         ids=["supervisor-desktop", "liaison-phone"])
def test_item_list_narrows_as_one_types_a_title_and_ticks_overdue(web, items, username, viewport):
    page = web.login(username, viewport=viewport)
    nav(page, "督查事项")
    total = rows(page).count()
    assert total > 3
    search = page.get_by_placeholder("标题或编号")
    # Typing before htmx has bound the box lost the keys on a loaded CI machine (the list stayed whole).
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
    search.press_sequentially("扬尘")
    search.press("Enter")  # Chinese arrives committed from the input method; Enter sends it now
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text(HANDLING)
    expect(page.locator("#item-table")).to_contain_text("共 1 件")
    expect(page).to_have_url(re.compile(r"[?&]q=%E6%89%AC%E5%B0%98"))  # 扬尘, for the back button
    web.shot(page, "search")

    search.fill("")
    search.press("Backspace")  # a key press in the box sends the search
    expect(rows(page)).to_have_count(total)
    page.get_by_label("已超期").check()
    expect(rows(page).filter(has_text=OVERDUE)).to_have_count(1)
    expect(rows(page).filter(has_text=HANDLING)).to_have_count(0)
    n = rows(page).count()
    assert n < total
    expect(rows(page).locator(".badge", has_text="超期")).to_have_count(n)
    web.shot(page, "overdue")

    page.get_by_role("link", name=OVERDUE).click()
    expect(page.locator("#item-light")).to_have_text("超期")
    if username == "zjj_lly":
        expect(page.get_by_text("请先报送情况说明")).to_be_visible()
        box = open_action(page, "起草报告")
        expect(box.get_by_label("报告类型").locator("option")).to_have_text(["情况说明"])
    web.shot(page, "overdue-item")


# --- drafting ---------------------------------------------------------------------------------------------

def test_drafting_form_answers_in_chinese_and_creates_nothing_until_it_is_right(web, items):
    before = Item.objects.count()
    page = web.login("duchayuan")
    nav(page, "拟办事项")
    expect(page.locator("#deadline-preview")).to_contain_text("建议时限")
    page.get_by_role("button", name="保存草稿").click()
    # The browser stops an empty form itself ...
    assert page.get_by_label("标题").evaluate("e => e.validity.valueMissing")
    expect(page).to_have_url(re.compile(r"/items/new/$"))
    web.shot(page, "empty-blocked-by-browser")
    # ... and the server answers in Chinese when a browser does not (this one is told not to).
    page.locator("form.card").evaluate("f => f.noValidate = true")
    page.get_by_role("button", name="保存草稿").click()
    for label in ("标题", "内容与要求", "主办单位", "分管领导"):
        field = page.locator(".mb-2").filter(has=page.get_by_label(label))
        expect(field.locator(".text-danger.small")).to_have_text("这个字段是必填项。")
    web.shot(page, "empty-server-errors")

    # A deadline other than the rule's needs a reason; one in the past is refused.
    page.get_by_label("标题").fill("关于农贸市场改造提升的督查事项")
    page.get_by_label("内容与要求").fill("年内完成5个农贸市场改造提升。")
    choose(page, "主办单位", "市住房和城乡建设局")
    page.get_by_label("分管领导").select_option(label="刘洋")
    page.get_by_label("办理时限").fill((timezone.localdate() + dt.timedelta(days=200)).isoformat())
    page.get_by_role("button", name="保存草稿").click()
    reason = page.locator(".mb-2").filter(has=page.get_by_label("调整时限理由"))
    expect(reason.locator(".text-danger")).to_have_text("办理时限与规则建议不同，请填写调整理由")
    web.shot(page, "deadline-without-reason")
    page.get_by_label("办理时限").fill((timezone.localdate() - dt.timedelta(days=1)).isoformat())
    page.get_by_label("调整时限理由").fill("市政府常务会议明确的时限。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("办理时限不能早于今天")).to_be_visible()
    assert Item.objects.count() == before
    web.shot(page, "deadline-in-the-past")

    page.get_by_label("办理时限").fill((timezone.localdate() + dt.timedelta(days=200)).isoformat())
    page.get_by_role("button", name="保存草稿").click()
    expect_status(page, "草拟")
    expect(page.locator("#item-deadline")).to_contain_text("调整理由：市政府常务会议明确的时限。")
    assert Item.objects.count() == before + 1
    web.shot(page, "saved")


# --- extension, urge ------------------------------------------------------------------------------------

def test_liaison_asks_for_more_time_on_a_phone_and_the_supervisor_grants_it(web, items):
    old = items.handling.deadline
    until = old + dt.timedelta(days=14)
    liaison = web.login("zjj_lly", viewport=PHONE)
    liaison.goto(f"/items/{items.handling.id}/")
    box = open_action(liaison, "申请延期")
    box.get_by_label("申请延至").fill(until.isoformat())
    box.get_by_label("延期理由").fill("部分工地停工，需待复工后现场核查。")
    box.get_by_label("目前进展").fill("已排查在建工地46个，整改19个。")
    web.shot(liaison, "extension-form")
    box.get_by_role("button", name="申请延期").click()
    expect(liaison.get_by_role("alert")).to_contain_text("操作成功")
    ext = card(liaison, "延期申请")
    expect(ext).to_contain_text(f"申请延至 {until.year}年{until.month}月{until.day}日")
    expect(ext).to_contain_text("待审批")
    assert timeline(liaison)[-1] == "申请延期"
    web.shot(liaison, "extension-requested")

    sup = web.login("duchayuan")
    expect(sup.locator("#bucket-extensions .card-header .badge")).to_have_text("1")
    sup.locator("#bucket-extensions").get_by_role("link", name=HANDLING).click()
    ext = card(sup, "延期申请")
    expect(ext).to_contain_text("部分工地停工")
    ext.get_by_label("审批结果").select_option(label="同意延期")
    ext.get_by_label("审批意见").fill("同意延期两周。")
    web.shot(sup, "extension-decision-form")
    ext.get_by_role("button", name="提交审批").click()
    expect(sup.get_by_role("alert")).to_contain_text("延期申请已审批")
    expect(ext).to_contain_text("已同意")
    deadline = sup.locator("#item-deadline")
    expect(deadline).to_contain_text(f"{until.year}年{until.month}月{until.day}日")
    expect(deadline).to_contain_text(f"原定 {old.year}年{old.month}月{old.day}日，已延期")
    assert timeline(sup)[-1] == "同意延期"
    web.shot(sup, "extension-granted")

    liaison.reload()
    expect(liaison.locator("#item-deadline")).to_contain_text(f"{until.year}年{until.month}月{until.day}日")
    web.shot(liaison, "liaison-sees-new-deadline")


def test_supervisor_logs_a_phone_urge(web, items):
    sup = web.login("duchayuan")
    sup.goto(f"/items/{items.handling.id}/")
    box = open_action(sup, "登记催办")
    box.get_by_label("方式").select_option(label="电话催办")
    box.get_by_label("催办单位").select_option(label="市住房和城乡建设局")
    box.get_by_label("对方联系人").fill("罗明")
    box.get_by_label("催办内容与答复").fill("电话询问扬尘治理进度，对方称本周五前报送第二次进展。")
    web.shot(sup, "urge-form")
    box.get_by_role("button", name="登记催办").click()
    expect(sup.get_by_role("alert")).to_contain_text("操作成功")
    urges = card(sup, "催办记录")
    expect(urges).to_contain_text("电话催办")
    expect(urges).to_contain_text("市住房和城乡建设局（罗明） · 登记人 李静")
    expect(urges).to_contain_text("对方称本周五前报送第二次进展")
    assert timeline(sup)[-1] == "登记催办"
    web.shot(sup, "urge-logged")


# --- who may see what ------------------------------------------------------------------------------------

def test_liaison_of_another_unit_gets_404_on_an_item_url(web, items):
    page = web.login("jtj_lly")
    for item in (items.waiting, items.handling):
        response = page.goto(f"/items/{item.id}/")
        assert response.status == 404
    expect(page.get_by_text(HANDLING)).to_have_count(0)
    web.shot(page, "not-found")
    page.goto("/")
    nav(page, "督查事项")
    expect(page.get_by_role("link", name=HANDLING)).to_have_count(0)
    expect(page.get_by_role("link", name="人大代表关于增设城区公交线路的建议（第15号）")).to_be_visible()


def test_admin_opens_the_django_admin_index(web, items):
    page = web.login("admin")
    nav(page, "系统管理")
    expect(page).to_have_title(re.compile("系统管理"))
    expect(page.locator("#content")).to_contain_text("督查事项")
    web.shot(page, "admin-index")


def test_api_docs_page_renders(web, demo):
    page = web.login("duchayuan")
    response = page.goto("/api/v1/docs")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    web.shot(page, "api-docs")
    cdn = [u for u in web.blocked if "cdn." in u]
    # On an intranet a page that loads Swagger UI from a CDN is blank: ninja must serve its own copy.
    assert not cdn, f"/api/v1/docs loads from the internet: {cdn[0]}"
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("督查督办系统接口")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    web.shot(page, "api-docs-rendered")
    assert not web.blocked, f"the docs page asks the internet for {web.blocked}"


def test_a_long_list_shows_its_rows_first_and_its_total_when_counted(web, items):
    """A list longer than a page does not count itself before it is shown (duban/web/paging.py):
    the pager asks for the total once on screen, and the total matches what the person may see."""
    from duban.items.selectors import items_visible_to

    sup = items.people["duchayuan"]
    zjj = Unit.objects.get(org=items.org, short_name="住建局")
    for i in range(60):
        svc.create_draft(items.org, sup, svc.DraftFields(
            title=f"批量草拟事项{i:02d}", content="内容", kind=ItemKind.INSTRUCTION, urgency=Urgency.NORMAL,
            lead_unit=zjj, co_units=[], responsible_leader=items.people["fushizhang_liu"]))
    total = items_visible_to(sup).count()
    pages = -(-total // 50)
    assert pages >= 2
    page = web.login("duchayuan")
    nav(page, "督查事项")
    expect(rows(page)).to_have_count(50)
    expect(page.locator("#list-count")).to_have_text(f"第 1 / {pages} 页，共 {total} 件")
    web.shot(page, "item-list-counted")
    page.get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2"))
    expect(page.locator("#list-count")).to_contain_text(f"第 2 / {pages} 页，共 {total} 件")
    # a filter swaps the table, and the new table counts itself again
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
    search = page.get_by_placeholder("标题或编号")
    search.press_sequentially("批量草拟事项0")
    search.press("Enter")
    expect(rows(page)).to_have_count(10)
    expect(page.locator("#list-count")).to_have_text("共 10 件")
