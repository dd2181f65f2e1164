"""The 督查报告 as a .docx in the official layout (``duban.documents.docx``), with the chosen photos
appended (their display copies: upright, no EXIF)."""

from __future__ import annotations

import io
import re

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from duban.documents.docx import build_report_docx

from .models import Inspection

H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^（[一二三四五六七八九十]+）")


def blocks_of(body: str) -> list:
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if lines and lines[0].endswith("督查报告"):
        lines = lines[1:]  # the title line of compose_report: the document has its own title
    out = []
    for line in lines:
        if H1.match(line):
            head, _, rest = line.partition("：")
            out.append(("h1", head if rest else line))
            if rest:
                out.append(rest)
        elif H2.match(line):
            out.append(("h2", line))
        else:
            out.append(line)
    return out


def inspection_report_docx(insp: Inspection) -> bytes:
    when = insp.issued_at or timezone.now()
    data = build_report_docx(
        title=f"{insp.title}督查报告", issuer=insp.org.name,
        date_line=f"{timezone.localtime(when):%Y年%-m月%-d日}", blocks=blocks_of(insp.report_body),
    )
    photos = [m for m in insp.report_photos.order_by("uploaded_at", "id") if m.is_processed and m.display]
    if not photos:
        return data
    doc = Document(io.BytesIO(data))
    doc.add_page_break()
    doc.add_paragraph("附：现场照片")
    for n, m in enumerate(photos, 1):
        with m.display.open("rb") as f:
            doc.add_picture(io.BytesIO(f.read()), width=Cm(14))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        taken = f"（{timezone.localtime(m.captured_at):%Y年%-m月%-d日 %H:%M}）" if m.captured_at else ""
        cap = doc.add_paragraph(f"照片{n}{taken}")
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
