"""The decomposition and rectification ledger (分解台账) in Chromium: decomposing by hand, importing a
ledger with its errors and its progress page, the batch approval, the three lists, the progress
report (on screen, in Word and on paper), the phone, and who may see a plan at all."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from duban.items.models import Assignment, Item, Status
from duban.ledgers import seed003, services
from duban.ledgers.columns import IMPORTABLE
from duban.ledgers.models import LedgerJob, Plan, PlanNode
from tests.factories import World, aware
from tests.ledgers.conftest import ledger_file, params, row

from .helpers import PHONE, nav, choose

pytestmark = pytest.mark.browser

PW = "pw-12345"  # the factories' password
PLAN = "关于市委第二巡察组反馈意见的整改落实方案"
SEED_PLAN = "省委第八巡视组反馈意见整改落实方案"


@pytest.fixture
def world(transactional_db):
    """The factories' organisation, on the live server's (transactional) database."""
    from duban.deadlines.official import ensure_official_calendar

    ensure_official_calendar()
    return World()


@pytest.fixture
def seed_plan(world):
    """Seed 003's ledger (54 problems, 193 measures) imported as of the inspection team's feedback,
    170 measures closed through the winter (six of them only in April), 23 still under way; as in
    tests/ledgers/test_report.py, but the job runs as the live server runs it: when the import's
    transaction commits."""
    rows = seed003.rows([world.leader.full_name, world.other_leader.full_name],
                        [world.units["lead"].name, world.units["co"].name, world.units["other"].name])
    job = services.start_import(world.org, world.supervisor, ledger_file(rows),
                                params(title=SEED_PLAN, start_date=seed003.START), now=aware(2020, 11, 16, 9))
    job.refresh_from_db()
    assert job.state == LedgerJob.State.DONE, job.errors[:3]
    leaves = list(Item.objects.filter(plan_node__plan=job.plan).order_by("plan_node__path"))
    done_ids = [i.id for i, r in zip(leaves, rows) if r["done"]]
    late_ids = [i.id for i, r in zip(leaves, rows) if not r["done"]]
    for n, item_id in enumerate(done_ids):
        closed = aware(2021, 4, 2) if n < 6 else aware(2020, 12, 1) + dt.timedelta(days=n % 110)
        Item.objects.filter(pk=item_id).update(status=Status.CLOSED, closed_at=closed)
    Item.objects.filter(pk__in=late_ids).update(status=Status.IN_PROGRESS)
    return job.plan


def login(web, user, viewport=None) -> Page:
    return web.login(user.username, password=PW, **({"viewport": viewport} if viewport else {}))


def no_page_overflow(page: Page):
    """Nothing pushes the page sideways: wide tables scroll inside their .table-responsive."""
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner + 1, f"the page is {width}px wide in a {inner}px window"


def figure(page: Page, label: str):
    """The number under `label` in the plan's figures."""
    return page.locator("#plan-figures .card").filter(has_text=label).locator(".fs-4")


def add_form(page: Page, heading: str):
    return page.locator("form").filter(has=page.get_by_role("heading", name=heading))


# --- 1. decomposing by hand --------------------------------------------------------------------------

