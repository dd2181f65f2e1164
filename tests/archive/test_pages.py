"""Download buttons on the item page for who may see the item, 404 for anyone else; the print page
is the PDF's HTML; a rectification notice opens an item for the unit's answer (issue 10,
points 1, 6; seed 004: 整改建议书 with closed-loop follow-up)."""

import datetime as dt

import pytest

from duban.documents import services
from duban.documents.kinds import FormKind
from duban.documents.models import IssuedDocument
from duban.items.models import ItemKind, Status

pytestmark = pytest.mark.django_db


def test_item_page_offers_word_pdf_and_print_of_each_form(client, world, handled):
    client.force_login(world.liaison["lead"])
    page = client.get(f"/items/{handled['item'].id}/").content.decode()
    for kind in ("assignment_notice", "handling_card", "completion_report", "urge_notice"):
        assert f'data-form="{kind}"' in page, kind
    assert f"/items/{handled['item'].id}/forms/assignment_notice.pdf" in page
    assert f"/items/{handled['item'].id}/forms/assignment_notice.docx" in page


@pytest.mark.parametrize("fmt, content_type", [("pdf", "application/pdf"), ("docx", "wordprocessingml")])
def test_lead_unit_downloads_a_form(client, world, handled, fmt, content_type):
    client.force_login(world.liaison["lead"])
    r = client.get(f"/items/{handled['item'].id}/forms/completion_report.{fmt}?ref={handled['completion'].id}")
    assert r.status_code == 200 and content_type in r["Content-Type"]
    assert "attachment" in r["Content-Disposition"]


@pytest.mark.parametrize("url", [
    "/items/{item}/forms/assignment_notice.pdf",
    "/items/{item}/forms/assignment_notice.docx",
    "/items/{item}/forms/handling_card/",
    "/items/{item}/forms/urge_notice.pdf?ref={notice}",
    "/items/{item}/volume.zip",
])
def test_another_unit_gets_404(client, world, handled, url):
    client.force_login(world.liaison["other"])
    assert client.get(url.format(item=handled["item"].id, notice=handled["notice"].id)).status_code == 404


def test_another_organisation_gets_404(client, other_world, handled):
    client.force_login(other_world.supervisor)
    assert client.get(f"/items/{handled['item'].id}/forms/handling_card.pdf").status_code == 404


@pytest.mark.parametrize("url", ["/items/{item}/forms/nosuch.pdf", "/items/{item}/forms/handling_card.exe",
                                 "/items/{item}/forms/urge_notice.pdf?ref=abc",
                                 "/items/{item}/forms/completion_report.pdf?ref=999999"])
def test_bad_addresses_are_404_not_500(client, world, handled, url):
    client.force_login(world.supervisor)
    assert client.get(url.format(item=handled["item"].id)).status_code == 404


def test_a_unit_never_gets_the_sealed_volume(client, world, handled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.archive_item(handled["item"].id, world.supervisor)
    client.force_login(world.liaison["lead"])
    assert client.get(f"/items/{handled['item'].id}/volume.zip").status_code == 404
    client.force_login(world.office_head)
    assert client.get(f"/items/{handled['item'].id}/volume.zip").status_code == 200


def test_print_page_is_the_a4_html_with_a_print_button(client, world, handled):
    client.force_login(world.supervisor)
    page = client.get(f"/items/{handled['item'].id}/forms/assignment_notice/").content.decode()
    assert "size: A4" in page and 'id="print-button"' in page and handled["item"].number in page


def test_special_report_page_issues_a_numbered_report(client, world, handled):
    client.force_login(world.supervisor)
    item = handled["item"]
    r = client.post(f"/items/{item.id}/special-report/", {
        "title": "关于内涝整治的专报", "main_to": "李市长", "signer": "王主任", "cc": "", "body": "报告正文"})
    doc = IssuedDocument.objects.get()
    assert r.status_code == 302 and doc.number.startswith("督专〔") and doc.signer == "王主任"
    client.force_login(world.liaison["lead"])
    assert client.get(f"/items/{item.id}/special-report/").status_code == 404


def test_rectification_notice_opens_an_item_for_the_units_answer(world, handled):
    doc = services.issue_rectification_notice(
        world.org, world.supervisor, unit=world.units["other"], title="关于排水台账不全的整改通知",
        body="检查发现排水设施台账缺失，请限期补齐。", answer_deadline=dt.date(2099, 1, 1), item=handled["item"],
        kind=FormKind.RECTIFICATION_NOTICE)
    answer = doc.answer_item
    assert answer.kind == ItemKind.RECTIFICATION and answer.lead_unit == world.units["other"]
    assert answer.status == Status.DRAFT and doc.number in answer.source_text
    assert answer.deadline == dt.date(2099, 1, 1)
    from duban.documents import selectors

    assert selectors.form_for(world.supervisor, answer.id, FormKind.RECTIFICATION_NOTICE, doc.id) is not None
    assert selectors.form_for(world.liaison["lead"], answer.id, FormKind.RECTIFICATION_NOTICE, doc.id) is None


def test_rectification_notice_page_refuses_a_past_deadline_and_changes_nothing(client, world, handled):
    client.force_login(world.supervisor)
    r = client.post(f"/items/{handled['item'].id}/rectification-notice/", {
        "kind": FormKind.RECTIFICATION_NOTICE, "unit": world.units["other"].id, "title": "t", "body": "b",
        "answer_deadline": "2000-01-01"})
    assert r.status_code == 200 and "反馈时限须为今天以后的日期" in r.content.decode()
    assert not IssuedDocument.objects.exists()


def test_year_archive_page_shows_progress_and_register(client, world, django_capture_on_commit_callbacks):
    item = world.item_in(Status.CLOSED)
    client.force_login(world.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/archive/year/", {"year": item.year})
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "已归档1件" in page and "归档登记表" in page
    client.force_login(world.liaison["lead"])
    assert client.get(r["Location"]).status_code == 404
