"""Attachment download: through ``selectors.attachment_for_download`` only, like the pages."""

from __future__ import annotations

import logging
import mimetypes

from django.conf import settings
from django.http import FileResponse
from ninja import Path, Router

from duban.items import selectors
from duban.items.errors import NotFound

from ..errors import NOT_FOUND, errors

log = logging.getLogger(__name__)
router = Router(tags=["附件"])


def _download_types() -> list[str]:
    """The content types a download is sent with: what add_attachment records for each allowed
    extension, else application/octet-stream (the document used to declare only the latter)."""
    types = {mimetypes.guess_type(f"x.{ext}")[0] for ext in settings.DUBAN_ATTACHMENT_EXTENSIONS}
    return sorted(t for t in types if t) + ["application/octet-stream"]


BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get("/attachments/{token}", response={**errors(400, 401, 404)}, summary="下载附件",
            openapi_extra={"responses": {"200": {
                "description": "文件内容，以上传时文件扩展名对应的类型发送",
                "content": {t: BINARY for t in _download_types()}}}})
def download_attachment(request, token: str = Path(..., max_length=64, pattern=r"^[0-9A-Za-z_-]+$")):
    att = selectors.attachment_for_download(request.auth, token)
    if att is None:
        raise NotFound(NOT_FOUND)
    try:
        handle = att.file.open("rb")
    except OSError:
        log.error("attachment %s: stored file %s is missing", att.token, att.file.name)
        raise NotFound("附件文件不存在") from None
    return FileResponse(handle, as_attachment=True, filename=att.original_name,
                        content_type=att.content_type or "application/octet-stream")
