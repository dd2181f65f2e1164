"""The progress report of a plan (issue 4, point 5), reproducing seed 003's figures exactly:
54 problems, 193 measures, 170 done, 23 under way, 88.08 %; 8 one-month problems all done,
5 three-month problems of which 4 done and 1 (问题35) under way, 41 staged problems."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from duban.items.models import Item, Status
from duban.ledgers import report, seed003, services
from duban.ledgers.models import LedgerJob, PlanNode
from duban.ledgers.selectors import rate
from tests.factories import aware

from .conftest import ledger_file, params


@pytest.fixture
def seed_plan(world):
    """The seed 003 ledger imported as of the inspection team's feedback, then the measures the
    report counts as done closed during the winter, the rest left under way."""
    rows = seed003.rows([world.leader.full_name, world.other_leader.full_name],
                        [world.units["lead"].name, world.units["co"].name, world.units["other"].name])
    job = services.start_import(
        world.org, world.supervisor, ledger_file(rows),
        params(title="省委第八巡视组反馈意见整改落实方案", start_date=seed003.START),
        now=aware(2020, 11, 16, 9),
    )
    job.refresh_from_db()
    assert job.state == LedgerJob.State.DONE, job.errors[:3]
    plan = job.plan
    leaves = list(Item.objects.filter(plan_node__plan=plan).order_by("plan_node__path"))
    assert len(leaves) == len(rows) == 193
    done_ids, late_ids = [], []
    for item, r in zip(leaves, rows):
        (done_ids if r["done"] else late_ids).append(item.id)
    # Closed on different days through the winter; six of them only in April, after the report date.
    for n, item_id in enumerate(done_ids):
        closed = aware(2021, 4, 2) if n < 6 else aware(2020, 12, 1) + dt.timedelta(days=n % 110)
        Item.objects.filter(pk=item_id).update(status=Status.CLOSED, closed_at=closed)
    Item.objects.filter(pk__in=late_ids).update(status=Status.IN_PROGRESS)
    return plan, done_ids


def test_the_seed_003_figures_at_the_end_of_april(seed_plan):
    plan, _ = seed_plan
    r = report.progress_report(plan, dt.date(2021, 4, 30))
    assert (r.total.problems, r.total.measures, r.total.measures_done, r.total.measures_under_way) == (54, 193, 170, 23)
    assert r.total.rate == rate(170, 193) and str(r.total.rate) == "88.08"
    classes = {cls: (t.problems, t.problems_done, t.problems_under_way, t.open_problem_numbers) for cls, t in r.by_class}
    assert classes["one_month"][:3] == (8, 8, 0)
    assert classes["three_months"] == (5, 4, 1, [35])
    assert classes["staged"][:3] == (41, 19, 22)
    assert [t.problems for t in r.by_category] == seed003.PROBLEMS_PER_CATEGORY
    assert sum(t.measures for t in r.by_unit) == 193 and sum(t.measures_done for t in r.by_unit) == 170


def test_the_summary_is_worded_as_the_report_words_it(seed_plan):
    plan, _ = seed_plan
    r = report.progress_report(plan, dt.date(2021, 4, 30))
    assert r.summary == (
        "截至2021年4月30日，要求“1个月内整改到位”的8个问题，已全部整改到位；"
        "要求“3个月内整改到位”的5个问题，已整改的4个，正在整改的1个（问题35）；"
        "其余41个问题的整改时限为“3个月内取得阶段性成效并在1年内整改到位”，已整改到位19个。"
        "全部54个问题的193条整改措施中，已整改的170条，正在整改的23条，整体整改率88.08%。"
    )


def test_the_report_at_an_earlier_date_counts_only_what_was_closed_by_then(seed_plan):
    plan, _ = seed_plan
    r = report.progress_report(plan, dt.date(2021, 3, 31))
    assert r.total.measures_done == 164 and str(r.total.rate) == "84.97"
    r = report.progress_report(plan, dt.date(2020, 11, 30))
    assert r.total.measures_done == 0 and "整体整改率0.00%" in r.summary


def test_the_report_exports_as_word_and_excel(client, world, seed_plan):
    from docx import Document
    from openpyxl import load_workbook

    plan, _ = seed_plan
    client.force_login(world.supervisor)
    url = reverse("plan_report", args=[plan.id])
    page = client.get(url, {"as_of": "2021-04-30"}).content.decode()
    assert "整体整改率88.08%" in page and "问题35" in page
    docx = client.get(reverse("plan_report_docx", args=[plan.id]), {"as_of": "2021-04-30"})
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    doc = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "整体整改率88.08%" in text and "整改进展情况的报告" in text
    cells = [c.text for t in doc.tables for rw in t.rows for c in rw.cells]
    assert "3个月内整改到位" in cells and "193" in cells
    xlsx = client.get(reverse("plan_report_xlsx", args=[plan.id]), {"as_of": "2021-04-30"})
    wb = load_workbook(io.BytesIO(xlsx.content))
    values = [c for ws in wb.worksheets for rw in ws.iter_rows(values_only=True) for c in rw if c is not None]
    assert any("整体整改率88.08%" in str(v) for v in values)
    assert 193 in values and 170 in values


def test_a_parent_is_derived_from_its_children(seed_plan):
    """A problem is 整改到位 only when all its measures are closed; nothing is typed in."""
    plan, _ = seed_plan
    p35 = PlanNode.objects.get(plan=plan, level="problem", number=35)
    assert report.progress_report(plan, dt.date(2021, 4, 30)).by_class[1][1].open_problem_numbers == [35]
    Item.objects.filter(plan_node__parent=p35).update(status=Status.CLOSED, closed_at=aware(2021, 4, 10))
    r = report.progress_report(plan, dt.date(2021, 4, 30))
    assert dict((c, t.problems_done) for c, t in r.by_class)["three_months"] == 5
    assert r.total.measures_done == 171
