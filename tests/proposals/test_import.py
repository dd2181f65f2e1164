"""Receiving the year's batch: Excel import, all or nothing, and registration by hand (001 art. 10:
each suggestion becomes an item of its kind, answered within 3 months)."""

import io

import pytest
from openpyxl import Workbook

from duban.items.errors import InvalidInput, PermissionDenied
from duban.items.models import Item, ItemKind, Status
from duban.proposals import importing
from duban.proposals import services as ps
from duban.proposals.models import Body, Proposal, Proposer, Session

HEADER = ["编号", "标题", "领衔人", "代表团/界别", "附议人", "类别", "内容", "会次"]


def workbook(rows, header=HEADER) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["2026年市人大代表建议交办清单"])
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def row(n, title="关于加快老旧小区加装电梯的建议", lead="王建国", group="城关代表团", co="李红（城关代表团）、赵强",
        session="市十七届人大五次会议"):
    return [n, title, lead, group, co, "城乡建设", "建议简化审批，加大补助。", session]


def run(world, rows, **kw):
    return importing.import_batch(world.org, world.supervisor, workbook(rows), body=kw.get("body", Body.CONGRESS),
                                  year=2026, default_session=kw.get("default_session", ""))


def test_each_row_becomes_an_item_of_its_kind_with_its_proposers_outside_the_organisation(world):
    made, errors = run(world, [row(1), row(2, title="关于增设公交线路的建议", lead="周敏", co="")])
    assert errors == []
    assert len(made) == 2
    items = Item.objects.filter(proposal__in=made)
    assert {i.kind for i in items} == {ItemKind.DEPUTY_SUGGESTION}
    assert {i.status for i in items} == {Status.DRAFT}
    p = Proposal.objects.get(number=1)
    assert [(s.proposer.name, s.proposer.group, s.is_lead) for s in p.signers.all()] == [
        ("王建国", "城关代表团", True), ("李红", "城关代表团", False), ("赵强", "", False)]
    # Proposers are people outside the organisation: records, not accounts.
    assert not world.org.people.filter(full_name="王建国").exists()
    assert Proposer.objects.filter(org=world.org).count() == 4
    assert Session.objects.get(org=world.org).name == "市十七届人大五次会议"


def test_a_cppcc_batch_makes_proposals(world):
    made, errors = run(world, [row(7, lead="钱江", group="经济界")], body=Body.CPPCC)
    assert errors == [] and made[0].item.kind == ItemKind.CPPCC_PROPOSAL


def test_one_bad_row_imports_nothing_and_every_error_is_listed_by_row_and_column(world):
    made, errors = run(world, [row(1), row("abc"), row(1), row(4, title="", lead="")])
    assert made == []
    assert Proposal.objects.count() == 0 and Item.objects.count() == 0
    found = {(e.row, e.column) for e in errors}
    assert (4, "编号") in found  # "abc" (header at row 2, data from row 3)
    assert (5, "编号") in found  # duplicate of row 3
    assert (6, "领衔人") in found or (6, "标题") in found
    assert all(e.message for e in errors)
    dup = next(e for e in errors if e.row == 5)
    assert "第3行" in dup.message


def test_a_number_already_taken_in_the_session_is_an_error(world):
    run(world, [row(1)])
    made, errors = run(world, [row(1, title="另一件")])
    assert made == [] and errors[0].column == "编号" and "已有第1号" in errors[0].message


def test_the_default_session_fills_rows_without_one(world):
    made, errors = run(world, [row(3, session="")], default_session="闭会期间")
    assert errors == [] and made[0].session.name == "闭会期间"


def test_a_file_without_the_header_is_refused_as_a_whole(world):
    with pytest.raises(InvalidInput, match="未找到表头"):
        importing.import_batch(
            world.org, world.supervisor, workbook([["x"]], header=["甲", "乙"]), body=Body.CONGRESS, year=2026)


def test_a_file_that_is_not_excel_is_refused(world):
    with pytest.raises(InvalidInput, match="无法读取"):
        importing.import_batch(world.org, world.supervisor, io.BytesIO(b"not a workbook"), body=Body.CONGRESS,
                               year=2026)


def test_a_unit_liaison_cannot_import(world):
    with pytest.raises(PermissionDenied):
        importing.import_batch(world.org, world.liaison["lead"], workbook([row(1)]), body=Body.CONGRESS, year=2026)


def test_the_template_reads_back_as_one_valid_row(world):
    made, errors = importing.import_batch(world.org, world.supervisor, io.BytesIO(importing.template_workbook()),
                                          body=Body.CONGRESS, year=2026)
    assert errors == [] and len(made) == 1


def test_registering_by_hand_between_sessions(world, session, journey):
    p = journey.receive(number=101)
    assert p.item.kind == ItemKind.DEPUTY_SUGGESTION and p.item.status == Status.DRAFT
    assert p.lead_signer.proposer.name == "王建国"
    with pytest.raises(InvalidInput, match="已有第101号"):
        journey.receive(number=101)


def test_registration_needs_a_proposer(world, session):
    with pytest.raises(InvalidInput, match="提出人"):
        ps.register_proposal(session, world.supervisor, ps.ProposalFields(number=1, title="标题", content="内容"))
