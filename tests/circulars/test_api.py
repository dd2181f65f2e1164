"""The circulars API (issue 9, point 5): the same services and scoping as the pages, in the OpenAPI
document. Seeds 001 art. 7(7), 14(5); 004 (monthly circulars)."""

import pytest
from django.utils import timezone

from duban.circulars.models import Circular, CircularStatus

from .conftest import issue_one


@pytest.fixture
def office(as_user, world):
    return as_user(world.supervisor)


def test_the_office_drafts_edits_names_and_submits_through_the_api(office, as_user, world, october):
    r = office.post("/circulars", {"kind": "monthly", "period_start": "2026-10-01", "period_end": "2026-10-31"})
    assert r.status_code == 201, r.content
    c = r.json()
    assert c["status"] == "draft" and c["title"] == "关于2026年10月督查事项办理情况的通报"
    assert c["figures"]["totals"]["assigned"] == 3 and "共交办督查事项3项" in c["body"]
    assert {s["unit_id"] for s in c["suggestions"] if s["kind"] == "criticism"} == {
        world.units["lead"].id, world.units["other"].id}
    assert set(c["actions"]) == {"edit", "submit"}
    cid = c["id"]
    r = office.put(f"/circulars/{cid}", {"title": "十月通报", "body": "一、总体情况\n平稳。", "version": c["version"]})
    assert r.status_code == 200 and r.json()["title"] == "十月通报"
    r = office.put(f"/circulars/{cid}", {"title": "过时", "body": "旧", "version": c["version"]})
    assert r.status_code == 409 and "已被他人更新" in r.json()["detail"]
    s = next(s for s in c["suggestions"] if s["unit_id"] == world.units["other"].id)
    r = office.post(f"/circulars/{cid}/mentions", {"unit_id": s["unit_id"], "kind": "criticism", "facts": s["facts"]})
    assert r.status_code == 201 and [m["unit_name"] for m in r.json()["mentions"]] == [world.units["other"].name]
    r = office.post(f"/circulars/{cid}/submit", {"version": r.json()["version"]})
    assert r.status_code == 200 and r.json()["status"] == "pending_approval"
    principal = as_user(world.principal)
    assert set(principal.get(f"/circulars/{cid}").json()["actions"]) == {"approve", "return"}
    r = principal.post(f"/circulars/{cid}/return", {"reason": "补充督办令编号"})
    assert r.status_code == 200 and r.json()["status"] == "returned" and r.json()["return_reason"] == "补充督办令编号"
    office.post(f"/circulars/{cid}/submit", {})
    r = principal.post(f"/circulars/{cid}/approve", {"comment": "同意"})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = office.post(f"/circulars/{cid}/issue", {})
    assert r.status_code == 200 and r.json()["number"] == f"督查通报〔{timezone.localdate().year}〕第1期" and r.json()["status"] == "issued"
    assert r.json()["actions"] == [] and r.json()["docx_url"] == f"/circulars/{cid}/circular.docx"


def test_a_responsible_leader_cannot_approve_and_bad_input_is_a_400(office, as_user, world, draft):
    office.post(f"/circulars/{draft.id}/submit", {})
    assert as_user(world.leader).post(f"/circulars/{draft.id}/approve", {}).status_code == 404  # cannot see drafts
    assert as_user(world.office_head).post(f"/circulars/{draft.id}/approve", {}).status_code == 403
    assert as_user(world.principal).post(f"/circulars/{draft.id}/return", {"reason": ""}).status_code == 400
    for body in ({"kind": "daily", "period_start": "2026-10-01", "period_end": "2026-10-31"},
                 {"kind": "monthly", "period_start": "2026-10-31", "period_end": "2026-10-01"},
                 {"kind": "monthly", "period_start": "3026-10-01", "period_end": "2026-10-31"},
                 {"kind": "monthly", "period_start": "2026-10-01", "period_end": "2026-10-31", "extra": 1}):
        r = office.post("/circulars", body)
        assert r.status_code == 400 and r.json()["detail"], body
    assert office.post(f"/circulars/{draft.id}/issue", {"version": True}).status_code == 400
    draft.refresh_from_db()
    assert draft.status == CircularStatus.PENDING_APPROVAL and Circular.objects.count() == 1


def test_units_read_issued_circulars_only(as_user, world, other_world, draft):
    liaison = as_user(world.liaison["lead"])
    assert liaison.get(f"/circulars/{draft.id}").status_code == 404
    assert liaison.get("/circulars").json()["count"] == 0
    assert liaison.post(f"/circulars/{draft.id}/submit", {}).status_code == 404
    issue_one(world, draft)
    page = liaison.get("/circulars").json()
    assert [c["number"] for c in page["results"]] == ["督查通报〔2026〕第1期"]
    detail = liaison.get(f"/circulars/{draft.id}").json()
    assert detail["figures"]["as_of"] == "2026-11-05" and detail["suggestions"] == [] and detail["actions"] == []
    assert as_user(other_world.supervisor).get(f"/circulars/{draft.id}").status_code == 404
    assert as_user(world.liaison["lead"]).post("/circulars", {
        "kind": "monthly", "period_start": "2026-10-01", "period_end": "2026-10-31"}).status_code == 403


def test_the_circular_endpoints_are_in_the_openapi_document(anonymous):
    doc = anonymous.get("/openapi.json").json()
    paths = doc["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/circulars"])
    assert {"get", "put"} <= set(paths["/api/v1/circulars/{circular_id}"])
    for action in ("submit", "approve", "return", "issue", "recount", "mentions"):
        assert "post" in paths[f"/api/v1/circulars/{{circular_id}}/{action}"]
    assert "409" in paths["/api/v1/circulars/{circular_id}/issue"]["post"]["responses"]


@pytest.mark.parametrize("path,method,body", [
    ("/circulars/{id}", "put", {"title": "标题\x00", "body": "正文"}),
    ("/circulars/{id}", "put", {"title": "x" * 201, "body": "正文"}),
    ("/circulars/{id}", "put", {"title": "标题", "body": "正文", "version": "1"}),
    ("/circulars/{id}/mentions", "post", {"unit_id": "1", "kind": "praise", "facts": "x"}),
    ("/circulars/{id}/mentions", "post", {"unit_id": 2**63, "kind": "praise", "facts": "x"}),
    ("/circulars/{id}/mentions", "post", {"unit_id": 999999, "kind": "praise", "facts": "x"}),
    ("/circulars/{id}/mentions", "post", {"unit_id": True, "kind": "praise", "facts": "x"}),
    ("/circulars/{id}/submit", "post", {"version": 2**63}),
    ("/circulars/{id}/issue", "post", {"version": False}),
])
def test_hostile_input_is_a_400_in_chinese_and_changes_nothing(office, draft, path, method, body):
    r = getattr(office, method)(path.format(id=draft.id), body)
    assert r.status_code == 400, r.content
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["detail"])
    draft.refresh_from_db()
    assert draft.version == 1 and not draft.mentions.exists()


@pytest.mark.parametrize("path", ["/circulars/0", "/circulars/99999999", "/circulars/abc", f"/circulars/{2**63}"])
def test_unknown_circulars_are_404_or_400_never_500(office, path):
    assert office.get(path).status_code in (400, 404)
