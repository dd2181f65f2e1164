"""The API for suggestions: the same services behind the pages, in the OpenAPI document (001 art. 10)."""

import datetime as dt

from duban.proposals.models import ProposalState
from tests.api.conftest import ApiClient, error_of  # noqa: F401
from tests.api.conftest import as_user, anonymous  # noqa: F401  (fixtures)

from .test_import import row, workbook


def test_the_openapi_document_lists_the_proposal_endpoints(anonymous):  # noqa: F811
    schema = anonymous.get("/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/v1/proposals", "/api/v1/proposals/{proposal_id}/assign", "/api/v1/proposals/import",
                 "/api/v1/proposals/answers/{answer_id}/review", "/api/v1/proposals/report"):
        assert path in paths, path
    assert all(op.get("security") for op in paths["/api/v1/proposals"].values())


def test_a_suggestion_through_the_api(world, journey, as_user):  # noqa: F811
    office = as_user(world.supervisor)
    liaison, head = as_user(world.liaison["lead"]), as_user(world.head["lead"])
    p = journey.receive()
    r = office.post(f"/proposals/{p.id}/assign", {"lead_unit_id": world.units["lead"].id,
                                                  "co_unit_ids": [world.units["co"].id]})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == ProposalState.HANDLING
    assert "contest" in liaison.get(f"/proposals/{p.id}").json()["actions"]
    future = liaison.post(f"/proposals/{p.id}/contacts", {"method": "visit", "on": "2099-01-01", "who": "王建国"})
    assert error_of(future, 400)["field"] == "on"
    on = dt.date.today().isoformat()
    assert liaison.post(f"/proposals/{p.id}/contacts", {"method": "visit", "on": on, "who": "王建国"}).status_code == 200
    a = liaison.post(f"/proposals/{p.id}/answers", {"body": "答复", "answer_class": "A", "publishable": "full"}).json()
    liaison.post(f"/proposals/answers/{a['id']}/send-to-head")
    assert head.post(f"/proposals/answers/{a['id']}/sign", {"comment": "同意"}).json()["state"] == "signed"
    assert liaison.post(f"/proposals/answers/{a['id']}/send").json()["state"] == "sent"
    bad = office.post(f"/proposals/answers/{a['id']}/review", {"accept": True})
    assert error_of(bad, 400)["field"] == "criteria"
    ok = office.post(f"/proposals/answers/{a['id']}/review", {"accept": True, "answers_question": True,
                                                               "lawful": True, "commitments_concrete": True}).json()
    assert "/public/rate/" in ok["rating_url"]
    assert office.post(f"/proposals/{p.id}/publish").status_code == 200
    assert office.post(f"/proposals/{p.id}/paper-rating", {"value": "satisfied"}).json()["state"] == "closed"
    rep = office.get("/proposals/report", {"year": 2026}).json()
    assert rep["total"]["received"] == 1 and rep["total"]["satisfaction_rate"] == "100.00"


def test_import_through_the_api_reports_errors_by_row(world, as_user):  # noqa: F811
    office = as_user(world.supervisor)
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile("b.xlsx", workbook([row(1), row("x")]).getvalue())
    r = office.client.post("/api/v1/proposals/import", {"body": "congress", "year": 2026, "file": f},
                           headers={"Authorization": f"Bearer {office.key}"})
    body = r.json()
    assert r.status_code == 200 and body["created"] == 0 and body["errors"][0]["row"] == 4


def test_others_get_404_and_units_cannot_assign(world, journey, as_user):  # noqa: F811
    p = journey.receive()
    assert as_user(world.liaison["other"]).get(f"/proposals/{p.id}").status_code == 404
    journey.assign(p)
    r = as_user(world.liaison["lead"]).post(f"/proposals/{p.id}/assign", {"lead_unit_id": world.units["lead"].id})
    assert r.status_code in (403, 409)
