"""One filled ``Form``, three formats with the same content (issue 10, "Engineering"):

- .docx in the GB/T 9704 layout of ``docx.py`` (red 版头, number and red rule, title, the form's
  grid, text, 落款), or through the organisation's own docxtpl template for the kind;
- HTML with print CSS for A4, which the browser prints;
- PDF rendered by WeasyPrint from that very HTML, with the Noto CJK fonts embedded (subset), so
  the printout and the PDF are the same page.
"""

from __future__ import annotations

import base64
import io
import mimetypes

from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from . import docx as gb
from .forms import Form

RED = RGBColor(0xC0, 0x00, 0x00)
HEADING_PT = 26
GRID_PT = 12
LABEL_CM, VALUE_CM = 3.6, gb.TEXT_WIDTH_CM - 3.6


def org_settings(org):
    from .models import DocumentSettings

    return DocumentSettings.objects.filter(org_id=org.id).first()


def seal_bytes(org) -> tuple[bytes, str] | None:
    s = org_settings(org)
    if not s or not s.seal:
        return None
    try:
        with s.seal.open("rb") as f:
            data = f.read()
    except OSError:
        return None
    return data, mimetypes.guess_type(s.seal.name)[0] or "image/png"


def active_template(org, kind):
    from .models import FormTemplate

    return FormTemplate.objects.filter(org_id=org.id, kind=kind, is_active=True).first()


# --- .docx -------------------------------------------------------------------------------------------

def to_docx(form: Form, org) -> bytes:
    """The organisation's template for the kind when it has one, else the preset layout."""
    template = active_template(org, form.kind)
    if template is not None:
        return fill_template(template.file, form.context)
    return preset_docx(form, seal_bytes(org))


def fill_template(file, context: dict) -> bytes:
    from docxtpl import DocxTemplate

    file.open("rb")
    try:
        tpl = DocxTemplate(io.BytesIO(file.read()))
    finally:
        file.close()
    tpl.render(context, autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def _red_rule(paragraph) -> None:
    """The red line under the number (GB/T 9704, 7.2.5): a bottom border, placed before
    ``w:spacing``/``w:jc`` in ``w:pPr`` or Word may call the file damaged (STACK-NOTES)."""
    p_pr = paragraph._element.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    anchor = None
    for tag in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc"):
        anchor = p_pr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(bdr)
    else:
        p_pr.append(bdr)


def _grid(doc, fields) -> None:
    t = doc.add_table(rows=len(fields), cols=2)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    t.columns[0].width, t.columns[1].width = Cm(LABEL_CM), Cm(VALUE_CM)
    for (_, label, value), row in zip(fields, t.rows):
        for cell, content, width, font, align in (
            (row.cells[0], label, LABEL_CM, gb.H1_FONT, WD_ALIGN_PARAGRAPH.CENTER),
            (row.cells[1], value, VALUE_CM, gb.BODY_FONT, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            cell.width = Cm(width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.alignment = align
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(3)
            for i, line in enumerate(str(content).split("\n")):
                if i:
                    p.add_run().add_break()
                gb._font_run(p.add_run(line), font, GRID_PT)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def preset_docx(form: Form, seal=None) -> bytes:
    doc = Document()
    gb._setup_styles(doc)
    gb._setup_page(doc)
    doc.core_properties.title = form.title
    doc.core_properties.author = form.issuer
    if form.heading:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        gb._exact(p.paragraph_format, HEADING_PT * 1.5)
        run = gb._font_run(p.add_run(form.heading), gb.TITLE_FONT, HEADING_PT)
        run.font.color.rgb = RED
    if form.number or form.signer:
        p = doc.add_paragraph()
        if form.signer:
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            p.paragraph_format.left_indent = Pt(gb.BODY_PT)
            p.add_run(form.number)
            p.add_run("\t签发人：")
            gb._font_run(p.add_run(form.signer), gb.H2_FONT, gb.BODY_PT)
            p.paragraph_format.tab_stops.add_tab_stop(Cm(gb.TEXT_WIDTH_CM - 5))
        else:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(form.number)
        _red_rule(p)
    doc.add_paragraph()
    gb._title(doc, form.title)
    if form.main_to:
        doc.add_paragraph(f"{form.main_to}：")
    if form.fields:
        _grid(doc, form.fields)
    for para in form.body:
        if para.strip():
            gb._body(doc, para)
    if form.table is not None:
        gb._table(doc, form.table, gb.LINE_PT / 2)
    if seal is not None and form.sealed:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(4 * gb.BODY_PT)
        p.add_run().add_picture(io.BytesIO(seal[0]), width=Cm(4))
    gb._signature(doc, form.issuer, form.date_line)
    if form.cc:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(gb.LINE_PT)
        gb._font_run(p.add_run(f"抄送：{form.cc}。"), gb.BODY_FONT, 14)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- HTML and PDF -----------------------------------------------------------------------------------

def to_html(form: Form, org, *, toolbar: dict | None = None) -> str:
    """The page the browser prints and WeasyPrint renders; ``toolbar`` adds the screen-only
    buttons (print, downloads), hidden in print."""
    seal = seal_bytes(org) if form.sealed else None
    seal_uri = f"data:{seal[1]};base64,{base64.b64encode(seal[0]).decode()}" if seal else ""
    return render_to_string("documents/form.html", {"form": form, "seal_uri": seal_uri, "toolbar": toolbar})


def to_pdf(form: Form, org) -> bytes:
    return html_to_pdf(to_html(form, org))


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()
