"""Acting on findings and the inspection report (issue 12, point 3; seed 004: 督查整改建议书 with
closed-loop follow-up; seed 000 art. 4(6): inspections end in a report and circulars)."""

import pytest

from duban.inspections import services
from duban.inspections.models import Finding, Inspection
from duban.items import services as item_services
from duban.items.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from duban.items.models import ItemKind, Status

from .conftest import jpeg


@pytest.fixture
def finding(world, plan):
    insp = plan()
    return services.record_finding(insp.id, world.supervisor, target_id=insp.targets.get().id, text="排水口堵塞")


def test_a_rectification_notice_is_a_new_item_that_runs_the_procedure_until_the_office_closes_it(world, finding):
    f = services.decide_finding(finding.id, world.supervisor, outcome="rectify", note="限期疏通排水口")
    item = f.rectification_item
    assert item.kind == ItemKind.RECTIFICATION and item.lead_unit == world.units["lead"]
    assert item.status == Status.PENDING_APPROVAL and "排水口堵塞" in item.content
    # The leader approves it like any item; the unit handles it; the office closes the loop.
    item_services.approve_proposal(item.id, world.leader)
    item_services.accept(item.id, world.liaison["lead"], responsible_person="李四")
    world.file_report(item, kind="completion")
    item_services.review(item.id, world.supervisor, accept=True,
                         criteria=dict.fromkeys(item_services.REVIEW_CRITERIA, True))
    item_services.close(item.id, world.leader)
    f.refresh_from_db()
    assert f.rectification_item.status == Status.CLOSED


def test_praise_and_nothing_are_recorded_without_an_item(world, plan):
    insp = plan()
    t = insp.targets.get()
    a = services.record_finding(insp.id, world.supervisor, target_id=t.id, text="台账规范")
    b = services.record_finding(insp.id, world.supervisor, target_id=t.id, text="一般情况")
    assert services.decide_finding(a.id, world.supervisor, outcome="praise", note="通报表扬").rectification_item is None
    assert services.decide_finding(b.id, world.supervisor, outcome="none").outcome == Finding.Outcome.NONE


def test_a_finding_is_acted_on_once(world, finding):
    services.decide_finding(finding.id, world.supervisor, outcome="none")
    with pytest.raises(TransitionNotAllowed):
        services.decide_finding(finding.id, world.supervisor, outcome="praise", note="x")


def test_a_unit_cannot_act_on_a_finding(world, finding):
    with pytest.raises(PermissionDenied):
        services.decide_finding(finding.id, world.liaison["lead"], outcome="none")


def test_a_notice_for_a_site_needs_a_unit(world, plan):
    insp = plan(units=(), sites=("城南路",))
    f = services.record_finding(insp.id, world.supervisor, target_id=insp.targets.get().id, text="占道经营")
    with pytest.raises(InvalidInput, match="整改单位"):
        services.decide_finding(f.id, world.supervisor, outcome="rectify", note="整改")
    f = services.decide_finding(f.id, world.supervisor, outcome="rectify", note="整改", unit=world.units["other"])
    assert f.rectification_item.lead_unit == world.units["other"]


def test_the_report_is_drafted_from_findings_with_selected_photos_approved_and_issued(world, finding):
    m = services.add_media(world.supervisor, jpeg(), finding=finding)
    services.decide_finding(finding.id, world.supervisor, outcome="rectify", note="限期疏通")
    insp = finding.inspection
    draft = services.compose_report(insp)
    assert "发现的问题" in draft and "排水口堵塞" in draft
    services.save_report(insp.id, world.supervisor, body=draft, photo_tokens=[m.token, "forged"])
    assert list(insp.report_photos.all()) == [m]
    services.submit_report(insp.id, world.supervisor)
    with pytest.raises(PermissionDenied):
        services.decide_report(insp.id, world.other_leader, approve=True)
    with pytest.raises(InvalidInput):
        services.decide_report(insp.id, world.leader, approve=False, comment="")
    services.decide_report(insp.id, world.leader, approve=False, comment="补充整改要求")
    assert Inspection.objects.get(pk=insp.pk).status == Inspection.Status.PLANNED
    services.submit_report(insp.id, world.supervisor)
    insp = services.decide_report(insp.id, world.leader, approve=True)
    assert insp.status == Inspection.Status.ISSUED and insp.issued_at


def test_the_inspection_page_lets_the_office_act_and_the_leader_issue(world, finding, client):
    client.force_login(world.supervisor)
    r = client.post(f"/findings/{finding.id}/decide/", {"outcome": "praise", "note": "表扬"})
    assert r.status_code == 302
    client.post(f"/inspections/{finding.inspection_id}/report/submit/", {"body": "督查报告正文"})
    client.force_login(world.leader)
    assert "待我审批的督查报告" in client.get("/inspections/").content.decode()
    page = client.get(f"/inspections/{finding.inspection_id}/").content.decode()
    assert "同意印发" in page
    client.post(f"/inspections/{finding.inspection_id}/report/approve/", {"comment": ""})
    assert Inspection.objects.get().status == Inspection.Status.ISSUED


def test_an_unannounced_visit_sends_no_notice_before_its_report_is_issued(world, plan):
    """The notice would reach the unit as an item and announce the visit (seed 002 art. 6: 明察暗访)."""
    from duban.inspections.models import InspectionKind

    insp = plan(kind=InspectionKind.UNANNOUNCED)
    f = services.record_finding(insp.id, world.supervisor, target_id=insp.targets.get().id, text="窗口无人")
    with pytest.raises(TransitionNotAllowed, match="明察暗访"):
        services.decide_finding(f.id, world.supervisor, outcome="rectify", note="整改")
    assert not f.__class__.objects.get(pk=f.pk).rectification_item
    services.save_report(insp.id, world.supervisor, body="暗访报告")
    services.submit_report(insp.id, world.supervisor)
    services.decide_report(insp.id, world.leader, approve=True)
    f = services.decide_finding(f.id, world.supervisor, outcome="rectify", note="整改")
    assert f.rectification_item.lead_unit == world.units["lead"]


def test_the_issued_report_downloads_as_word_with_its_photos_for_the_office_only(world, finding, client):
    import io

    from docx import Document

    m = services.add_media(world.supervisor, jpeg(), finding=finding)
    insp = finding.inspection
    services.save_report(insp.id, world.supervisor, body=services.compose_report(insp), photo_tokens=[m.token])
    services.submit_report(insp.id, world.supervisor)
    services.decide_report(insp.id, world.leader, approve=True)
    client.force_login(world.leader)
    r = client.get(f"/inspections/{insp.id}/report.docx")
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "城区内涝点整治实地督查督查报告" in text and "排水口堵塞" in text and "照片1" in text
    assert len(doc.inline_shapes) == 1
    client.force_login(world.liaison["lead"])
    assert client.get(f"/inspections/{insp.id}/report.docx").status_code == 404
