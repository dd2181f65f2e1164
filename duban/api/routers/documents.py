"""Documents through the API: the forms of an item its user may have, each as .docx or PDF, and
the sealed volume. Same selectors and renderers as the pages (``duban.documents``); a form or item
the user may not see is 404."""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from ninja import Query, Router, Schema

from duban.documents import render, selectors
from duban.documents.kinds import FormKind
from duban.documents.models import Volume
from duban.items.errors import NotFound

from ..errors import NOT_FOUND, READ, errors
from ..schemas import ParamId

router = Router(tags=["公文与归档"])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BINARY = {"200": {"description": "文件内容", "content": {
    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
    DOCX: {"schema": {"type": "string", "format": "binary"}}}}}


class FormOut(Schema):
    kind: str
    label: str
    ref: int | None
    pdf: str
    docx: str


class FormRef(Schema):
    ref: ParamId | None = None


@router.get("/items/{item_id}/forms", response={200: list[FormOut], **errors(*READ)}, summary="事项的文书")
def list_forms(request, item_id: ParamId):
    from duban.items.selectors import get_visible_item

    item = get_visible_item(request.auth, item_id)
    if item is None:
        raise NotFound(NOT_FOUND)
    out = []
    for f in selectors.available_forms(request.auth, item):
        q = f"?ref={f.ref}" if f.ref else ""
        base = f"/api/v1/items/{item.id}/forms/{f.kind}"
        out.append(FormOut(kind=f.kind, label=f.label, ref=f.ref, pdf=f"{base}.pdf{q}", docx=f"{base}.docx{q}"))
    return out


@router.get("/items/{item_id}/forms/{kind}.{fmt}", response={**errors(*READ)}, summary="下载文书（Word 或 PDF）",
            openapi_extra={"responses": BINARY})
def download_form(request, item_id: ParamId, kind: FormKind, fmt: Literal["pdf", "docx"], q: Query[FormRef]):
    found = selectors.form_for(request.auth, item_id, kind, q.ref)
    if found is None:
        raise NotFound(NOT_FOUND)
    form, item = found
    content = render.to_pdf(form, item.org) if fmt == "pdf" else render.to_docx(form, item.org)
    response = HttpResponse(content, content_type="application/pdf" if fmt == "pdf" else DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(form.filename or form.title)}.{fmt}"
    return response


@router.get("/items/{item_id}/volume", response={**errors(*READ)}, summary="下载归档卷包（ZIP）",
            openapi_extra={"responses": {"200": {"description": "卷包", "content": {
                "application/zip": {"schema": {"type": "string", "format": "binary"}}}}}})
def download_volume(request, item_id: ParamId):
    from duban.items.selectors import get_visible_item

    item = get_visible_item(request.auth, item_id)
    volume = item and selectors.may_read_volume(request.auth, item) and Volume.objects.filter(item=item).first()
    if not volume:
        raise NotFound(NOT_FOUND)
    return FileResponse(volume.file.open("rb"), as_attachment=True, content_type="application/zip",
                        filename=f"{volume.archive_number}.zip")
