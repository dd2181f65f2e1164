"""Excel in (issue 4, point 3): every row is checked, and the ledger is imported whole or not at all."""

from __future__ import annotations

import datetime as dt

import pytest

from duban.items.models import Assignment, Event, Item, Status
from duban.ledgers import importing, services
from duban.ledgers.models import LedgerJob, Plan, PlanNode

from .conftest import ledger_file, params, row


def run_import(world, rows, now, **kw):
    job = services.start_import(world.org, world.supervisor, ledger_file(rows, **kw), params(), now=now)
    job.refresh_from_db()  # tests run the queue inline
    return job


def test_a_valid_ledger_becomes_a_plan_whose_measures_are_draft_items(world, now):
    rows = [
        row(world, measure="修订议事规则"),
        row(world, measure="建立台账逐项销号", deadline="2027-03-31", deadline_class=""),
        row(world, problem_no=2, problem="调研质量不高", measure="开展专题调研", co_units="",
            deadline_class="3个月内整改到位"),
        row(world, category="作风建设不到位的问题", problem_no=3, problem="督查检查过多", measure="精简督查检查",
            leader=world.other_leader.username, lead_unit=world.units["other"].name, deadline_class="长期坚持",
            deadline="2027年6月30日"),
    ]
    job = run_import(world, rows, now)
    assert job.state == LedgerJob.State.DONE, job.message
    plan = job.plan
    assert plan.title == "巡视反馈意见整改落实方案"
    levels = list(plan.nodes.values_list("level", flat=True))
    assert levels.count("category") == 2 and levels.count("problem") == 3 and levels.count("measure") == 4
    items = Item.objects.filter(plan_node__plan=plan).order_by("plan_node__path")
    assert [i.status for i in items] == [Status.DRAFT] * 4
    first, second, third, fourth = items
    # 1个月内 from the plan's start 2026-11-24 (Civil Code art. 202).
    assert first.deadline == dt.date(2026, 12, 24) and first.deadline_override_reason == "按整改台账时限"
    assert second.deadline == dt.date(2027, 3, 31)
    assert third.deadline == dt.date(2027, 2, 24)
    assert fourth.deadline == dt.date(2027, 6, 30) and fourth.responsible_leader == world.other_leader
    assert first.lead_unit == world.units["lead"] and first.co_units == [world.units["co"]]
    assert third.co_units == []
    assert first.kind == "rectification" and first.drafter == world.supervisor
    assert set(first.named_people.all()) == {world.supervisor, world.leader}
    assert Event.objects.filter(item=first, action="create").count() == 1
    problem = PlanNode.objects.get(plan=plan, level="problem", number=1)
    assert problem.deadline_class == "one_month"
    assert problem.children.count() == 2


def test_merged_category_and_problem_cells_carry_the_value_above(world, now):
    rows = [row(world, measure="措施甲"), row(world, category=None, problem=None, problem_no=None, measure="措施乙"),
            row(world, category=None, problem=None, problem_no=None, measure="措施丙")]
    job = run_import(world, rows, now, merge_problem=True, title_rows=2)
    assert job.state == LedgerJob.State.DONE, job.errors
    assert PlanNode.objects.filter(plan=job.plan, level="problem").count() == 1
    assert PlanNode.objects.filter(plan=job.plan, level="measure").count() == 3


def test_problems_without_numbers_are_numbered_in_order(world, now):
    rows = [row(world, problem_no=None, problem="问题甲", measure="m1"),
            row(world, problem_no=None, problem="问题乙", measure="m2"),
            row(world, problem_no=None, problem="问题甲", measure="m3")]
    job = run_import(world, rows, now)
    assert job.state == LedgerJob.State.DONE, job.errors
    numbers = dict(PlanNode.objects.filter(plan=job.plan, level="problem").values_list("title", "number"))
    assert numbers == {"问题甲": 1, "问题乙": 2}


ERRORS = [
    ({"lead_unit": "市住建局"}, "责任单位", "系统中没有名为“市住建局”的单位"),
    ({"lead_unit": ""}, "责任单位", "缺少“责任单位”"),
    ({"leader": "王不存在"}, "牵头领导", "系统中没有名为“王不存在”的本组织领导"),
    ({"leader": ""}, "牵头领导", "缺少“牵头领导”"),
    ({"measure": ""}, "整改措施", "缺少“整改措施”"),
    ({"deadline": "2026-13-45", "deadline_class": ""}, "完成时限", "不是有效日期"),
    ({"deadline": "下个月", "deadline_class": ""}, "完成时限", "不是有效日期"),
    ({"deadline": "2026-01-05"}, "完成时限", "办理时限不能早于今天"),
    ({"deadline": None, "deadline_class": ""}, "完成时限", "请填写完成时限或整改时限"),
    ({"deadline_class": "尽快"}, "整改时限", "无法识别的整改时限"),
    ({"deadline_class": "长期坚持", "deadline": None}, "完成时限", "须填写完成时限"),
    ({"co_units": "不存在局"}, "协办单位", "系统中没有名为“不存在局”的单位"),
    ({"problem_no": "三"}, "问题序号", "问题序号应为正整数"),
    ({"measure_no": "-1"}, "措施序号", "措施序号应为正整数"),
]


