"""Malformed and hostile input: always a 4xx with a JSON error in Chinese, never a 500.

The Django test client re-raises any exception a view lets escape, so a 500 fails these tests
loudly rather than quietly becoming a status code.
"""

import json

import pytest

from duban.items.models import Item, Status

from .conftest import error_of, has_chinese

HUGE = 2**63  # one past the largest bigint
ENORMOUS = 10**30


def item_body(world, **changes):
    body = {
        "title": "关于城区内涝点整治的督查事项", "content": "逐一制定整治方案。", "kind": "meeting_decision",
        "urgency": "normal", "lead_unit_id": world.units["lead"].id, "co_unit_ids": [world.units["co"].id],
        "responsible_leader_id": world.leader.id,
    }
    for key, value in changes.items():
        if value is DROP:
            body.pop(key)
        else:
            body[key] = value
    return body


DROP = object()


def _other_org_unit(world, other_world):
    return other_world.units["lead"].id


def _other_org_leader(world, other_world):
    return other_world.leader.id


# (field, value, expected status, expected "field" in the answer or None to skip)
CREATE_CASES = [
    ("lead_unit_id", False, 400, "lead_unit_id"),
    ("lead_unit_id", True, 400, "lead_unit_id"),
    ("lead_unit_id", "1", 400, "lead_unit_id"),
    ("lead_unit_id", 1.5, 400, "lead_unit_id"),
    ("lead_unit_id", 0, 400, "lead_unit_id"),
    ("lead_unit_id", -1, 400, "lead_unit_id"),
    ("lead_unit_id", HUGE, 400, "lead_unit_id"),
    ("lead_unit_id", ENORMOUS, 400, "lead_unit_id"),
    ("lead_unit_id", None, 400, "lead_unit_id"),
    ("lead_unit_id", DROP, 400, "lead_unit_id"),
    ("lead_unit_id", 987654321, 400, "lead_unit_id"),  # unknown
    ("lead_unit_id", _other_org_unit, 400, "lead_unit_id"),  # another organisation's unit
    ("co_unit_ids", "1", 400, "co_unit_ids"),
    ("co_unit_ids", [False], 400, "co_unit_ids"),
    ("co_unit_ids", [HUGE], 400, "co_unit_ids"),
    ("co_unit_ids", list(range(1, 60)), 400, "co_unit_ids"),
    ("co_unit_ids", {"a": 1}, 400, "co_unit_ids"),
    ("responsible_leader_id", _other_org_leader, 400, "responsible_leader_id"),
    ("responsible_leader_id", 987654321, 400, "responsible_leader_id"),
    ("responsible_leader_id", "abc", 400, "responsible_leader_id"),
    ("title", "标" * 201, 400, "title"),
    ("title", "x" * 1_000_000, 400, "title"),
    ("title", 123, 400, "title"),
    ("title", None, 400, "title"),
    ("title", "", 400, None),  # the service's "请填写标题"
    ("title", "   ", 400, None),
    ("title", "a\x00b", 400, "title"),
    ("title", ["a"], 400, "title"),
    ("title", "\ud800", 400, "title"),  # a lone surrogate: valid JSON, not storable text
    ("content", "x" * 20001, 400, "content"),
    ("kind", "bogus", 400, "kind"),
    ("kind", 1, 400, "kind"),
    ("urgency", "very", 400, "urgency"),
    ("is_secret", "true", 400, "is_secret"),
    ("is_secret", 1, 400, "is_secret"),
    ("is_secret", None, 400, "is_secret"),
    ("deadline", "2026-13-01", 400, "deadline"),
    ("deadline", "2026-02-30", 400, "deadline"),
    ("deadline", "26-01-01", 400, "deadline"),
    ("deadline", "２０２６-01-01", 400, "deadline"),
    ("deadline", 20260101, 400, "deadline"),
    ("deadline", 0, 400, "deadline"),
    ("deadline", "1999-12-31", 400, "deadline"),
    ("deadline", "2100-01-01", 400, "deadline"),
    ("deadline", "9999-12-31", 400, "deadline"),
    ("deadline", "0001-01-01", 400, "deadline"),
    ("deadline", "2026-01-01T00:00:00", 400, "deadline"),
    ("deadline", "2000-01-01", 400, "deadline"),  # in range, but before today: the service refuses
    ("deadline_override_reason", "x" * 501, 400, "deadline_override_reason"),
    ("source_text", {"nested": "object"}, 400, "source_text"),
    ("unexpected_field", 1, 400, "unexpected_field"),
]


