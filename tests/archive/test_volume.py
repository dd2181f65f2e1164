"""Archiving seals the item's volume: catalogue, every document as PDF, every attachment, the
timeline as a table, a manifest with each file's SHA-256 and the chain head; 年度归档 does a
year's items in the background with progress and an archive register (issue 10, point 4; seed
002 art. 5(7); seed 004 归档目录, one item one volume)."""

import hashlib
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from duban.documents import services
from duban.documents.models import ArchiveJob, RetentionRule, Volume
from duban.items.models import ChainHead, ItemKind, Status

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def sealed(world, handled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.archive_item(handled["item"].id, world.supervisor)
    return Volume.objects.get(item=handled["item"])


def unzip(volume):
    with volume.file.open("rb") as f:
        return zipfile.ZipFile(io.BytesIO(f.read()))


def test_archiving_seals_the_volume_with_manifest_and_chain_head(world, handled, sealed):
    z = unzip(sealed)
    names = z.namelist()
    manifest = json.loads(z.read("manifest.json"))
    assert names[0] == "01-卷内文件目录.pdf" and "备考表.pdf" in names and "办理过程.xlsx" in names
    assert "附件/现场照片.jpg" in names
    assert any("办结报告" in n for n in names) and any("催办单" in n for n in names)
    assert any("延期申请审批表" in n for n in names) and any("督办卡" in n for n in names)
    for entry in manifest["files"]:
        assert hashlib.sha256(z.read(entry["path"])).hexdigest() == entry["sha256"]
    assert {e["path"] for e in manifest["files"]} == set(names) - {"manifest.json"}
    head = ChainHead.objects.get(item=handled["item"])
    assert manifest["chain"]["head"] == sealed.chain_head == head.hash
    assert manifest["chain"]["length"] == head.length
    with sealed.file.open("rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == sealed.sha256


def test_catalogue_lists_every_document_of_the_volume(world, handled, sealed):
    z = unzip(sealed)
    catalogue = pdf_text(z.read("01-卷内文件目录.pdf")).replace("\n", "")
    for name in ("办结报告", "催办单", "现场照片.jpg", "延期申请审批表", "督办卡"):
        assert name in catalogue, name


def test_the_office_volume_holds_no_draft_of_a_unit(world, handled, sealed):
    """The volume for the office contains what the office may see: the co-unit's draft stays out."""
    z = unzip(sealed)
    everything = "".join(pdf_text(z.read(n)) for n in z.namelist() if n.endswith(".pdf"))
    assert "协办单位的草稿意见" not in everything
    assert "8处内涝点已全部整治完毕" in everything


def test_retention_follows_the_organisations_rule_for_the_kind(world, handled, django_capture_on_commit_callbacks):
    RetentionRule.objects.create(org=world.org, item_kind=ItemKind.MEETING_DECISION, period="10y")
    with django_capture_on_commit_callbacks(execute=True):
        services.archive_item(handled["item"].id, world.supervisor)
    v = Volume.objects.get(item=handled["item"])
    assert v.retention == "10y" and "-D10-" in v.archive_number


def test_verify_catches_history_changed_after_sealing(world, handled, sealed):
    """The volume recorded the chain head: rewriting the whole chain consistently still shows."""
    from duban.documents.archive import verify

    ChainHead.objects.filter(item=handled["item"]).update(hash="0" * 64)
    broken = verify(org=world.org)[1]
    assert [b.item_id for b in broken] == [handled["item"].id]


def test_year_archive_archives_and_seals_a_years_closed_items_with_a_register(world, django_capture_on_commit_callbacks):
    closed = [world.item_in(Status.CLOSED) for _ in range(2)]
    open_item = world.item_in(Status.IN_PROGRESS)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_year_archive(world.org, world.supervisor, closed[0].year)
    job.refresh_from_db()
    assert job.state == ArchiveJob.State.DONE and (job.done, job.total) == (2, 2), job.message
    for item in closed:
        item.refresh_from_db()
        assert item.status == Status.ARCHIVED and item.volume.sha256
    open_item.refresh_from_db()
    assert open_item.status == Status.IN_PROGRESS
    with job.register.open("rb") as f:
        ws = load_workbook(io.BytesIO(f.read())).active
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    for item in closed:
        assert item.number in cells and item.volume.archive_number in cells


def test_a_unit_cannot_start_the_year_archive(world):
    from duban.items.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.start_year_archive(world.org, world.liaison["lead"], 2026)


def test_volume_build_is_once(world, handled, sealed):
    assert services.seal_volume(handled["item"].id, world.supervisor) == sealed


def test_archiving_through_the_page_seals_in_the_background(client, world, handled, django_capture_on_commit_callbacks):
    client.force_login(world.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/items/{handled['item'].id}/act/archive/", {"version": handled["item"].version})
    assert r.status_code == 302
    page = client.get(f"/items/{handled['item'].id}/").content.decode()
    assert "下载卷包 ZIP" in page
    zipped = client.get(f"/items/{handled['item'].id}/volume.zip")
    assert zipped.status_code == 200 and b"".join(zipped.streaming_content)[:2] == b"PK"


def test_note_sheet_of_the_sealed_volume_reads_its_chain_head(world, handled, sealed):
    from duban.documents import render, selectors
    from duban.documents.kinds import FormKind

    handled["item"].refresh_from_db()
    assert FormKind.NOTE_SHEET in [f.kind for f in selectors.available_forms(world.office_head, handled["item"])]
    form, item = selectors.form_for(world.office_head, handled["item"].id, FormKind.NOTE_SHEET)
    text = pdf_text(render.to_pdf(form, item.org)).replace("\n", "")
    assert sealed.chain_head[:16] in text and f"{sealed.manifest['documents']}件" in text
    assert selectors.form_for(world.liaison["lead"], handled["item"].id, FormKind.NOTE_SHEET) is None
