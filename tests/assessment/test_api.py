"""The assessment over the API (issue 9 point 5): run, adjust, submit, approve, publish; units read
their own score and its lines; the operations are in the OpenAPI document."""

import pytest

from duban.assessment.models import Assessment

from ..api.conftest import error_of
from .scenario import HalfYear


@pytest.fixture
def half(world):
    return HalfYear(world)


def test_the_office_and_the_leader_take_an_assessment_to_publication(world, half, as_user):
    sup, leader, liaison = as_user(world.supervisor), as_user(world.leader), as_user(world.liaison["lead"])
    r = sup.post("/assessments", {"kind": "mid_year", "year": 2026, "period_start": "2026-01-01",
                                  "period_end": "2026-06-30"})
    assert r.status_code == 201, r.content
    a = r.json()
    assert a["status"] == "draft" and [s["rank"] for s in a["scores"]] == [1, 2, 3]
    lead = next(s for s in a["scores"] if s["unit_id"] == world.units["lead"].id)
    assert lead["score"] == "90.50" or float(lead["score"]) == 90.5
    error_of(liaison.get(f"/assessments/{a['id']}"), 404)
    r = sup.post(f"/assessments/{a['id']}/adjust", {"unit_id": world.units["co"].id, "points": "-1",
                                                    "reason": "年中材料报送迟缓", "version": a["version"]})
    assert r.status_code == 200, r.content
    body = error_of(sup.post(f"/assessments/{a['id']}/adjust", {"unit_id": world.units["co"].id, "points": "1",
                                                                 "reason": "   "}), 400)
    assert body["field"] == "reason"
    error_of(leader.post(f"/assessments/{a['id']}/approve", {}), 404)  # a draft is the office's
    assert sup.post(f"/assessments/{a['id']}/submit", {}).status_code == 200
    error_of(sup.post(f"/assessments/{a['id']}/approve", {}), 403)
    assert leader.post(f"/assessments/{a['id']}/approve", {"comment": "同意"}).json()["status"] == "approved"
    error_of(leader.post(f"/assessments/{a['id']}/publish", {}), 403)
    r = sup.post(f"/assessments/{a['id']}/publish", {})
    assert r.json()["status"] == "published"
    error_of(sup.post(f"/assessments/{a['id']}/recompute", {}), 409)

    mine = liaison.get(f"/assessments/{a['id']}").json()
    assert [s["unit_id"] for s in mine["scores"]] == [world.units["lead"].id]
    lines = liaison.get(f"/assessments/{a['id']}/units/{world.units['lead'].id}/lines").json()
    overdue = next(line for line in lines if line["kind"] == "overdue")
    assert overdue["item_id"] == half.stalled.id and overdue["link"] == f"/items/{half.stalled.id}/"
    error_of(liaison.get(f"/assessments/{a['id']}/units/{world.units['other'].id}/lines"), 404)
    assert [r["rank"] for r in leader.get("/assessments/latest-ranking").json()] == [1, 2, 3]
    assert liaison.get("/assessments/latest-ranking").json() == []
    assert Assessment.objects.get().status == "published"


def test_units_cannot_run_an_assessment(world, as_user):
    error_of(as_user(world.liaison["lead"]).post("/assessments", {"kind": "mid_year", "year": 2026}), 403)
    error_of(as_user(world.supervisor).post("/assessments", {"kind": "quarterly", "year": 2026}), 400)


def test_the_operations_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in ("/api/v1/assessments", "/api/v1/assessments/{assessment_id}/publish",
              "/api/v1/assessments/{assessment_id}/units/{unit_id}/lines", "/api/v1/assessments/latest-ranking"):
        assert p in paths