def test_supervisor_downloads_the_template_and_decomposes_a_plan_by_hand(web, world):
    from openpyxl import load_workbook

    sup = login(web, world.supervisor)
    nav(sup, "分解台账")
    expect(sup.get_by_role("heading", name="分解与整改台账")).to_be_visible()
    expect(sup.get_by_text("还没有分解方案")).to_be_visible()
    web.shot(sup, "empty-plan-list")

    with sup.expect_download() as dl:
        sup.get_by_role("link", name="下载导入模板").click()
    assert dl.value.suggested_filename == "整改台账导入模板.xlsx"
    wb = load_workbook(io.BytesIO(dl.value.path().read_bytes()))
    headers = [c for r in wb.worksheets[0].iter_rows(values_only=True) for c in r if c]
    assert all(c.header in headers for c in IMPORTABLE), headers

    sup.get_by_role("link", name="新建分解方案").click()
    expect(sup.get_by_role("heading", name="新建分解方案")).to_be_visible()
    expect(sup.get_by_label("起始日期")).to_have_value(timezone.localdate().isoformat())
    sup.get_by_label("方案名称").fill(PLAN)
    sup.get_by_label("类型").select_option(label="整改方案")
    sup.get_by_label("来源与依据").fill("市委第二巡察组反馈意见")
    web.shot(sup, "new-plan-form")
    sup.get_by_role("button", name="建立方案").click()
    expect(sup.get_by_role("alert")).to_contain_text("方案已建立")
    expect(sup.get_by_role("heading", name=PLAN)).to_be_visible()
    expect(figure(sup, "整改措施")).to_have_text("0")
    web.shot(sup, "plan-created")

    sup.get_by_role("link", name="分解结构").click()
    expect(sup.locator("#plan-tree")).to_contain_text("尚未分解")
    web.shot(sup, "empty-tree")
    box = add_form(sup, "添加类别")
    box.get_by_label("类别名称").fill("履行主体责任有差距的问题")
    box.get_by_role("button", name="添加").click()
    expect(sup.get_by_role("alert")).to_contain_text("已添加")

    box = add_form(sup, "添加问题")
    box.get_by_label(re.compile("^问题")).fill("议事规则执行不严，重大事项集体研究不够")
    # One decomposes top down: the problem goes under the category just added unless one picks another.
    expect(box.get_by_label("所属类别").locator("option:checked")).to_have_text("1. 履行主体责任有差距的问题")
    box.get_by_label("整改时限").select_option(label="1个月内整改到位")
    box.get_by_role("button", name="添加").click()
    expect(sup.get_by_role("alert")).to_contain_text("已添加")

    box = add_form(sup, "添加整改措施（成为一件督查事项）")
    expect(box.get_by_label("所属问题").locator("option:checked")).to_have_text("问题1：议事规则执行不严，重大事项集体研究不够")
    box.get_by_label(re.compile("^整改措施")).fill("修订党组议事规则，明确“三重一大”事项范围和决策程序")
    box.get_by_label("成效目标").fill("印发新的议事规则")
    choose(box, "责任单位", world.units["lead"].name)
    choose(box, "协办单位", world.units["co"].name)
    box.get_by_label("牵头领导").select_option(label=world.leader.full_name)
    box.get_by_label("整改时限").select_option(label="1个月内整改到位")
    web.shot(sup, "add-measure-form")
    box.get_by_role("button", name="添加").click()
    expect(sup.get_by_role("alert")).to_contain_text("已添加")

    tree = sup.locator("#plan-tree")
    expect(tree.locator("li")).to_have_count(3)
    expect(tree).to_contain_text("类别1　履行主体责任有差距的问题")
    expect(tree).to_contain_text("问题1　议事规则执行不严")
    expect(tree.get_by_text("1个月内整改到位")).to_be_visible()
    expect(tree.locator("li").last).to_contain_text(world.units["lead"].name)
    expect(figure(sup, "整改措施")).to_have_text("1")
    expect(figure(sup, "已整改")).to_have_text("0")
    expect(figure(sup, "正在整改")).to_have_text("1")
    expect(sup.locator("#plan-rate")).to_have_text("0.00%")
    expect(sup.locator("#plan-figures")).to_contain_text("草拟 1")
    web.shot(sup, "tree-with-a-measure")

    # The measure is an item like any other: its page, its deadline from the class.
    tree.get_by_role("link", name=re.compile("修订党组议事规则")).click()
    expect(sup.locator("#item-title")).to_have_text("修订党组议事规则，明确“三重一大”事项范围和决策程序")
    expect(sup.locator("#item-status")).to_have_text("草拟")
    node = PlanNode.objects.get(level="measure", plan__title=PLAN)
    assert node.item.lead_unit == world.units["lead"] and node.item.responsible_leader == world.leader
    due = node.item.deadline
    expect(sup.locator("#item-deadline")).to_contain_text(f"{due.year}年{due.month}月{due.day}日")
    web.shot(sup, "measure-is-an-item")

    sup.go_back()
    sup.get_by_role("link", name="问题清单").click()
    problems = sup.locator("#problem-list tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("议事规则执行不严")
    expect(problems.first).to_contain_text(world.leader.full_name)
    web.shot(sup, "problem-list")


# --- 2. importing a ledger, batch submission and approval -----------------------------------------

def upload(page: Page, rows, name: str):
    """Fill the import form (the page is open) with a ledger of `rows` named `name`."""
    f = ledger_file(rows, name=name)
    expect(page.get_by_role("heading", name="导入整改台账")).to_be_visible()
    page.get_by_label("方案名称").fill(PLAN)
    page.get_by_label("来源与依据").fill("市委第二巡察组反馈意见")
    page.get_by_label("台账文件").set_input_files({"name": name, "mimeType": f.content_type, "buffer": f.read()})


def test_supervisor_imports_a_ledger_fixes_its_errors_and_the_leader_approves_it_in_one_batch(web, world, monkeypatch):
    good = [
        row(world, problem_no=1, measure_no=1),
        row(world, problem_no=1, measure_no=2, measure="建立重大事项集体研究台账", target="台账按月更新"),
        row(world, problem_no=2, problem="调查研究质量不高", measure_no=1, measure="制定年度调研计划",
            lead_unit=world.units["other"].name, co_units=""),
    ]
    bad = [dict(good[0]), dict(good[1], lead_unit="市不存在局"), dict(good[2], deadline="2026-13-45")]

    sup = login(web, world.supervisor)
    nav(sup, "分解台账")
    sup.get_by_role("link", name="导入台账").click()
    upload(sup, bad, "巡察整改台账（有误）.xlsx")
    web.shot(sup, "import-form")
    sup.get_by_role("button", name="上传并校验").click()
    # The job runs when the upload's transaction commits (huey runs inline in the tests).
    job = sup.locator("#ledger-job")
    expect(job.get_by_role("alert")).to_contain_text("共 3 行，其中 2 行有 2 处错误，整表未导入")
    errors = sup.locator("#job-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("第3行")
    expect(errors.nth(0)).to_contain_text("系统中没有名为“市不存在局”的单位")
    expect(errors.nth(1)).to_contain_text("第4行")
    expect(errors.nth(1)).to_contain_text("不是有效日期")
    assert not Plan.objects.exists() and not Item.objects.exists()
    web.shot(sup, "import-errors")

    # The failed import waits as a banner on the plan list until she closes it (issue 13, point 7).
    failed_page = sup.url
    nav(sup, "分解台账")
    banner = sup.locator("[id^=job-]").filter(has_text="未通过")
    expect(banner).to_have_count(1)
    banner.get_by_role("button", name="关闭提示").click()
    expect(banner).to_have_count(0)
    sup.reload()
    expect(sup.locator("[id^=job-]")).to_have_count(0)
    sup.goto(failed_page)  # the job and its errors are still at their address
    expect(errors).to_have_count(2)

    # The corrected file. The worker is held back this time, to watch the page follow the job.
    queued = []
    with monkeypatch.context() as m:
        m.setattr(services, "_enqueue", lambda job: queued.append(job.id))
        job.get_by_role("link", name="修改后重新上传").click()
        upload(sup, good, "巡察整改台账.xlsx")
        sup.get_by_role("button", name="上传并校验").click()
        expect(job).to_contain_text("排队中")
        expect(job.get_by_role("progressbar")).to_be_visible()
        web.shot(sup, "import-queued")
    assert len(queued) == 1
    services.run_job(queued[0])
    expect(job.get_by_role("status")).to_contain_text("已导入 2 个问题、3 条措施，均为草拟状态", timeout=5_000)
    expect(job.get_by_role("progressbar")).to_have_count(0)
    web.shot(sup, "import-done")

    job.get_by_role("link", name=re.compile("打开方案")).click()
    expect(sup.get_by_role("heading", name=PLAN)).to_be_visible()
    expect(figure(sup, "整改措施")).to_have_text("3")
    expect(sup.locator("#problem-list tbody tr")).to_have_count(2)
    web.shot(sup, "imported-plan")
    sup.get_by_role("button", name="整批呈领导审批（3 项草拟）").click()
    expect(sup.locator("#ledger-job").get_by_role("status")).to_contain_text("已呈领导审批 3 件")
    web.shot(sup, "batch-submitted")
    assert set(Item.objects.values_list("status", flat=True)) == {Status.PENDING_APPROVAL}

    leader = login(web, world.principal)
    nav(leader, "分解台账")
    expect(leader.get_by_role("button", name=re.compile("整批"))).to_have_count(0)
    leader.get_by_role("link", name=PLAN).click()
    expect(leader.get_by_role("button", name=re.compile("整批呈领导审批"))).to_have_count(0)
    web.shot(leader, "leader-sees-the-plan")
    leader.get_by_role("button", name="整批批准立项（3 项待审批）").click()
    expect(leader.locator("#ledger-job").get_by_role("status")).to_contain_text("已批准立项 3 件")
    web.shot(leader, "batch-approved")

    leader.locator("#ledger-job").get_by_role("link", name=re.compile("打开方案")).click()
    leader.get_by_role("link", name="任务清单").click()
    measures = leader.locator("#measure-list tbody tr")
    expect(measures).to_have_count(3)
    year = timezone.localdate().year
    # Numbers follow the ledger's order: 问题1's measures first.
    for i, r in enumerate(measures.all(), 1):
        expect(r).to_contain_text(f"督〔{year}〕{i}号")
        expect(r).to_contain_text("已交办待签收")
    expect(leader.get_by_role("button", name=re.compile("整批"))).to_have_count(0)
    web.shot(leader, "measures-numbered")


# --- 3. a leader reads the seed 003 ledger and its report ------------------------------------------

def test_leader_reads_the_lists_and_the_progress_report_on_screen_in_word_and_on_paper(web, world, seed_plan):
    from docx import Document
    from openpyxl import load_workbook

    plan = seed_plan
    leader = login(web, world.leader)
    nav(leader, "分解台账")
    listed = leader.locator("table tbody tr").filter(has_text=SEED_PLAN)
    expect(listed).to_contain_text("193")
    expect(listed).to_contain_text("170")
    web.shot(leader, "plan-list")
    listed.get_by_role("link", name=SEED_PLAN).click()

    expect(leader.locator("#plan-rate")).to_have_text("88.08%")
    problems = leader.locator("#problem-list tbody tr")
    expect(problems).to_have_count(54)
    web.shot(leader, "problem-list")
    leader.get_by_label("整改状态").select_option(label="正在整改")
    leader.get_by_role("button", name="筛选").click()
    expect(problems).to_have_count(23)  # 22 staged problems and 问题35
    expect(problems.filter(has_text="问题35")).to_have_count(1)
    expect(problems.locator(".badge", has_text="已整改到位")).to_have_count(0)
    expect(leader.get_by_label("整改状态")).to_have_value("under_way")
    web.shot(leader, "problems-under-way")

    # A problem opens its own measures.
    problems.filter(has_text="问题35").get_by_role("link").click()
    measures = leader.locator("#measure-list tbody tr")
    expect(measures).to_have_count(3)
    expect(measures.first).to_contain_text("措施35-1")
    web.shot(leader, "measures-of-problem-35")
    # The Excel export is the list on the page: these three measures.
    with leader.expect_download() as dl:
        leader.get_by_role("link", name="导出台账（Excel）").click()
    assert dl.value.suggested_filename.startswith(SEED_PLAN + "_台账_")
    wb = load_workbook(io.BytesIO(dl.value.path().read_bytes()))
    cells = [c for r in wb.worksheets[0].iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert sorted(c[-8:] for c in cells if "（措施" in c) == ["（措施35-1）", "（措施35-2）", "（措施35-3）"]

    leader.get_by_role("link", name="责任清单").click()
    other = world.units["other"]
    choose(leader, "责任单位", other.name)
    leader.get_by_role("button", name="筛选").click()
    expect(leader).to_have_url(re.compile(f"unit={other.id}"))
    expected = Assignment.objects.filter(unit=other, item__plan_node__plan=plan).values("item").distinct().count()
    assert 0 < expected < 193
    responsibility = leader.locator("#responsibility-list tbody tr")
    expect(responsibility).to_have_count(expected)
    expect(leader.locator("main")).to_contain_text(f"共 {expected} 条")
    web.shot(leader, "responsibility-of-one-unit")

    leader.get_by_role("link", name="分解结构").click()
    tree = leader.locator("#plan-tree")
    expect(tree.locator("li")).to_have_count(5 + 54 + 193)
    expect(tree.locator("li").first).to_contain_text("类别1　" + seed003.CATEGORIES[0])
    web.shot(leader, "tree", full_page=False)

    leader.get_by_role("link", name="整改进展报告").click()
    expect(leader.get_by_label("截至日期")).to_have_value(timezone.localdate().isoformat())
    leader.get_by_label("截至日期").fill("2021-04-30")
    leader.get_by_role("button", name="统计").click()
    summary = leader.locator("#report-summary")
    expect(summary).to_contain_text("截至2021年4月30日")
    expect(summary).to_contain_text("正在整改的1个（问题35）")
    expect(summary).to_contain_text("整体整改率88.08%")
    expect(leader.locator("#by-class tbody tr").last).to_contain_text("88.08%")
    expect(leader.locator("#by-category tbody tr")).to_have_count(5)
    expect(leader.locator("#by-unit tbody tr")).to_have_count(3)
    web.shot(leader, "report")

    with leader.expect_download() as dl:
        leader.get_by_role("link", name="导出 Word").click()
    assert dl.value.suggested_filename == f"{SEED_PLAN}_整改进展_20210430.docx", dl.value.suggested_filename
    doc = Document(io.BytesIO(dl.value.path().read_bytes()))
    assert "整体整改率88.08%" in "\n".join(p.text for p in doc.paragraphs)

    # On paper: no menu, no buttons, the tables whole.
    leader.emulate_media(media="print")
    expect(leader.locator(".dn-nav")).to_be_hidden()
    expect(leader.get_by_role("link", name="导出 Word")).to_be_hidden()
    expect(leader.get_by_role("button", name="打印")).to_be_hidden()
    expect(leader.get_by_role("button", name="统计")).to_be_hidden()
    expect(summary).to_be_visible()
    expect(leader.locator("#by-unit")).to_be_visible()
    web.shot(leader, "report-printed")


# --- 4. on a phone -----------------------------------------------------------------------------------

def test_leader_reads_the_plan_list_and_the_problem_list_on_a_phone(web, world, seed_plan):
    page = login(web, world.principal, viewport=PHONE)
    nav(page, "分解台账")
    expect(page.get_by_role("link", name=SEED_PLAN)).to_be_visible()
    no_page_overflow(page)
    web.shot(page, "plan-list")

    page.get_by_role("link", name=SEED_PLAN).click()
    expect(page.locator("#plan-rate")).to_have_text("88.08%")
    expect(page.locator("#problem-list tbody tr")).to_have_count(54)
    no_page_overflow(page)
    web.shot(page, "problem-list", full_page=False)
    web.shot(page, "problem-list-whole")

    page.get_by_role("link", name="责任清单").click()
    expect(page.locator("#responsibility-list tbody tr")).to_have_count(193)
    no_page_overflow(page)
    web.shot(page, "responsibility-list", full_page=False)

    page.get_by_role("link", name="整改进展报告").click()
    expect(page.locator("#report-summary")).to_contain_text("整体整改率")
    no_page_overflow(page)
    web.shot(page, "report")


# --- 5. who may see a plan ---------------------------------------------------------------------------

def test_unit_liaison_has_no_ledger_menu_and_gets_404_on_a_plan(web, world, seed_plan):
    page = login(web, world.liaison["lead"])
    expect(page.locator("#nav").get_by_role("link", name="分解台账")).to_have_count(0)
    for url in (f"/plans/{seed_plan.id}/", f"/plans/{seed_plan.id}/?tab=tree", f"/plans/{seed_plan.id}/report/",
                f"/plans/{seed_plan.id}/export.xlsx", "/plans/new/", "/plans/import/", "/plans/template.xlsx"):
        response = page.goto(url)
        assert response.status == 404, url
    expect(page.get_by_text(SEED_PLAN)).to_have_count(0)
    web.shot(page, "not-found")
    # Its own measures it reads as items, on the item list.
    page.goto("/")
    nav(page, "督查事项")
    expect(page.get_by_role("link", name=re.compile(r"（措施\d+-\d+）")).first).to_be_visible()
    web.shot(page, "own-items")
