"""Photos and videos: checking an upload, and making a photo fit to show (Pillow).

A photo is kept as uploaded (the original, for the office) and gets two copies made in the
background: a display copy (orientation fixed from EXIF, at most DUBAN_MEDIA_DISPLAY_PX on the
longer side) and a thumbnail. Both are re-encoded from pixels only, so no EXIF tag survives: no
GPS position, no camera make or serial number, nothing that would place or identify the person
who took it when the photo is shown outside the office. What the office may want (time, place,
device) is read once into the ``Media`` row.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from duban.items.errors import InvalidInput

# Decompression bombs: a 10 MB JPEG can claim 50,000 x 50,000 pixels. Pillow warns above its
# default and raises above twice that; refuse anything larger than a 100-megapixel camera.
Image.MAX_IMAGE_PIXELS = 100_000_000

EXIF_DATETIME_ORIGINAL = 0x9003
EXIF_IFD = 0x8769
GPS_IFD = 0x8825


@dataclass
class Checked:
    kind: str  # "photo" or "video"
    name: str
    content_type: str  # from our own table, never from the browser


def check_upload(uploaded, *, kinds=("photo", "video")) -> Checked:
    """Refuse, with a clear message, what is not a photo or video of an allowed type and size."""
    limits = settings.DUBAN_MEDIA_LIMITS
    name = (getattr(uploaded, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200] or "file"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = next((k for k in kinds if ext in limits[k]["extensions"]), None)
    if kind is None:
        allowed = "、".join(sorted({e for k in kinds for e in limits[k]["extensions"]}))
        raise InvalidInput(f"不支持的文件类型：{ext or '无扩展名'}（可上传：{allowed}）", "file")
    size = getattr(uploaded, "size", 0) or 0
    if size == 0:
        raise InvalidInput("文件为空", "file")
    limit = limits[kind]["max_bytes"]
    if size > limit:
        label = "照片" if kind == "photo" else "视频"
        raise InvalidInput(f"{label}不能超过 {limit / 1024 / 1024:g} MB（本文件 {size / 1024 / 1024:.1f} MB）", "file")
    if kind == "photo":
        _check_is_image(uploaded, ext)
    return Checked(kind=kind, name=name, content_type=limits[kind]["extensions"][ext])


PILLOW_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


def _check_is_image(uploaded, ext):
    """The bytes must be the image the name says: an HTML or SVG file renamed .jpg is refused."""
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as im:
            fmt = im.format
            im.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InvalidInput("文件不是有效的图片", "file") from None
    finally:
        uploaded.seek(0)
    if fmt != PILLOW_FORMATS[ext]:
        raise InvalidInput("图片内容与扩展名不符", "file")


@dataclass
class PhotoFacts:
    width: int
    height: int
    captured_at: dt.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    device: str


def _dms(values, ref) -> Decimal | None:
    try:
        d, m, s = (float(v) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    if ref in ("S", "W"):
        value = -value
    if not -180 <= value <= 180:
        return None
    return Decimal(f"{value:.6f}")


def read_facts(im: Image.Image) -> PhotoFacts:
    """What the office keeps of the EXIF before it is dropped: time, place, device."""
    exif = im.getexif()
    when = None
    raw = exif.get_ifd(EXIF_IFD).get(EXIF_DATETIME_ORIGINAL) or exif.get(0x0132)
    if isinstance(raw, str):
        try:
            when = timezone.make_aware(dt.datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S"))
        except ValueError:
            when = None
    gps = exif.get_ifd(GPS_IFD)
    lat = _dms(gps.get(2), gps.get(1)) if gps.get(2) else None
    lng = _dms(gps.get(4), gps.get(3)) if gps.get(4) else None
    device = " ".join(str(exif.get(t, "")).strip("\x00 ") for t in (0x010F, 0x0110)).strip()[:100]
    w, h = im.size
    if exif.get(0x0112) in (5, 6, 7, 8):  # rotated a quarter turn
        w, h = h, w
    return PhotoFacts(width=w, height=h, captured_at=when, latitude=lat, longitude=lng, device=device)


def render_copies(fileobj) -> tuple[PhotoFacts, bytes, bytes]:
    """The photo's facts, its display copy and its thumbnail (both JPEG, no metadata)."""
    with Image.open(fileobj) as im:
        facts = read_facts(im)
        im.draft("RGB", (settings.DUBAN_MEDIA_DISPLAY_PX, settings.DUBAN_MEDIA_DISPLAY_PX))  # JPEG: decode at reduced scale
        upright = ImageOps.exif_transpose(im)
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        display = upright.copy()
        display.thumbnail((settings.DUBAN_MEDIA_DISPLAY_PX,) * 2, Image.Resampling.LANCZOS)
        thumb = display.copy()
        thumb.thumbnail((settings.DUBAN_MEDIA_THUMB_PX,) * 2, Image.Resampling.LANCZOS)
    return facts, _jpeg(display, 85), _jpeg(thumb, 80)


def _jpeg(im: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    # A fresh image from pixels only: no exif=, no icc_profile=, no comment.
    clean = Image.new(im.mode, im.size)
    clean.paste(im)
    clean.save(buf, "JPEG", quality=quality, optimize=True)
    return buf.getvalue()


def as_file(data: bytes) -> ContentFile:
    return ContentFile(data)


# --- videos -----------------------------------------------------------------------------------
# MP4, MOV and 3GP are ISO base media files: a tree of boxes. A phone writes the place and the
# device into metadata boxes (moov/udta with ©xyz, ©mak, ©mod; moov/meta with
# com.android.manufacturer/model and com.apple.quicktime.location.ISO6709; the same under each
# trak) and cameras add XMP in a top-level uuid box. The display copy turns each of those into a
# `free` box of the same size, its payload zeroed: no re-encoding (no ffmpeg on the server), no
# offsets move, and every player skips `free`.

ISO_BMFF = {"mp4", "mov", "3gp"}
CONTAINERS = {b"moov", b"trak"}
METADATA = {b"udta", b"meta", b"uuid"}


def _boxes(data, start, end):
    pos = start
    while pos + 8 <= end:
        size = int.from_bytes(data[pos:pos + 4], "big")
        kind = bytes(data[pos + 4:pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > end:
                raise ValueError("truncated box")
            size, header = int.from_bytes(data[pos + 8:pos + 16], "big"), 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise ValueError("bad box size")
        yield pos, size, header, kind
        pos += size


def strip_video_metadata(data: bytes) -> bytes:
    """A copy of an ISO base media file with its metadata boxes blanked; ValueError if the file is
    not one (the video is then not shown outside the office)."""
    out = bytearray(data)
    seen_moov = False

    def blank(pos, size, header):
        out[pos + 4:pos + 8] = b"free"
        out[pos + header:pos + size] = bytes(size - header)

    def walk(start, end, depth):
        nonlocal seen_moov
        for pos, size, header, kind in _boxes(out, start, end):
            if kind == b"moov":
                seen_moov = True
            if kind in METADATA and (depth > 0 or kind in (b"meta", b"uuid")):
                blank(pos, size, header)
            elif kind in CONTAINERS and depth < 3:
                walk(pos + header, pos + size, depth + 1)

    walk(0, len(out), 0)
    if not seen_moov:
        raise ValueError("no moov box")
    return bytes(out)