@pytest.mark.parametrize("change, column, message", ERRORS, ids=[e[2][:12] for e in ERRORS])
def test_every_bad_row_is_reported_and_nothing_is_written(world, now, change, column, message):
    rows = [row(world, measure="好的一行"), row(world, **{"measure": "有问题的一行", **change}), row(world, measure="又一行")]
    items_before, plans_before = Item.objects.count(), Plan.objects.count()
    job = run_import(world, rows, now)
    assert job.state == LedgerJob.State.FAILED
    assert "整表未导入" in job.message
    assert any(e["row"] == 3 and e["column"] == column and message in e["message"] for e in job.errors), job.errors
    assert all(e["row"] == 3 for e in job.errors)
    assert Item.objects.count() == items_before and Plan.objects.count() == plans_before


def test_unknown_names_come_with_the_closest_names(world, now):
    world.units["lead"].name = "市住房和城乡建设局"
    world.units["lead"].save()
    job = run_import(world, [row(world, lead_unit="市住房城乡建设局")], now)
    assert "是否为：市住房和城乡建设局" in job.errors[0]["message"]


def test_the_office_is_not_a_handling_unit(world, now):
    job = run_import(world, [row(world, lead_unit=world.office.name)], now)
    assert "不是承办单位" in job.errors[0]["message"]


def test_a_person_who_is_not_a_leader_is_not_matched_as_leader(world, now):
    job = run_import(world, [row(world, leader=world.supervisor.full_name)], now)
    assert "本组织领导" in job.errors[0]["message"]


def test_duplicates_are_refused(world, now):
    rows = [row(world, measure="同一措施"), row(world, measure="同一措施"),
            row(world, problem_no=1, problem="另一个问题", measure="别的措施"),
            row(world, problem_no=2, measure="m", measure_no=1), row(world, problem_no=2, measure="n", measure_no=1)]
    job = run_import(world, rows, now)
    messages = {(e["row"], e["message"]) for e in job.errors}
    assert (3, "与第2行重复（同一问题下的同一措施）") in messages
    assert (4, "问题序号1已用于另一问题（第2行）") in messages
    assert (6, "问题2的措施序号1与第5行重复") in messages


def test_all_errors_of_a_large_file_are_listed_by_row(world, now):
    rows = [row(world, measure=f"措施{i}", lead_unit="无此单位" if i % 100 == 7 else world.units["lead"].name)
            for i in range(1000)]
    job = run_import(world, rows, now)
    assert job.state == LedgerJob.State.FAILED
    assert sorted(e["row"] for e in job.errors) == [i + 2 for i in range(1000) if i % 100 == 7]
    assert "共 1000 行，其中 10 行有 10 处错误" in job.message


@pytest.mark.parametrize("content, name, message", [
    (b"not a workbook", "a.xlsx", "无法读取该文件"),
    (b"x", "a.csv", "请上传 .xlsx 格式"),
])
def test_files_that_are_not_ledgers_are_refused(world, now, content, name, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from duban.items.errors import InvalidInput

    upload = SimpleUploadedFile(name, content)
    try:
        job = services.start_import(world.org, world.supervisor, upload, params(), now=now)
    except InvalidInput as err:
        assert message in err.message
    else:
        job.refresh_from_db()
        assert job.state == LedgerJob.State.FAILED and message in job.message


def test_a_sheet_without_the_header_is_refused(world, now):
    from openpyxl import Workbook
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    buf = io.BytesIO()
    wb.save(buf)
    job = services.start_import(world.org, world.supervisor, SimpleUploadedFile("a.xlsx", buf.getvalue()), params(), now=now)
    job.refresh_from_db()
    assert job.state == LedgerJob.State.FAILED and "未找到表头" in job.message


def test_only_the_office_imports(world, now):
    from duban.items.errors import PermissionDenied

    for user in (world.leader, world.liaison["lead"]):
        with pytest.raises(PermissionDenied):
            services.start_import(world.org, user, ledger_file([row(world)]), params(), now=now)


def test_a_failure_while_writing_leaves_nothing_behind(world, now, monkeypatch):
    def boom(*a, **kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_write_tree", boom)
    items_before = Item.objects.count()
    job = run_import(world, [row(world, measure=f"m{i}") for i in range(5)], now)
    assert job.state == LedgerJob.State.FAILED and "未写入任何数据" in job.message
    assert Item.objects.count() == items_before
    assert not Plan.objects.exists() and not Assignment.objects.exists()
    assert not Event.objects.filter(action="create", item__org=world.org).exists()


def test_a_job_runs_once_even_if_delivered_twice(world, now):
    job = run_import(world, [row(world)], now)
    services.run_job(job.id, now=now)
    assert Plan.objects.count() == 1 and Item.objects.count() == 1


def test_a_job_whose_worker_died_is_marked_failed_after_an_hour(world, now):
    """Its transaction never committed, so nothing was written; the user is told to run it again."""
    stuck = LedgerJob.objects.create(org=world.org, kind=LedgerJob.Kind.IMPORT, created_by=world.supervisor,
                                     state=LedgerJob.State.RUNNING, created_at=now - dt.timedelta(minutes=90))
    recent = LedgerJob.objects.create(org=world.org, kind=LedgerJob.Kind.IMPORT, created_by=world.supervisor,
                                      state=LedgerJob.State.RUNNING, created_at=now - dt.timedelta(minutes=10))
    assert services.fail_abandoned_jobs(now=now) == 1
    stuck.refresh_from_db()
    recent.refresh_from_db()
    assert stuck.state == LedgerJob.State.FAILED and "未写入任何数据" in stuck.message
    assert recent.state == LedgerJob.State.RUNNING
    assert services.fail_abandoned_jobs(now=now) == 0