@pytest.mark.parametrize("field, value, status, error_field", CREATE_CASES,
                         ids=[f"{c[0]}={str(c[1])[:20]!r}" for c in CREATE_CASES])
def test_hostile_create_is_refused_cleanly(world, other_world, as_user, field, value, status, error_field):
    if callable(value) and value is not DROP:
        value = value(world, other_world)
    r = as_user(world.supervisor).post("/items", item_body(world, **{field: value}))
    err = error_of(r, status)
    assert has_chinese(err["detail"]), err
    if error_field:
        assert err["field"] == error_field, err
    assert not Item.objects.exists()


def test_office_unit_cannot_lead(world, as_user):
    err = error_of(as_user(world.supervisor).post("/items", item_body(world, lead_unit_id=world.office.id)), 400)
    assert err["field"] == "lead_unit_id"


def test_a_liaison_is_no_responsible_leader(world, as_user):
    err = error_of(as_user(world.supervisor).post(
        "/items", item_body(world, responsible_leader_id=world.liaison["lead"].id)), 400)
    assert err["field"] == "responsible_leader_id"


def test_validation_errors_list_every_field(world, as_user):
    err = error_of(as_user(world.supervisor).post("/items", {"title": 1, "is_secret": "no"}), 400)
    fields = {tuple(e["loc"][1:]) for e in err["errors"]}
    assert {("title",), ("is_secret",), ("content",), ("kind",), ("lead_unit_id",)} <= fields
    assert all(has_chinese(e["msg"]) for e in err["errors"])


@pytest.mark.parametrize("raw", ["{", "[]", "null", '"text"', "1", "true", "{\"title\": NaN}", "\udcff".encode("utf-8", "surrogatepass")])
def test_bodies_that_are_not_objects_are_400(world, as_user, raw):
    err = error_of(as_user(world.supervisor).post("/items", raw, raw=True), 400)
    assert has_chinese(err["detail"])


