"""A timeline entry reveals no more than its reader may see of the thing it records (issue 8,
point 1): a unit head's comment on a draft report and the names of files attached to a draft are
the unit's own until the report is filed (seed 002 art. 5(3): the unit head approves what the unit
reports; until then it is not reported)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.api.models import ApiToken
from duban.items import selectors
from duban.items import services as svc
from duban.items.models import Report, Status

COMMENT = "数据口径有误请核实后再报"
FILE = "内部草稿测算表.xlsx"


@pytest.fixture
def returned_draft(world):
    item = world.item_in(Status.IN_PROGRESS)
    liaison, head = world.liaison["lead"], world.head["lead"]
    report = svc.draft_report(item.id, liaison, kind=Report.Kind.PROGRESS, body="阶段进展（草稿）")
    svc.add_attachment(item.id, liaison, SimpleUploadedFile(FILE, b"PK\x03\x04 x"), report=report)
    svc.send_report_to_head(report.id, liaison)
    svc.return_report_to_author(report.id, head, comment=COMMENT)
    return item, report


def _page(client, user, item) -> str:
    client.force_login(user)
    return client.get(reverse("item_detail", args=[item.id])).content.decode()


def _api_events(client, user, item) -> str:
    _, key = ApiToken.issue(user)
    r = client.get(f"/api/v1/items/{item.id}", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200
    return str(r.json()["events"])


@pytest.mark.parametrize("reader", ["supervisor", "office_head", "leader", "principal", "co_liaison", "co_head"])
def test_draft_comment_and_file_names_stay_with_the_unit(client, world, returned_draft, reader):
    item, _ = returned_draft
    user = {"co_liaison": world.liaison["co"], "co_head": world.head["co"]}.get(reader) or getattr(world, reader)
    for text in (_page(client, user, item), _api_events(client, user, item)):
        assert COMMENT not in text
        assert FILE not in text


def test_the_unit_itself_reads_its_head_comment_and_files(client, world, returned_draft):
    item, _ = returned_draft
    for user in (world.liaison["lead"], world.head["lead"]):
        assert COMMENT in _page(client, user, item)
        assert FILE in _api_events(client, user, item)


def test_a_filed_report_shows_its_history_to_the_office(client, world, returned_draft):
    item, report = returned_draft
    liaison, head = world.liaison["lead"], world.head["lead"]
    svc.edit_report(report.id, liaison, body="阶段进展（修改后）")
    svc.send_report_to_head(report.id, liaison)
    svc.approve_report(report.id, head, comment="同意报送督查室")
    svc.submit_report(report.id, liaison)
    page = _page(client, world.supervisor, item)
    assert "同意报送督查室" in page and FILE in page


def test_the_timeline_hides_events_of_reports_the_reader_cannot_see(world, returned_draft):
    item, report = returned_draft
    office = [e.action for e in selectors.timeline_for(world.supervisor, item)]
    unit = [e.action for e in selectors.timeline_for(world.liaison["lead"], item)]
    assert "return_report_to_author" in unit and "attach" in unit
    assert "return_report_to_author" not in office and "draft_report" not in office
    assert "accept" in office  # the rest of the item's history is untouched


def test_archive_volume_lists_no_file_of_an_unfiled_draft(client, world):
    """One item, one volume (seed 002 art. 5(7)): of reports, only what was filed goes in."""
    item = world.item_in(Status.IN_PROGRESS)
    svc.accept_as_co(item.id, world.liaison["co"], responsible_person="李四")
    draft = svc.draft_report(item.id, world.liaison["co"], kind=Report.Kind.CO_INPUT, body="未报送的协办意见")
    svc.add_attachment(item.id, world.liaison["co"], SimpleUploadedFile(FILE, b"PK\x03\x04 x"), report=draft)
    svc.add_attachment(item.id, world.supervisor, SimpleUploadedFile("交办通知.pdf", b"%PDF-1.4 x"))
    world.file_report(item, Report.Kind.COMPLETION)
    svc.review(item.id, world.supervisor, accept=True, criteria=dict.fromkeys(svc.REVIEW_CRITERIA, True))
    svc.close(item.id, world.leader)
    svc.archive(item.id, world.supervisor)
    page = _page(client, world.supervisor, item)
    assert "卷内文件目录" in page and "交办通知.pdf" in page
    assert FILE not in page
