"""The assessment pages: the office runs, adjusts and submits, the leader approves, the office
publishes, the unit reads its own score and the records behind it; exports to .xlsx and .docx."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from duban.assessment.models import Assessment
from duban.assessment import services as asv

from .scenario import HalfYear


@pytest.fixture
def half(world):
    return HalfYear(world)


def test_the_whole_procedure_through_the_pages(world, half, client, settings):
    client.force_login(world.supervisor)
    page = client.get("/assessments/").content.decode()
    assert "按记录计算得分" in page
    # The run page computes "today": pin the period so the scenario's records are in it.
    r = client.post("/assessments/", {"kind": "mid_year", "year": 2026, "period_start": "2026-01-01",
                                      "period_end": "2026-06-30"})
    a = Assessment.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/assessments/{a.id}/"
    page = client.get(r["Location"]).content.decode()
    assert world.units["lead"].name in page and "呈领导审定" in page
    r = client.post(f"/assessments/{a.id}/adjust/", {"unit": world.units["co"].id, "points": "-1",
                                                      "reason": "年中材料报送迟缓", "version": a.version})
    page = client.get(f"/assessments/{a.id}/").content.decode()
    assert "年中材料报送迟缓" in page and "已调整" in page
    client.post(f"/assessments/{a.id}/submit/")
    client.force_login(world.leader)
    assert "审定同意" in client.get(f"/assessments/{a.id}/").content.decode()
    client.post(f"/assessments/{a.id}/approve/", {"comment": "同意发布"})
    client.force_login(world.supervisor)
    client.post(f"/assessments/{a.id}/publish/")
    a.refresh_from_db()
    assert a.status == "published"

    client.force_login(world.liaison["lead"])
    page = client.get(f"/assessments/{a.id}/").content.decode()
    assert "第 3 名" in page and world.units["other"].name not in page
    assert f'href="/items/{half.stalled.id}/"' in page  # each line links to its record
    assert client.get(f"/assessments/{a.id}/units/{world.units['other'].id}/").status_code == 404
    assert client.post(f"/assessments/{a.id}/submit/").status_code == 302
    assert Assessment.objects.get().status == "published"


def test_a_refused_step_shows_a_chinese_message_and_changes_nothing(world, half, client):
    a = asv.run(world.org, world.supervisor, kind="mid_year", year=2026, now=half.run_at)
    client.force_login(world.supervisor)
    r = client.post(f"/assessments/{a.id}/adjust/", {"unit": world.units["co"].id, "points": "0", "reason": "x"},
                    follow=True)
    assert "调整分值须为非零数" in r.content.decode()
    r = client.post(f"/assessments/{a.id}/publish/", follow=True)
    assert "不能发布" in r.content.decode()
    assert Assessment.objects.get().status == "draft"


def test_units_do_not_see_a_draft_and_other_organisations_see_nothing(world, other_world, half, client):
    a = asv.run(world.org, world.supervisor, kind="mid_year", year=2026, now=half.run_at)
    for user in (world.liaison["lead"], world.leader, other_world.supervisor):
        client.force_login(user)
        assert client.get(f"/assessments/{a.id}/").status_code == 404


def test_exports_carry_the_ranking_and_every_line(world, half, client):
    a = asv.run(world.org, world.supervisor, kind="mid_year", year=2026, now=half.run_at)
    client.force_login(world.supervisor)
    wb = load_workbook(io.BytesIO(client.get(f"/assessments/{a.id}/export.xlsx").content))
    ranking = [[c.value for c in row] for row in wb["得分排名"].iter_rows()]
    assert any(row[1] == world.units["lead"].name and row[-1] == "90.50" for row in ranking)
    detail = [[c.value for c in row] for row in wb["得分明细"].iter_rows()]
    assert sum(1 for row in detail if row[0] == world.units["lead"].name) == a.lines.filter(unit=world.units["lead"]).count()
    doc = Document(io.BytesIO(client.get(f"/assessments/{a.id}/export.docx").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert a.title in text and "督办令" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "90.50" in cells
