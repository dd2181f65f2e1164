"""The API hands out the same forms and volume as the pages, and nothing more (issue 10,
"Engineering": generation is a domain service called by views, the API and the archive)."""

import pytest

from duban.api.models import ApiToken
from duban.documents import services

from .conftest import docx_text, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def as_user(user):
        _, key = ApiToken.issue(user)
        return lambda path: client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {key}"})

    return as_user


def test_lead_unit_lists_and_downloads_its_forms(world, handled, api):
    get = api(world.liaison["lead"])
    forms = get(f"/items/{handled['item'].id}/forms").json()
    report = next(f for f in forms if f["kind"] == "completion_report")
    assert report["ref"] == handled["completion"].id
    pdf = get(report["pdf"].removeprefix("/api/v1"))
    assert pdf.status_code == 200 and "8处内涝点已全部整治完毕" in pdf_text(pdf.content).replace("\n", "")
    word = get(report["docx"].removeprefix("/api/v1"))
    assert "8处内涝点已全部整治完毕。" in docx_text(word.content)


def test_another_unit_gets_404_for_forms_and_volume(world, handled, api):
    get = api(world.liaison["other"])
    assert get(f"/items/{handled['item'].id}/forms").status_code == 404
    assert get(f"/items/{handled['item'].id}/forms/handling_card.pdf").status_code == 404
    assert get(f"/items/{handled['item'].id}/volume").status_code == 404


def test_unknown_kind_or_format_is_a_client_error(world, handled, api):
    get = api(world.supervisor)
    assert get(f"/items/{handled['item'].id}/forms/nosuch.pdf").status_code in (400, 404, 422)
    assert get(f"/items/{handled['item'].id}/forms/handling_card.exe").status_code in (400, 404, 422)


def test_office_downloads_the_sealed_volume(world, handled, api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.archive_item(handled["item"].id, world.supervisor)
    r = api(world.office_head)(f"/items/{handled['item'].id}/volume")
    assert r.status_code == 200 and b"".join(r.streaming_content)[:2] == b"PK"
