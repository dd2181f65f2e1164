"""Findings in the field and their photos and videos (issue 12, point 2; seed 001 art. 13:
实地督查; seed 002 art. 6: 明察暗访)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from duban.inspections import services
from duban.inspections.models import InspectionKind, Media
from duban.items.errors import InvalidInput, PermissionDenied, TransitionNotAllowed

from .conftest import gps_exif, jpeg


@pytest.fixture
def finding(world, plan):
    insp = plan()
    return services.record_finding(insp.id, world.supervisor, target_id=insp.targets.get().id,
                                   text="排水口堵塞，积水未清", latitude="30.26", longitude="120.15", accuracy_m="12")


def test_team_member_records_a_finding_with_time_and_position(world, finding):
    assert finding.unit == world.units["lead"]
    assert str(finding.latitude) == "30.260000" and finding.accuracy_m == 12


def test_a_finding_without_a_position_is_kept_without_one(world, plan):
    insp = plan()
    f = services.record_finding(insp.id, world.supervisor, target_id=insp.targets.get().id, text="现场已整改")
    assert f.latitude is None and f.longitude is None


def test_someone_off_the_team_cannot_record_a_finding(world, plan):
    insp = plan()
    with pytest.raises(PermissionDenied):
        services.record_finding(insp.id, world.liaison["lead"], target_id=insp.targets.get().id, text="x")


def test_a_capture_time_in_the_future_is_refused(world, plan):
    insp = plan()
    with pytest.raises(InvalidInput, match="记录时间"):
        services.record_finding(insp.id, world.supervisor, target_id=insp.targets.get().id, text="x",
                                captured_at="2099-01-01T00:00:00+08:00")


def test_a_photo_gets_its_orientation_fixed_a_thumbnail_and_no_location_in_what_is_shown(world, finding):
    m = services.add_media(world.supervisor, jpeg(size=(800, 600), exif=gps_exif()), finding=finding)
    m.refresh_from_db()
    assert m.is_processed  # the huey task ran inline (tests/settings.py)
    # The office keeps the facts: time, place, device.
    assert (str(m.latitude), str(m.longitude), m.device) == ("30.260000", "120.150000", "HUAWEI P60 Pro")
    assert m.captured_at.year == 2026
    with m.display.open("rb") as f:
        shown = Image.open(f)
        shown.load()
    assert shown.size == (600, 800)  # turned upright
    assert not shown.getexif()  # no GPS, no camera, no orientation tag
    with m.thumbnail.open("rb") as f:
        thumb = Image.open(f)
        thumb.load()
    assert max(thumb.size) == 320 and not thumb.getexif()
    with m.original.open("rb") as f:
        assert Image.open(f).getexif().get_ifd(0x8825)  # the original is kept as taken


def test_a_photo_over_the_configured_limit_is_refused_with_its_size(world, finding, settings):
    settings.DUBAN_MEDIA_LIMITS = {**settings.DUBAN_MEDIA_LIMITS,
                                   "photo": {**settings.DUBAN_MEDIA_LIMITS["photo"], "max_bytes": 1024}}
    with pytest.raises(InvalidInput, match=r"照片不能超过 0.0009765625 MB|照片不能超过"):
        services.add_media(world.supervisor, jpeg(), finding=finding)
    assert not Media.objects.exists()


@pytest.mark.parametrize("name, body", [
    ("page.html", b"<script>alert(1)</script>"),
    ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ("fake.jpg", b"<html><script>alert(1)</script></html>"),
])
def test_html_and_svg_are_refused_even_when_named_as_a_photo(world, finding, name, body):
    with pytest.raises(InvalidInput):
        services.add_media(world.supervisor, SimpleUploadedFile(name, body), finding=finding)
    assert not Media.objects.exists()


def box(kind: bytes, payload: bytes) -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def phone_mp4() -> bytes:
    """An MP4 laid out as an Android phone writes one: place in moov/udta/©xyz, maker and model
    in moov/meta, and a track with its own udta."""
    udta = box(b"udta", box(b"\xa9xyz", b"\x00\x12\x15\xc7+36.0610+103.8340/"))
    meta = box(b"meta", b"\x00" * 4 + box(b"keys", b"com.android.manufacturer HUAWEI com.android.model P60"))
    trak = box(b"trak", box(b"tkhd", b"\x00" * 84) + box(b"udta", box(b"name", b"VID_20260601")))
    moov = box(b"moov", box(b"mvhd", b"\x00" * 100) + udta + meta + trak)
    return box(b"ftyp", b"mp42\x00\x00\x00\x00mp42isom") + moov + box(b"mdat", b"\x01" * 64)


def test_a_short_video_is_shown_outside_the_office_without_its_place_and_device(world, finding, client):
    """Location and device metadata never leave the office (issue 12), for videos too."""
    data = phone_mp4()
    m = services.add_media(world.supervisor, SimpleUploadedFile("clip.mp4", data), finding=finding)
    m.refresh_from_db()
    assert m.kind == "video" and m.content_type == "video/mp4" and m.is_processed
    with m.display.open("rb") as f:
        shown = f.read()
    assert len(shown) == len(data) and shown[:8] == data[:8]
    for secret in (b"+36.0610", b"HUAWEI", b"VID_2026"):
        assert secret in data and secret not in shown
    assert shown.endswith(b"\x01" * 64)  # the picture itself is untouched
    client.force_login(world.supervisor)
    r = client.get(f"/media/{m.token}/display/")
    assert r["Content-Type"] == "video/mp4" and r["Content-Disposition"].startswith("inline;")


def test_a_file_named_mp4_that_is_not_one_is_never_shown_outside_the_office(world, finding, client):
    m = services.add_media(world.supervisor, SimpleUploadedFile("clip.mp4", b"<html><script>x</script>"),
                           finding=finding)
    m.refresh_from_db()
    assert not m.is_processed and "无法解析视频" in m.processing_error
    client.force_login(world.supervisor)
    assert client.get(f"/media/{m.token}/display/").status_code == 404


def test_no_finding_after_the_report_went_to_the_leader(world, finding):
    services.save_report(finding.inspection_id, world.supervisor, body="报告")
    services.submit_report(finding.inspection_id, world.supervisor)
    with pytest.raises(TransitionNotAllowed):
        services.record_finding(finding.inspection_id, world.supervisor, target_id=finding.target_id, text="x")


# --- serving ------------------------------------------------------------------------------------

def test_a_photo_is_served_with_its_type_inline_nosniff_and_sandboxed(world, finding, client):
    m = services.add_media(world.supervisor, jpeg(), finding=finding)
    client.force_login(world.supervisor)
    r = client.get(f"/media/{m.token}/display/")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/jpeg"
    assert r["Content-Disposition"].startswith("inline;")
    assert r["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in r["Content-Security-Policy"]
    r = client.get(f"/media/{m.token}/original/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment;")


def test_a_unit_sees_its_own_findings_and_photos_only_once_the_report_is_issued_and_never_the_original(
        world, plan, client):
    insp = plan(units=("lead", "other"))
    t_lead, t_other = insp.targets.order_by("id")
    mine = services.record_finding(insp.id, world.supervisor, target_id=t_lead.id, text="本单位问题")
    theirs = services.record_finding(insp.id, world.supervisor, target_id=t_other.id, text="他单位问题")
    m_mine = services.add_media(world.supervisor, jpeg(exif=gps_exif()), finding=mine)
    m_theirs = services.add_media(world.supervisor, jpeg(), finding=theirs)
    client.force_login(world.liaison["lead"])
    assert client.get(f"/media/{m_mine.token}/display/").status_code == 404  # not issued yet
    services.save_report(insp.id, world.supervisor, body="报告")
    services.submit_report(insp.id, world.supervisor)
    services.decide_report(insp.id, world.leader, approve=True)
    page = client.get(f"/inspections/{insp.id}/").content.decode()
    assert "本单位问题" in page and "他单位问题" not in page
    assert world.units["other"].name not in page  # not even which other unit was visited
    assert 'id="report"' not in page  # the report covers every unit: the office's and leaders'
    assert client.get(f"/media/{m_mine.token}/display/").status_code == 200
    assert client.get(f"/media/{m_mine.token}/original/").status_code == 404  # EXIF stays in the office
    assert client.get(f"/media/{m_theirs.token}/thumb/").status_code == 404
    assert client.get(f"/media/{m_theirs.token}/display/").status_code == 404


def test_anonymous_and_other_organisations_get_404_for_media(world, other_world, finding, client):
    m = services.add_media(world.supervisor, jpeg(), finding=finding)
    assert client.get(f"/media/{m.token}/display/").status_code == 404
    client.force_login(other_world.supervisor)
    assert client.get(f"/media/{m.token}/display/").status_code == 404


# --- the phone page ---------------------------------------------------------------------------

def test_the_phone_page_offers_the_camera_and_no_inline_script(world, plan, client):
    insp = plan()
    client.force_login(world.supervisor)
    html = client.get(f"/inspections/{insp.id}/record/").content.decode()
    assert 'capture="environment"' in html and 'accept="image/*"' in html and 'accept="video/*"' in html
    assert "inspections/field.js" in html
    import re
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script found"


def test_the_phone_page_saves_text_then_takes_each_file_separately_as_json(world, plan, client):
    insp = plan()
    client.force_login(world.supervisor)
    r = client.post(f"/inspections/{insp.id}/record/", {"target": insp.targets.get().id, "text": "路面破损"},
                    HTTP_ACCEPT="application/json")
    assert r.status_code == 200
    data = r.json()
    r = client.post(data["upload_url"], {"file": jpeg()}, HTTP_ACCEPT="application/json")
    assert r.status_code == 200 and r.json()["kind"] == "photo"
    r = client.post(data["upload_url"], {"file": SimpleUploadedFile("a.exe", b"MZ")}, HTTP_ACCEPT="application/json")
    assert r.status_code == 400 and "不支持的文件类型" in r.json()["detail"]


def test_the_phone_page_without_javascript_posts_text_and_photos_at_once(world, plan, client):
    insp = plan()
    client.force_login(world.supervisor)
    r = client.post(f"/inspections/{insp.id}/record/", {"target": insp.targets.get().id, "text": "路面破损",
                                                        "photos": [jpeg(), jpeg("b.jpg")]})
    assert r.status_code == 302
    assert Media.objects.filter(finding__inspection=insp).count() == 2


def test_a_bad_file_on_the_plain_form_saves_nothing(world, plan, client):
    insp = plan()
    client.force_login(world.supervisor)
    r = client.post(f"/inspections/{insp.id}/record/", {"target": insp.targets.get().id, "text": "路面破损",
                                                        "photos": [SimpleUploadedFile("x.svg", b"<svg/>")]})
    assert r.status_code == 200 and "不支持的文件类型" in r.content.decode()
    assert not insp.findings.exists()
