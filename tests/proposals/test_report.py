"""The year's report: received, on time (001 art. 10), 见面率, 满意率, A/B/C/D shares, re-handled,
commitments done; as a page, .xlsx and .docx."""

import datetime as dt
import io
from decimal import Decimal

from docx import Document
from openpyxl import load_workbook

from duban.items import services as item_services
from duban.proposals import report
from duban.proposals import services as ps
from duban.proposals.models import AnswerClass, Rating

from .conftest import NOW

LATER = NOW + dt.timedelta(days=40)


def make_year(world, journey):
    """Four suggestions: A satisfied; B basically satisfied with a commitment done; C unsatisfied and
    re-handled; one answered late after a phone call only."""
    p1, _, t1 = journey.answered(1)
    ps.rate_by_link(t1, value=Rating.Value.SATISFIED, now=LATER)
    p2, a2, t2 = journey.answered(2, cls=AnswerClass.B, commitments=[("出台补助办法", "2026-09-30")])
    ps.rate_by_link(t2, value=Rating.Value.BASICALLY, now=LATER)
    follow = a2.commitments.get().item
    item_services.accept(follow.id, world.liaison["lead"], responsible_person="张三", now=LATER)
    world.file_report(follow, "completion", now=LATER)
    item_services.review(follow.id, world.supervisor, accept=True,
                         criteria=dict.fromkeys(item_services.REVIEW_CRITERIA, True), now=LATER)
    item_services.close(follow.id, world.principal, now=LATER)
    p3, _, t3 = journey.answered(3, cls=AnswerClass.C, commitments=[("纳入明年计划", "2027-03-31")])
    ps.rate_by_link(t3, value=Rating.Value.UNSATISFIED, comment="没有解决", now=LATER)
    p4 = journey.assign(journey.receive(4))
    ps.record_contact(p4.id, world.liaison["lead"], method="call", on=dt.date(2026, 7, 1), who="王建国",
                      now=NOW.replace(month=7, day=1))
    late = journey.answer(p4, contact=False, cls=AnswerClass.D, now=NOW.replace(month=7, day=1))
    journey.accept(late, now=NOW.replace(month=7, day=2))
    journey.receive(5)  # received, not yet assigned


def test_the_figures_of_the_year(world, journey):
    make_year(world, journey)
    r = report.year_report(world.supervisor, 2026)
    t = r.total
    assert t.received == 5 and t.answered == 4
    assert t.on_time == 3 and t.on_time_rate == Decimal("75.00")
    assert t.met == 3 and t.meeting_rate == Decimal("75.00")  # a call is not a meeting
    assert (t.rated, t.satisfied, t.basically, t.unsatisfied) == (3, 1, 1, 1)
    assert t.satisfaction_rate == Decimal("66.67")
    assert t.classes == {"A": 1, "B": 1, "C": 1, "D": 1} and t.share("A") == Decimal("25.00")
    assert t.rehandled == 1
    assert (t.commitments, t.commitments_done) == (2, 1)
    assert [label for label, _ in r.by_unit][0] == world.units["lead"].name
    assert "满意率（含基本满意）66.67%" in r.summary
    assert "按时办复率75.00%" in r.summary


def test_a_unit_liaison_sees_only_its_own_suggestions(world, journey):
    make_year(world, journey)
    assert report.year_report(world.liaison["other"], 2026).total.received == 0


def test_the_report_as_excel_and_word(world, journey, client):
    make_year(world, journey)
    client.force_login(world.supervisor)
    page = client.get("/proposals/report/?year=2026")
    assert page.status_code == 200 and "66.67" in page.content.decode()
    xlsx = client.get("/proposals/report.xlsx?year=2026")
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["总体情况", "按会次", "按承办单位"]
    ws = wb["按会次"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    total = next(r for r in values if r and r[0] == "合计")
    assert total[1] == 5
    docx = client.get("/proposals/report.docx?year=2026")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "人大代表建议和政协委员提案办理情况的报告" in text and "满意率" in text


def test_units_do_not_get_the_report_page(world, client):
    client.force_login(world.liaison["lead"])
    assert client.get("/proposals/report/").status_code == 404
