"""Decomposition by hand, batch approval, the ledger export and its round trip (issue 4, points 1, 2, 4)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from duban.items import services as item_services
from duban.items.errors import InvalidInput, PermissionDenied
from duban.items.models import Item, Status
from duban.ledgers import exporting, importing, selectors, services
from duban.ledgers.columns import COLUMNS, IMPORTABLE
from duban.ledgers.models import LedgerJob, Plan, PlanNode

from .conftest import ledger_file, params, row


def import_plan(world, rows, now):
    job = services.start_import(world.org, world.supervisor, ledger_file(rows), params(), now=now)
    job.refresh_from_db()
    assert job.state == LedgerJob.State.DONE, job.errors
    return job.plan


def test_decomposing_by_hand_gives_items_under_a_tree(world, now):
    plan = services.create_plan(world.org, world.supervisor, params(title="2026年政府工作报告任务分解", kind="work_report",
                                                                    item_kind="annual_key_task"), now=now)
    cat = services.add_category(plan.id, world.supervisor, title="扩大有效投资")
    problem = services.add_problem(plan.id, world.supervisor, title="重大项目开工率不高", category=cat,
                                   deadline_class="three_months")
    node = services.add_measure(plan.id, world.supervisor, problem=problem, fields=world.fields(deadline=None),
                                target="开工率达到90%", deadline_class="three_months", now=now)
    assert problem.path.startswith(cat.path + ".") and node.path.startswith(problem.path + ".")
    assert node.item.status == Status.DRAFT and node.item.kind == "annual_key_task"
    assert str(node.item.deadline) == "2027-02-24"
    second = services.add_problem(plan.id, world.supervisor, title="第二个问题", category=cat)
    assert second.number == 2 and second.path > problem.path
    with pytest.raises(PermissionDenied):
        services.add_category(plan.id, world.liaison["lead"], title="x")
    with pytest.raises(InvalidInput):
        services.add_problem(plan.id, world.supervisor, title="  ")


def test_roll_up_counts_come_from_the_leaves(world, now):
    plan = import_plan(world, [row(world, measure=f"m{i}") for i in range(3)]
                       + [row(world, problem_no=2, problem="p2", measure="n")], now)
    leaves = list(Item.objects.filter(plan_node__plan=plan).order_by("plan_node__path"))
    Item.objects.filter(pk=leaves[0].pk).update(status=Status.CLOSED, closed_at=now)
    r = selectors.rollup(selectors.leaf_items(plan))
    assert (r.total, r.done, r.under_way, str(r.rate)) == (4, 1, 3, "25.00")
    problem1 = PlanNode.objects.get(plan=plan, level="problem", number=1)
    assert selectors.rollup(selectors.leaf_items(plan, problem1)).total == 3
    category = PlanNode.objects.get(plan=plan, level="category")
    assert selectors.leaf_items(plan, category).count() == 4


def test_batch_submission_and_approval_register_every_measure_in_ledger_order(world, now):
    plan = import_plan(world, [row(world, measure=f"m{i}") for i in range(3)]
                       + [row(world, measure="别的领导的", leader=world.other_leader.full_name)], now)
    services.start_batch(plan.id, world.supervisor, LedgerJob.Kind.SUBMIT, now=now)
    assert set(Item.objects.filter(plan_node__plan=plan).values_list("status", flat=True)) == {Status.PENDING_APPROVAL}
    job = services.start_batch(plan.id, world.leader, LedgerJob.Kind.APPROVE, now=now)
    job.refresh_from_db()
    assert job.state == LedgerJob.State.DONE and "另有 1 件须由其分管领导审批" in job.message
    items = list(Item.objects.filter(plan_node__plan=plan).order_by("plan_node__path"))
    assert [i.number for i in items[:3]] == ["督〔2026〕1号", "督〔2026〕2号", "督〔2026〕3号"]
    assert items[3].status == Status.PENDING_APPROVAL
    with pytest.raises(PermissionDenied):
        services.start_batch(plan.id, world.liaison["lead"], LedgerJob.Kind.APPROVE)
    with pytest.raises(InvalidInput):
        services.start_batch(plan.id, world.supervisor, LedgerJob.Kind.SUBMIT)


def test_the_ledger_exports_and_imports_back_unchanged(client, world, now):
    rows = [
        row(world, measure="修订议事规则\n第二行说明", target="=HYPERLINK(\"http://x\")"),
        row(world, measure="+建立台账", co_units="", deadline="2027-03-31", deadline_class=""),
        row(world, category="作风问题", problem_no=2, problem="@督查过多", measure="-精简督查"),
    ]
    plan = import_plan(world, rows, now)
    client.force_login(world.supervisor)
    response = client.get(reverse("plan_export", args=[plan.id]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    data = response.content
    assert b"<f>" not in data  # no formula anywhere
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.freeze_panes is not None and ws.merged_cells.ranges
    texts = [c for r in ws.iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert "'=HYPERLINK(\"http://x\")" in texts and "'+建立台账" in texts and "'@督查过多" in texts
    # Re-import the exported file as a new plan: the same ledger comes out.
    upload = ledger_file([])
    upload.file = io.BytesIO(data)
    upload.size = len(data)
    job = services.start_import(world.org, world.supervisor, upload, params(title="再次导入"), now=now)
    job.refresh_from_db()
    assert job.state == LedgerJob.State.DONE, job.errors
    importable = [i for i, c in enumerate(COLUMNS) if c.importable]

    def ledger(p):
        nodes = selectors.measure_nodes(world.supervisor, p)
        return [[r[i] for i in importable] for r in exporting.ledger_rows(nodes)]

    assert ledger(job.plan) == ledger(plan)
    assert ledger(plan)[0][4] == "修订议事规则\n第二行说明" and ledger(plan)[0][5] == "=HYPERLINK(\"http://x\")"


def test_the_template_downloads_with_the_organisations_names(client, world):
    client.force_login(world.supervisor)
    response = client.get(reverse("ledger_template"))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["整改台账", "填写说明", "单位与领导"]
    names = [c for r in wb["单位与领导"].iter_rows(values_only=True) for c in r]
    assert world.units["lead"].name in names and world.leader.full_name in names
    headers = [c for r in wb["整改台账"].iter_rows(values_only=True, max_row=4) for c in r]
    assert all(c.header in headers for c in IMPORTABLE)


def test_the_template_itself_imports(client, world, now):
    """A user who fills the example row of the downloaded template gets a valid import."""
    content = exporting.template_workbook(world.org)
    upload = ledger_file([])
    upload.file, upload.size = io.BytesIO(content), len(content)
    job = services.start_import(world.org, world.supervisor, upload, params(), now=now)
    job.refresh_from_db()
    assert job.state == LedgerJob.State.DONE, job.errors


def test_a_secret_measure_stays_out_of_other_peoples_lists_and_exports(client, world, now):
    plan = import_plan(world, [row(world, measure="公开措施"), row(world, measure="涉密措施", leader=world.other_leader.full_name)], now)
    Item.objects.filter(title="涉密措施").update(is_secret=True)
    services.start_batch(plan.id, world.supervisor, LedgerJob.Kind.SUBMIT, now=now)  # leaders do not see drafts
    client.force_login(world.leader)  # not named on the secret measure
    page = client.get(reverse("plan_detail", args=[plan.id]), {"tab": "measures"}).content.decode()
    assert "公开措施" in page and "涉密措施" not in page
    page = client.get(reverse("plan_detail", args=[plan.id]), {"tab": "tree"}).content.decode()
    assert "公开措施" in page and "涉密措施" not in page
    wb = load_workbook(io.BytesIO(client.get(reverse("plan_export", args=[plan.id])).content))
    texts = [c for r in wb.active.iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert "公开措施" in texts and "涉密措施" not in texts


@pytest.mark.parametrize("who", ["lead_liaison", "lead_head"])
def test_units_have_no_plan_pages(client, world, now, who):
    plan = import_plan(world, [row(world)], now)
    user = world.liaison["lead"] if who == "lead_liaison" else world.head["lead"]
    client.force_login(user)
    for name in ("plan_detail", "plan_export", "plan_report"):
        assert client.get(reverse(name, args=[plan.id])).status_code == 404
    assert client.get(reverse("plan_import")).status_code == 404


def test_another_organisation_cannot_open_the_plan(client, world, other_world, now):
    plan = import_plan(world, [row(world)], now)
    client.force_login(other_world.supervisor)
    assert client.get(reverse("plan_detail", args=[plan.id])).status_code == 404
    assert plan.title not in client.get(reverse("plan_list")).content.decode()


def test_the_three_lists_filter_and_print(client, world, now):
    plan = import_plan(world, [row(world, measure="一号措施"),
                               row(world, problem_no=2, problem="二号问题", measure="二号措施",
                                   deadline_class="3个月内整改到位", lead_unit=world.units["other"].name)], now)
    Item.objects.filter(title="一号措施").update(status=Status.CLOSED, closed_at=now)
    client.force_login(world.supervisor)
    url = reverse("plan_detail", args=[plan.id])
    page = client.get(url).content.decode()
    assert "议事规则执行不严" in page and "二号问题" in page and "已整改到位" in page
    page = client.get(url, {"tab": "measures", "state": "done"}).content.decode()
    assert "一号措施" in page and "二号措施" not in page
    page = client.get(url, {"tab": "responsibility", "deadline_class": "three_months"}).content.decode()
    assert "二号措施" in page and "一号措施" not in page
    page = client.get(url, {"tab": "responsibility", "unit": world.units["other"].id}).content.decode()
    assert "二号措施" in page and "一号措施" not in page
    page = client.get(url, {"tab": "problems", "state": "under_way"}).content.decode()
    assert "二号问题" in page and "议事规则执行不严" not in page
    page = client.get(url, {"tab": "problems", "deadline_class": "one_month"}).content.decode()
    assert "议事规则执行不严" in page and "二号问题" not in page
    page = client.get(url, {"tab": "problems", "q": "二号"}).content.decode()
    assert "二号问题" in page and "议事规则执行不严" not in page
    assert "data-print" in page  # the 打印 button; static/web/duban.js prints (CSP: no inline handler)
    wb = load_workbook(io.BytesIO(client.get(reverse("plan_export", args=[plan.id]), {"state": "done"}).content))
    texts = [c for r in wb.active.iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert "一号措施" in texts and "二号措施" not in texts


def test_import_through_the_pages_shows_progress_then_the_result(client, world):
    client.force_login(world.supervisor)
    r = client.post(reverse("plan_import"), {
        "title": "页面导入", "kind": "rectification", "item_kind": "rectification", "start_date": "2026-11-24",
        "file": ledger_file([row(world), row(world, lead_unit="无此单位", measure="坏行")]),
    })
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).content.decode()
    assert "整表未导入" in page and "第3行" in page and "无此单位" in page
    r = client.post(reverse("plan_import"), {
        "title": "页面导入", "kind": "rectification", "item_kind": "rectification", "start_date": "2026-11-24",
        "file": ledger_file([row(world)]),
    })
    page = client.get(r.headers["Location"]).content.decode()
    assert "已导入 1 个问题、1 条措施" in page
    assert "页面导入" in client.get(reverse("plan_list")).content.decode()


def test_an_item_is_decomposed_into_a_plan_under_it(client, world, now):
    """分解立项 of one item (e.g. received from the upper level): its leaves roll up to it."""
    from duban.ledgers.selectors import rollup, rollup_items

    item = world.item_in(Status.IN_PROGRESS)
    client.force_login(world.supervisor)
    url = reverse("plan_create") + f"?item={item.id}"
    assert item.title in client.get(url).content.decode()
    r = client.post(url, {"title": "分解方案", "kind": "document", "item_kind": "annual_key_task",
                          "start_date": "2026-11-24", "source_text": ""})
    plan = Plan.objects.get(title="分解方案")
    assert r.status_code == 302 and plan.source_item == item
    problem = services.add_problem(plan.id, world.supervisor, title="任务一")
    services.add_measure(plan.id, world.supervisor, problem=problem, fields=world.fields(deadline=None),
                         deadline_class="one_month", now=now)
    assert rollup(rollup_items(item)).total == 1
    client.force_login(world.liaison["lead"])
    assert client.get(url).status_code == 404


def test_a_large_plans_structure_lists_categories_and_problems_only(client, world, now, monkeypatch):
    from duban.web.views import ledgers as views

    monkeypatch.setattr(views, "TREE_MEASURES_LIMIT", 2)
    plan = import_plan(world, [row(world, measure=f"措施{i}") for i in range(3)], now)
    client.force_login(world.supervisor)
    page = client.get(reverse("plan_detail", args=[plan.id]), {"tab": "tree"}).content.decode()
    assert "议事规则执行不严" in page and "措施1" not in page and "只列类别和问题" in page


def test_units_get_no_plan_list(client, world):
    client.force_login(world.liaison["lead"])
    assert client.get(reverse("plan_list")).status_code == 404


def test_the_item_page_names_its_plan_and_lists_its_decompositions(client, world, now):
    plan = import_plan(world, [row(world, measure="一号措施")], now)
    measure = Item.objects.get(title="一号措施")
    client.force_login(world.supervisor)
    page = client.get(reverse("item_detail", args=[measure.id])).content.decode()
    assert "所属方案" in page and plan.title in page and "问题1：议事规则执行不严" in page
    source = world.item_in(Status.IN_PROGRESS)
    page = client.get(reverse("item_detail", args=[source.id])).content.decode()
    assert "分解立项" in page
    decomposed = services.create_plan(world.org, world.supervisor, params(title="分解甲", source_item_id=source.id))
    page = client.get(reverse("item_detail", args=[source.id])).content.decode()
    assert "分解甲" in page and "整改率 0.00%" in page
    client.force_login(world.liaison["lead"])
    page = client.get(reverse("item_detail", args=[source.id])).content.decode()
    assert "分解立项" not in page and "分解甲" not in page
    del decomposed


def test_the_structure_shows_each_category_and_problem_rolled_up(client, world, now):
    plan = import_plan(world, [row(world, measure="甲"), row(world, measure="乙"),
                               row(world, problem_no=2, problem="二号问题", measure="丙")], now)
    Item.objects.filter(title="甲").update(status=Status.CLOSED, closed_at=now)
    client.force_login(world.supervisor)
    page = client.get(reverse("plan_detail", args=[plan.id]), {"tab": "tree"}).content.decode()
    assert "已整改 1/3" in page and "已整改 1/2" in page and "已整改 0/1" in page


def test_the_plan_list_rolls_up_each_plan_in_one_query(client, world, now, django_assert_max_num_queries):
    from duban.ledgers.selectors import plan_figures

    first = import_plan(world, [row(world, measure="甲"), row(world, measure="乙")], now)
    second = import_plan(world, [row(world, measure="丙")], now)
    Item.objects.filter(title="甲").update(status=Status.CLOSED, closed_at=now)
    with django_assert_max_num_queries(1):
        figures = plan_figures([first, second])
    assert (figures[first.id].total, figures[first.id].done, str(figures[first.id].rate)) == (2, 1, "50.00")
    assert (figures[second.id].total, figures[second.id].done) == (1, 0)
    client.force_login(world.supervisor)
    page = client.get(reverse("plan_list")).content.decode()
    assert "50.00%" in page and "0.00%" in page
