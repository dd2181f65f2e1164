"""The backup manifest and its verification, in-process and on either database (issue 13, point 6):
the fast half of tests/ops, run in both passes."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.items import services as svc
from duban.items.models import Status
from duban.ops.inventory import file_fields
from duban.ops.manifest import build_manifest, verify_manifest


def test_every_file_field_is_found_without_a_list():
    found = {f"{model._meta.label}.{field.name}" for model, field in file_fields()}
    assert found >= {
        "items.Attachment.file", "inspections.Media.original", "inspections.Media.display",
        "inspections.Media.thumbnail", "documents.DocumentSettings.seal", "documents.FormTemplate.file",
        "documents.Volume.file", "documents.ArchiveJob.register", "ledgers.LedgerJob.file",
    }


@pytest.fixture
def attached(world):
    item = world.item_in(Status.ASSIGNED)
    att = svc.add_attachment(item.id, world.supervisor, SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan", "application/pdf"))
    return item, att


def test_a_manifest_verifies_against_its_own_database(attached):
    _, att = attached
    manifest = build_manifest()
    assert manifest["summary"]["attachments"] == 1 and manifest["summary"]["events"] > 0
    assert manifest["files"][att.file.name]["refs"] == [f"items.Attachment.file#{att.pk}"]
    report = verify_manifest(manifest)
    assert report.ok, report.problems
    assert report.checked_files == 1


def test_a_changed_file_and_a_missing_file_are_named(attached, world):
    item, att = attached
    other = svc.add_attachment(item.id, world.supervisor, SimpleUploadedFile("附件.txt", b"second", "text/plain"))
    manifest = build_manifest()
    with default_storage.open(att.file.name, "wb") as f:
        f.write(b"%PDF-1.4 plan, changed")
    default_storage.delete(other.file.name)
    problems = verify_manifest(manifest).problems
    assert len(problems) == 2
    assert any(p.startswith(f"文件内容不符 / file differs: {att.file.name}") for p in problems)
    assert any(p.startswith(f"文件缺失 / file missing: {other.file.name}") for p in problems)


def test_a_row_deleted_and_one_added_elsewhere_is_caught_by_the_key_digest(attached, world):
    """Counts alone would miss it: the table holds as many rows as the backup did."""
    item, att = attached
    manifest = build_manifest()
    label = att._meta.label
    type(att).objects.filter(pk=att.pk).delete()
    svc.add_attachment(item.id, world.supervisor, SimpleUploadedFile("新.pdf", b"%PDF-1.4 new", "application/pdf"))
    problems = verify_manifest(manifest).problems
    assert f"{label}: 行数相同但主键不同 / same number of rows, different primary keys" in problems
    # the new upload recorded an event: that table's count differs too
    assert any(p.startswith("items.Event: 备份时") for p in problems)
