"""A handled item with something of every kind on record: an extension, a 催办单, an
explanation, a completion report signed by the unit head, the leader's closing instruction."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from pypdf import PdfReader

from duban.items import services as svc
from duban.items.models import Report, Status
from duban.urging.ladder import issue_notice
from tests.factories import aware


@pytest.fixture
def handled(world):
    """Registered 2026-03-02, extended, urged, explained, completed and closed."""
    w = world
    t = aware(2026, 3, 2)
    item = w.item_in(Status.IN_PROGRESS, now=t, title="关于城区内涝点整治的督查事项")
    ext = svc.request_extension(item.id, w.liaison["lead"], until=dt.date(2026, 5, 29), reason="汛期施工受限",
                                progress="已完成8处中的5处", now=aware(2026, 3, 10))
    svc.decide_extension(ext.id, w.supervisor, approve=True, new_deadline=dt.date(2026, 5, 29),
                         comment="同意延期", now=aware(2026, 3, 11))
    item.refresh_from_db()
    notice = issue_notice(item, "urge_notice", now=aware(2026, 3, 20))
    svc.add_attachment(item.id, w.supervisor, SimpleUploadedFile("现场照片.jpg", b"\xff\xd8photo", "image/jpeg"),
                       now=aware(2026, 3, 21))
    w.file_report(item, Report.Kind.EXPLANATION, body="因汛期施工受限，进度滞后。", now=aware(2026, 3, 25))
    svc.accept_as_co(item.id, w.liaison["co"], responsible_person="李四", now=aware(2026, 3, 3))
    co = svc.draft_report(item.id, w.liaison["co"], kind=Report.Kind.CO_INPUT, body="协办单位的草稿意见", now=aware(2026, 5, 19))
    completion = w.file_report(item, Report.Kind.COMPLETION, body="8处内涝点已全部整治完毕。\n经汛期检验无积水。",
                               now=aware(2026, 5, 20))
    svc.review(item.id, w.supervisor, accept=True, criteria=dict.fromkeys(svc.REVIEW_CRITERIA, True),
               comment="材料齐全", now=aware(2026, 5, 22))
    svc.close(item.id, w.leader, text="同意办结。", now=aware(2026, 5, 25))
    item.refresh_from_db()
    return {"item": item, "ext": ext, "notice": notice, "completion": completion, "co_draft": co,
            "explanation": item.reports.get(kind=Report.Kind.EXPLANATION)}


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a .docx, read back from its XML."""
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def zip_names(content: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(content)).namelist()
