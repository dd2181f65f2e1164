"""Lists, the work list, and files: the same selectors as the pages."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from duban.items import services as svc
from duban.items.models import Status

from .conftest import error_of


def test_list_filters_by_status_and_paginates_by_50(world, as_user):
    drafts = [world.draft(title=f"事项{i}") for i in range(51)]
    world.item_in(Status.ASSIGNED, title="已交办的事项")
    sup = as_user(world.supervisor)
    first = sup.get("/items", {"status": "draft"}).json()
    assert first["count"] == 51 and first["pages"] == 2 and len(first["results"]) == 50
    assert first["results"][0]["id"] == drafts[-1].id  # newest first
    second = sup.get("/items", {"status": "draft", "page": 2}).json()
    assert [i["id"] for i in second["results"]] == [drafts[0].id]
    assert sup.get("/items", {"status": "draft", "page": 3}).json()["results"] == []
    assert [i["title"] for i in sup.get("/items", {"status": "open"}).json()["results"]] == ["已交办的事项"]


def test_list_filters_by_kind_unit_leader_and_overdue(world, as_user):
    a = world.item_in(Status.ASSIGNED, kind="petition")
    type(a).objects.filter(pk=a.id).update(responsible_leader=world.other_leader)
    b = world.item_in(Status.ASSIGNED, lead_unit=world.units["other"], co_units=[])
    sup = as_user(world.supervisor)

    def ids(**params):
        return [i["id"] for i in sup.get("/items", params).json()["results"]]

    assert ids(kind="petition") == [a.id]
    assert ids(unit=world.units["other"].id) == [b.id]
    assert ids(leader=world.other_leader.id) == [a.id]
    assert ids(overdue="true") == []
    type(a).objects.filter(pk=a.id).update(deadline=dt.date(2020, 1, 1))
    assert ids(overdue="true") == [a.id]
    assert sup.get("/items", {"overdue": "true"}).json()["results"][0]["is_overdue"] is True
    assert ids() == [b.id, a.id]


def test_worklist_has_buckets_with_counts(world, as_user):
    world.draft()
    world.item_in(Status.UNDER_REVIEW)
    body = as_user(world.supervisor).get("/worklist").json()
    counts = {b["key"]: b["count"] for b in body["buckets"]}
    assert counts["drafts"] == 1 and counts["to_review"] == 1
    assert body["total"] == sum(counts.values())
    labels = {b["key"]: b["label"] for b in body["buckets"]}
    assert labels["to_review"] == "待审核办结报告"


def test_detail_lists_only_the_actions_the_user_has_now(world, as_user):
    item = world.item_in(Status.IN_PROGRESS)
    sup = {a["action"] for a in as_user(world.supervisor).get(f"/items/{item.id}").json()["actions"]}
    assert sup == {"reassign", "decide_extension", "log_urge"}
    liaison = {a["action"] for a in as_user(world.liaison["lead"]).get(f"/items/{item.id}").json()["actions"]}
    assert liaison == {"draft_report", "request_extension"}
    assert as_user(world.leader).get(f"/items/{item.id}").json()["actions"] == []


def test_me_says_who_and_where(world, as_user):
    me = as_user(world.liaison["lead"]).get("/me").json()
    assert me["role"] == "liaison" and me["role_label"] == "联络员"
    assert me["unit"]["id"] == world.units["lead"].id and me["org"]["id"] == world.org.id


def _attach(world, item, by=None, report=None):
    return svc.add_attachment(item.id, by or world.supervisor,
                              SimpleUploadedFile("方案.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
                              report=report)


def test_attachment_downloads_for_who_may_see_the_item(world, as_user):
    item = world.item_in(Status.ASSIGNED)
    att = _attach(world, item)
    detail = as_user(world.liaison["lead"]).get(f"/items/{item.id}").json()
    assert detail["attachments"][0]["download"] == f"/api/v1/attachments/{att.token}"
    r = as_user(world.liaison["lead"]).get(f"/attachments/{att.token}")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in r["Content-Disposition"]
    error_of(as_user(world.liaison["other"]).get(f"/attachments/{att.token}"), 404)
    error_of(as_user(world.liaison["lead"]).get("/attachments/0123456789abcdef"), 404)


def test_a_report_attachment_is_hidden_with_its_report(world, as_user):
    item = world.item_in(Status.IN_PROGRESS)
    liaison = as_user(world.liaison["lead"])
    report_id = liaison.post(f"/items/{item.id}/reports", {"kind": "progress", "body": "x"}).json()["id"]
    att = _attach(world, item, by=world.liaison["lead"], report=type(item).objects.get(pk=item.id).reports.get(pk=report_id))
    assert liaison.get(f"/attachments/{att.token}").status_code == 200
    # A draft is not yet the office's to read.
    error_of(as_user(world.supervisor).get(f"/attachments/{att.token}"), 404)
    assert liaison.get(f"/reports/{report_id}").json()["attachments"][0]["token"] == att.token


def test_detail_costs_the_same_queries_however_long_the_history(world, as_user, django_assert_max_num_queries):
    sup = as_user(world.supervisor)
    short = world.item_in(Status.IN_PROGRESS)
    long = world.item_in(Status.IN_PROGRESS)
    world.file_report(short)
    svc.log_urge(short.id, world.supervisor, method="phone", summary="电话催办")
    for _ in range(5):
        world.file_report(long)
        svc.log_urge(long.id, world.supervisor, method="phone", summary="电话催办")
    sup.get("/me")  # the token's first use is recorded once; not part of what is measured
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as short_queries:
        assert sup.get(f"/items/{short.id}").status_code == 200
    with django_assert_max_num_queries(len(short_queries.captured_queries)):
        body = sup.get(f"/items/{long.id}").json()
    assert len(body["reports"]) == 5 and len(body["urges"]) == 5
