"""Units prove their work with photos and videos on their reports, shown in a gallery on the item
page (issue 12, point 6); served only to those who may see the report (as attachments are)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.inspections import services
from duban.inspections.models import Media
from duban.items import services as item_services
from duban.items.errors import PermissionDenied
from duban.items.models import Status

from .conftest import jpeg


@pytest.fixture
def item(world):
    item = world.item_in(Status.IN_PROGRESS)
    item_services.accept_as_co(item.id, world.liaison["co"], responsible_person="王五")
    return item


def test_a_unit_attaches_a_photo_to_its_draft_report_and_the_office_sees_it_once_filed(world, item, client):
    r = item_services.draft_report(item.id, world.liaison["lead"], kind="progress", body="垃圾已清运")
    client.force_login(world.liaison["lead"])
    page = client.get(f"/items/{item.id}/").content.decode()
    assert "现场照片与视频" in page and f"/items/{item.id}/reports/{r.id}/media/" in page
    resp = client.post(f"/items/{item.id}/reports/{r.id}/media/", {"file": [jpeg(), jpeg("b.jpg")]})
    assert resp.status_code == 302
    m = Media.objects.filter(report=r).first()
    client.force_login(world.supervisor)
    assert client.get(f"/media/{m.token}/thumb/").status_code == 404  # a draft is the unit's own
    item_services.send_report_to_head(r.id, world.liaison["lead"])
    item_services.approve_report(r.id, world.head["lead"])
    item_services.submit_report(r.id, world.liaison["lead"])
    page = client.get(f"/items/{item.id}/").content.decode()
    assert f"/media/{m.token}/thumb/" in page
    assert client.get(f"/media/{m.token}/thumb/")["Content-Type"] == "image/jpeg"


def test_a_co_unit_never_sees_the_lead_units_photos_nor_uploads_to_its_report(world, item, client):
    r = item_services.draft_report(item.id, world.liaison["lead"], kind="progress", body="x")
    m = services.add_media(world.liaison["lead"], jpeg(), report=r)
    world_file = jpeg()
    with pytest.raises(PermissionDenied):
        services.add_media(world.liaison["co"], world_file, report=r)
    client.force_login(world.liaison["co"])
    assert client.get(f"/media/{m.token}/display/").status_code == 404
    assert f"/media/{m.token}/" not in client.get(f"/items/{item.id}/").content.decode()
    client.force_login(world.liaison["other"])
    assert client.get(f"/media/{m.token}/display/").status_code == 404


def test_an_svg_on_a_report_is_refused_with_a_message(world, item, client):
    r = item_services.draft_report(item.id, world.liaison["lead"], kind="progress", body="x")
    client.force_login(world.liaison["lead"])
    resp = client.post(f"/items/{item.id}/reports/{r.id}/media/",
                       {"file": SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'/>")}, follow=True)
    assert "不支持的文件类型：svg" in resp.content.decode()
    assert not Media.objects.exists()


def test_the_item_page_shows_100_photos_in_a_fixed_number_of_queries(world, item, client, django_assert_max_num_queries):
    r = world.file_report(item)
    for i in range(3):
        Media.objects.create(token=f"t{i}", kind="photo", original=f"x{i}", original_name="a.jpg",
                             content_type="image/jpeg", size=1, item=item, report=r, uploaded_by=world.liaison["lead"],
                             is_processed=True, thumbnail="t")
    client.force_login(world.supervisor)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/items/{item.id}/")
    for i in range(3, 100):
        Media.objects.create(token=f"t{i}", kind="photo", original=f"x{i}", original_name="a.jpg",
                             content_type="image/jpeg", size=1, item=item, report=r, uploaded_by=world.liaison["lead"],
                             is_processed=True, thumbnail="t")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(f"/items/{item.id}/").content.decode()
    assert html.count("/thumb/") == 100
