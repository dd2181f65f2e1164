"""The organisation's own Word templates: placeholders filled from the record; a broken template
is refused at upload with a message naming the bad placeholder (issue 10, point 2)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from duban.documents import render, selectors, services
from duban.documents.kinds import FormKind
from duban.documents.models import FormTemplate
from duban.items.errors import InvalidInput, PermissionDenied

from .conftest import docx_text

pytestmark = pytest.mark.django_db


def template(*paragraphs) -> SimpleUploadedFile:
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    buf = io.BytesIO()
    doc.save(buf)
    return SimpleUploadedFile("交办单模板.docx", buf.getvalue())


def test_uploaded_template_is_filled_from_the_record(world, handled):
    services.upload_template(world.org, world.office_head, FormKind.ASSIGNMENT_NOTICE, template(
        "{{ heading }}", "编号：{{ number }}", "事项：{{ item_title }}", "主办：{{ lead_unit }}", "时限：{{ deadline }}",
        "{% for f in fields %}{{ f.label }}={{ f.value }};{% endfor %}"))
    item = handled["item"]
    form, _ = selectors.form_for(world.liaison["lead"], item.id, FormKind.ASSIGNMENT_NOTICE)
    text = docx_text(render.to_docx(form, item.org))
    assert f"编号：{item.number}" in text
    assert f"事项：{item.title}" in text and f"主办：{world.units['lead'].name}" in text
    assert "时限：2026年5月29日" in text and "协办单位=" in text


@pytest.mark.parametrize("bad, named", [
    ("{{ nosuch_field }}", "{{ nosuch_field }}"),
    ("编号：{{ number }", "{{ number }"),
    ("{{ number | nosuchfilter }}", "{{ number | nosuchfilter }}"),
])
def test_a_broken_template_is_refused_naming_the_placeholder(world, bad, named):
    with pytest.raises(InvalidInput) as err:
        services.upload_template(world.org, world.office_head, FormKind.ASSIGNMENT_NOTICE,
                                 template("{{ title }}", bad))
    assert named in err.value.message
    assert not FormTemplate.objects.exists()


def test_a_placeholder_of_another_kind_is_refused(world):
    """{{ signer }} is common, but {{ reason }} belongs to the extension form only."""
    services.upload_template(world.org, world.office_head, FormKind.EXTENSION_FORM, template("{{ reason }}"))
    with pytest.raises(InvalidInput, match="reason"):
        services.upload_template(world.org, world.office_head, FormKind.URGE_NOTICE, template("{{ reason }}"))


def test_not_a_docx_is_refused(world):
    with pytest.raises(InvalidInput, match="docx"):
        services.upload_template(world.org, world.office_head, FormKind.URGE_NOTICE,
                                 SimpleUploadedFile("x.docx", b"not a zip"))


def test_only_the_office_head_or_admin_uploads_templates(world):
    with pytest.raises(PermissionDenied):
        services.upload_template(world.org, world.supervisor, FormKind.URGE_NOTICE, template("{{ number }}"))


def test_the_upload_page_shows_the_refusal(client, world):
    client.force_login(world.office_head)
    r = client.post("/archive/templates/", {"kind": FormKind.URGE_NOTICE, "file": template("{{ nosuch }}")},
                    follow=True)
    assert "模板未采用" in r.content.decode() and "{{ nosuch }}" in r.content.decode()


def test_every_form_offers_its_declared_placeholders(world, handled):
    """A placeholder the upload accepts is one the form fills: none stays empty by mistake."""
    from duban.documents.forms import placeholders

    item = handled["item"]
    for f in selectors.available_forms(world.supervisor, item):
        form, _ = selectors.form_for(world.supervisor, item.id, f.kind, f.ref)
        assert set(placeholders(f.kind)) <= set(form.context), f.kind