def test_a_body_beyond_the_upload_limit_is_413(world, as_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    err = error_of(as_user(world.supervisor).post("/items", item_body(world, content="x" * 20_000)), 413)
    assert err["detail"] == "请求体过大"


def test_body_sent_as_form_data_is_400(world, as_user):
    r = as_user(world.supervisor).client.post(
        "/api/v1/items", {"title": "x"}, headers={"Authorization": f"Bearer {as_user(world.supervisor).key}"})
    error_of(r, 400)


@pytest.mark.parametrize("path", [
    "/items/0", "/items/-1", "/items/abc", "/items/1.5", f"/items/{HUGE}", f"/items/{ENORMOUS}",
    f"/reports/{HUGE}", "/reports/x", "/items/%00",
])
def test_bad_ids_in_paths_are_4xx(world, as_user, path):
    r = as_user(world.supervisor).get(path)
    assert r.status_code in (400, 404), r.content
    error_of(r, r.status_code)


@pytest.mark.parametrize("path", [
    f"/items/{HUGE}/archive", f"/items/{ENORMOUS}/submit-proposal", "/items/abc/accept",
    f"/reports/{HUGE}/approve", "/reports/-5/submit", f"/extension-requests/{HUGE}/decide",
    "/extension-requests/987654/decide", "/reports/987654/send-to-head",
])
def test_bad_ids_in_action_paths_are_4xx(world, as_user, path):
    r = as_user(world.supervisor).post(path, {"approve": True, "responsible_person": "x"} if "decide" in path else {})
    assert r.status_code in (400, 404), r.content
    error_of(r, r.status_code)


@pytest.mark.parametrize("params", [
    {"page": "0"}, {"page": "-1"}, {"page": "x"}, {"page": str(ENORMOUS)}, {"page": "1.5"},
    {"unit": "abc"}, {"unit": str(ENORMOUS)}, {"leader": str(HUGE)}, {"status": "bogus"},
    {"kind": "bogus"}, {"status": ""}, {"unit": ""}, {"q": "x" * 101}, {"q": "a\x00b"}, {"overdue": "maybe"},
])
def test_bad_list_parameters_are_400(world, as_user, params):
    err = error_of(as_user(world.supervisor).get("/items", params), 400)
    assert has_chinese(err["detail"])
    assert err["field"] == next(iter(params))


@pytest.mark.parametrize("path", ["/attachments/..%2F..%2Fsettings.py", "/attachments/" + "a" * 500, "/attachments/a%00b"])
def test_hostile_attachment_tokens_are_4xx(world, as_user, path):
    r = as_user(world.supervisor).get(path)
    assert r.status_code in (400, 404)
    error_of(r, r.status_code)


@pytest.mark.parametrize("action, body, field", [
    ("review", {"accept": 1}, "accept"),
    ("review", {"accept": "true"}, "accept"),
    ("review", {"accept": True, "criteria": {"task_done": "yes"}}, "criteria.task_done"),
    ("review", {"accept": True, "criteria": []}, "criteria"),
    ("review", {"accept": True, "criteria": {"beauty": True}}, "criteria.beauty"),
    ("review", {"accept": False, "version": "1"}, "version"),
    ("review", {"accept": False, "version": True}, "version"),
    ("review", {"accept": False, "version": HUGE}, "version"),
    ("close", {"text": "x" * 5001}, "text"),
    ("urges", {"method": "pigeon", "summary": "x"}, "method"),
    ("urges", {"method": "phone", "summary": "x", "occurred_at": "yesterday"}, "occurred_at"),
    ("urges", {"method": "phone", "summary": "x", "occurred_at": "9999-12-31T00:00:00"}, "occurred_at"),
    ("urges", {"method": "phone", "summary": "x", "occurred_at": "2026-01-01T10:00:00+25:00"}, "occurred_at"),
    ("urges", {"method": "phone", "summary": "x", "occurred_at": 1767225600}, "occurred_at"),
    ("urges", {"method": "phone", "summary": "x", "occurred_at": "2099-01-01T00:00:00"}, "occurred_at"),
    ("urges", {"method": "phone", "summary": "x", "unit_id": ENORMOUS}, "unit_id"),
    ("urges", {"method": "phone", "summary": "x", "unit_id": 987654321}, "unit_id"),
    ("reassign", {"lead_unit_id": "lead"}, "lead_unit_id"),
    ("reassign", {"lead_unit_id": 987654321}, "lead_unit_id"),
])
def test_hostile_action_bodies_are_refused(world, as_user, action, body, field):
    item = world.item_in(Status.UNDER_REVIEW)
    user = world.leader if action == "close" else world.supervisor
    r = as_user(user).post(f"/items/{item.id}/{action}", body)
    err = error_of(r, 400)
    assert has_chinese(err["detail"]), err
    assert err["field"] == field, err


def test_another_organisations_unit_cannot_be_assigned_by_reassign(world, other_world, as_user):
    item = world.item_in(Status.ASSIGNED)
    err = error_of(as_user(world.supervisor).post(f"/items/{item.id}/reassign", {
        "lead_unit_id": world.units["other"].id, "co_unit_ids": [other_world.units["co"].id]}), 400)
    assert err["field"] == "co_unit_ids"
    assert item.assignments.filter(unit__org=other_world.org).count() == 0


@pytest.mark.parametrize("until", ["2026-02-30", "later", 20270101, "2100-01-01", None])
def test_hostile_extension_dates_are_400(world, as_user, until):
    item = world.item_in(Status.IN_PROGRESS)
    err = error_of(as_user(world.liaison["lead"]).post(f"/items/{item.id}/extension-requests",
                                                       {"until": until, "reason": "x", "progress": "x"}), 400)
    assert err["field"] == "until"


@pytest.mark.parametrize("body", [
    {"username": 123, "password": "x"}, {"username": "x"}, {"username": "x" * 10_000, "password": "x"},
    {"username": "a\x00", "password": "x"}, {"username": "x", "password": "p" * 100_000}, [],
    {"username": "\udcff", "password": "x"},
])
def test_hostile_token_requests_are_4xx(world, anonymous, body):
    r = anonymous.post("/auth/token", body)
    assert r.status_code in (400, 401)
    assert has_chinese(error_of(r, r.status_code)["detail"])


def test_unknown_api_paths_and_methods_answer_without_500(world, as_user):
    sup = as_user(world.supervisor)
    err = error_of(sup.get("/no-such-thing"), 404)
    assert has_chinese(err["detail"])
    assert sup.delete("/items").status_code == 405


def test_json_content_type_with_charset_is_accepted(world, as_user):
    api = as_user(world.supervisor)
    r = api.client.post("/api/v1/items", json.dumps(item_body(world)), content_type="application/json; charset=utf-8",
                        headers={"Authorization": f"Bearer {api.key}"})
    assert r.status_code == 201


def test_an_integral_json_number_is_an_integer(world, as_user):
    """JSON (and JSON Schema) make no difference between 12 and 12.0; 12.5 and "12" stay refused."""
    r = as_user(world.supervisor).post("/items", item_body(world, lead_unit_id=float(world.units["lead"].id)))
    assert r.status_code == 201, r.content
    assert r.json()["lead_unit"]["id"] == world.units["lead"].id
