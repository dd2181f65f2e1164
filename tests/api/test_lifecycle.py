"""The whole procedure over HTTP, as four people: supervisor, leader, liaison and head of the lead unit."""

from duban.items.models import Event, Item, Status

from .conftest import error_of, login


def actions_of(detail):
    return {a["action"] for a in detail["actions"]}


def test_an_item_goes_from_draft_to_archive_through_the_api(world, anonymous):
    sup = login(anonymous, world.supervisor)
    leader = login(anonymous, world.leader)
    liaison = login(anonymous, world.liaison["lead"])
    head = login(anonymous, world.head["lead"])

    # The supervisor finds the unit and the leader, and drafts.
    units = {u["name"]: u["id"] for u in sup.get("/units").json()}
    leaders = {p["username"]: p["id"] for p in sup.get("/leaders").json()}
    r = sup.post("/items", {
        "title": "关于城区内涝点整治的督查事项", "content": "逐一制定整治方案，汛前完成。",
        "kind": "meeting_decision", "urgency": "normal",
        "lead_unit_id": units[world.units["lead"].name], "co_unit_ids": [units[world.units["co"].name]],
        "responsible_leader_id": leaders[world.leader.username],
    })
    assert r.status_code == 201, r.content
    item = r.json()
    item_id = item["id"]
    assert item["status"] == "draft" and item["number"] == ""
    assert item["deadline"]  # proposed by the organisation's rules
    assert {"edit_draft", "submit_proposal"} <= actions_of(item)
    assert [a["unit"]["name"] for a in item["assignments"]] == [world.units["lead"].name, world.units["co"].name]

    # Not yet visible to the units.
    error_of(liaison.get(f"/items/{item_id}"), 404)

    r = sup.post(f"/items/{item_id}/submit-proposal", {"comment": "拟请主办单位牵头办理。", "version": item["version"]})
    assert r.status_code == 200, r.content
    assert r.json()["item"]["status"] == "pending_approval"

    # The leader approves: registered, numbered, assigned.
    detail = leader.get(f"/items/{item_id}").json()
    assert "approve_proposal" in actions_of(detail)
    r = leader.post(f"/items/{item_id}/approve-proposal", {"comment": "同意立项。", "version": detail["version"]})
    assert r.status_code == 200, r.content
    item = r.json()["item"]
    assert item["status"] == "assigned"
    assert item["number"].startswith("督〔")

    # The lead unit's liaison sees it in the work list and signs for it.
    buckets = {b["key"]: b for b in liaison.get("/worklist").json()["buckets"]}
    assert [i["id"] for i in buckets["to_accept"]["items"]] == [item_id]
    detail = liaison.get(f"/items/{item_id}").json()
    assert {"accept", "decline"} <= actions_of(detail)
    accept = next(a for a in detail["actions"] if a["action"] == "accept")
    assert accept["method"] == "POST" and accept["path"] == f"/api/v1/items/{item_id}/accept"
    r = liaison.post(f"/items/{item_id}/accept", {"responsible_person": "张三", "responsible_phone": "0931-1234567"})
    assert r.status_code == 200, r.content
    assert r.json()["item"]["status"] == "in_progress"

    # Completion report: drafted, sent to the head, approved, submitted.
    r = liaison.post(f"/items/{item_id}/reports", {"kind": "completion", "body": "已全部整治完毕。"})
    assert r.status_code == 201, r.content
    report_id = r.json()["id"]
    assert r.json()["state"] == "draft"
    assert [(a["action"], a["path"]) for a in r.json()["actions"]] == [
        ("send_report_to_head", f"/api/v1/reports/{report_id}/send-to-head")]
    # The head does not sign a draft the liaison has not sent.
    assert head.get(f"/reports/{report_id}").json()["actions"] == []
    error_of(head.post(f"/reports/{report_id}/approve", {}), 409)
    r = liaison.post(f"/reports/{report_id}/send-to-head")
    assert r.json()["state"] == "awaiting_head" and r.json()["actions"] == []
    assert {a["action"] for a in head.get(f"/reports/{report_id}").json()["actions"]} == {
        "approve_report", "return_report_to_author"}
    assert [i["id"] for i in {b["key"]: b for b in head.get("/worklist").json()["buckets"]}["reports_to_sign"]["items"]] == [item_id]
    r = head.post(f"/reports/{report_id}/approve", {"comment": "同意报送。"})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "approved" and r.json()["head"]["id"] == world.head["lead"].id
    assert [a["action"] for a in liaison.get(f"/reports/{report_id}").json()["actions"]] == ["submit_report"]
    r = liaison.post(f"/reports/{report_id}/submit", {})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "submitted"

    # The office reviews against the four criteria and reports to the leader.
    detail = sup.get(f"/items/{item_id}").json()
    assert detail["status"] == "under_review"
    assert [rep["id"] for rep in detail["reports"]] == [report_id]
    r = sup.post(f"/items/{item_id}/review", {
        "accept": True, "comment": "材料齐全。", "version": detail["version"],
        "criteria": {"task_done": True, "problem_solved": True, "conclusion_sound": True, "lawful": True},
    })
    assert r.status_code == 200, r.content
    assert r.json()["item"]["status"] == "pending_leader"

    r = leader.post(f"/items/{item_id}/close", {"text": "同意办结。"})
    assert r.status_code == 200, r.content
    assert r.json()["item"]["status"] == "closed"
    assert r.json()["item"]["instructions"][0]["text"] == "同意办结。"

    r = sup.post(f"/items/{item_id}/archive", {})
    assert r.status_code == 200, r.content
    detail = r.json()["item"]
    assert detail["status"] == "archived"
    assert detail["actions"] == []

    # The timeline is the service's, step by step.
    assert [e["action"] for e in detail["events"]] == [
        "create", "submit_proposal", "approve_proposal", "assign", "accept", "draft_report",
        "send_report_to_head", "approve_report", "submit_completion_report", "accept_report", "close", "archive",
    ]
    assert detail["events"][-1]["actor"]["id"] == world.supervisor.id
    assert Event.objects.filter(item_id=item_id).count() == 12
    assert Item.objects.get(pk=item_id).status == Status.ARCHIVED


def test_leader_returns_the_proposal_and_no_longer_sees_the_draft(world, as_user):
    item = world.item_in(Status.PENDING_APPROVAL)
    leader = as_user(world.leader)
    error_of(leader.post(f"/items/{item.id}/reject-proposal", {}), 400)  # the reason is required
    r = leader.post(f"/items/{item.id}/reject-proposal", {"comment": "时限过紧，请调整。"})
    assert r.status_code == 200, r.content
    assert r.json() == {"message": "已退回修改", "item": None}
    assert as_user(world.supervisor).get(f"/items/{item.id}").json()["status"] == "draft"


def test_supervisor_edits_a_draft_with_put(world, as_user):
    item = world.draft()
    sup = as_user(world.supervisor)
    r = sup.put(f"/items/{item.id}", {
        "title": "改过的标题", "content": "改过的内容", "kind": "meeting_decision",
        "lead_unit_id": world.units["other"].id, "responsible_leader_id": world.leader.id, "version": item.version,
    })
    assert r.status_code == 200, r.content
    detail = r.json()["item"]
    assert detail["title"] == "改过的标题" and detail["lead_unit"]["id"] == world.units["other"].id
    assert detail["co_units"] == []


def test_lead_unit_declines_and_the_office_reassigns(world, as_user):
    item = world.item_in(Status.ASSIGNED)
    r = as_user(world.liaison["lead"]).post(f"/items/{item.id}/decline", {"comment": "不属于本单位职责"})
    assert r.status_code == 200, r.content
    assert r.json()["item"]["status"] == "declined"
    sup = as_user(world.supervisor)
    r = sup.post(f"/items/{item.id}/reassign", {"lead_unit_id": world.units["other"].id, "co_unit_ids": [world.units["co"].id]})
    assert r.status_code == 200, r.content
    detail = r.json()["item"]
    assert detail["status"] == "assigned" and detail["lead_unit"]["id"] == world.units["other"].id
    # The new lead unit sees and can accept it; the old one no longer sees it.
    assert "accept" in actions_of(as_user(world.liaison["other"]).get(f"/items/{item.id}").json())
    error_of(as_user(world.liaison["lead"]).get(f"/items/{item.id}"), 404)


def test_co_unit_signs_and_files_its_input(world, as_user):
    item = world.item_in(Status.IN_PROGRESS)
    co = as_user(world.liaison["co"])
    assert "accept_as_co" in actions_of(co.get(f"/items/{item.id}").json())
    assert co.post(f"/items/{item.id}/accept-as-co", {"responsible_person": "李四"}).status_code == 200
    r = co.post(f"/items/{item.id}/reports", {"kind": "co_input", "body": "协办意见：已配合完成。"})
    assert r.status_code == 201, r.content
    # A co-unit may not write the completion report.
    body = error_of(co.post(f"/items/{item.id}/reports", {"kind": "completion", "body": "x"}), 400)
    assert body["field"] == "kind"


def test_co_unit_declines(world, as_user):
    item = world.item_in(Status.ASSIGNED)
    r = as_user(world.liaison["co"]).post(f"/items/{item.id}/decline-as-co", {"comment": "非本单位职责"})
    assert r.status_code == 200, r.content
    states = {a["unit"]["id"]: a["state"] for a in r.json()["item"]["assignments"]}
    assert states[world.units["co"].id] == "declined"


def test_head_returns_a_report_and_the_liaison_edits_it(world, as_user):
    item = world.item_in(Status.IN_PROGRESS)
    liaison, head = as_user(world.liaison["lead"]), as_user(world.head["lead"])
    report_id = liaison.post(f"/items/{item.id}/reports", {"kind": "progress", "body": "初稿"}).json()["id"]
    liaison.post(f"/reports/{report_id}/send-to-head")
    error_of(head.post(f"/reports/{report_id}/return", {}), 400)  # a reason is required
    r = head.post(f"/reports/{report_id}/return", {"comment": "请补充数据"})
    assert r.status_code == 200 and r.json()["state"] == "draft" and r.json()["head_comment"] == "请补充数据"
    r = liaison.put(f"/reports/{report_id}", {"body": "补充后的报告"})
    assert r.status_code == 200 and r.json()["body"] == "补充后的报告"
    assert liaison.get(f"/reports/{report_id}").json()["body"] == "补充后的报告"


def test_extension_is_requested_and_approved(world, as_user):
    item = world.item_in(Status.IN_PROGRESS)
    until = (item.deadline.replace(day=1) + __import__("datetime").timedelta(days=40)).isoformat()
    r = as_user(world.liaison["lead"]).post(f"/items/{item.id}/extension-requests", {
        "until": until, "reason": "涉及多个部门协调", "progress": "已完成方案", "version": item.version,
    })
    assert r.status_code == 201, r.content
    req = r.json()
    assert req["state"] == "pending" and req["requested_deadline"] == until
    sup = as_user(world.supervisor)
    assert any(b["key"] == "extensions" and b["count"] == 1 for b in sup.get("/worklist").json()["buckets"])
    r = sup.post(f"/extension-requests/{req['id']}/decide", {"approve": True})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "approved" and r.json()["new_deadline"] == until
    assert sup.get(f"/items/{item.id}").json()["deadline"] == until
    # Decided once only.
    error_of(sup.post(f"/extension-requests/{req['id']}/decide", {"approve": False, "comment": "x"}), 409)


def test_refusing_an_extension_needs_a_comment(world, as_user):
    item = world.item_in(Status.IN_PROGRESS)
    until = (item.deadline + __import__("datetime").timedelta(days=30)).isoformat()
    req = as_user(world.liaison["lead"]).post(f"/items/{item.id}/extension-requests", {
        "until": until, "reason": "原因", "progress": "进展"}).json()
    sup = as_user(world.supervisor)
    error_of(sup.post(f"/extension-requests/{req['id']}/decide", {"approve": False}), 400)
    r = sup.post(f"/extension-requests/{req['id']}/decide", {"approve": False, "comment": "理由不充分"})
    assert r.status_code == 200 and r.json()["state"] == "refused"


def test_office_logs_an_urge(world, as_user):
    item = world.item_in(Status.IN_PROGRESS)
    r = as_user(world.supervisor).post(f"/items/{item.id}/urges", {
        "method": "phone", "summary": "电话询问进度", "contact_person": "张三",
        "unit_id": world.units["lead"].id, "occurred_at": "2026-01-05T09:30:00",
    })
    assert r.status_code == 201, r.content
    urge = r.json()
    assert urge["method"] == "phone" and urge["unit"]["id"] == world.units["lead"].id
    assert urge["occurred_at"].startswith("2026-01-05T09:30:00+08:00")
    detail = as_user(world.liaison["lead"]).get(f"/items/{item.id}").json()
    assert [u["summary"] for u in detail["urges"]] == ["电话询问进度"]


def test_urging_a_unit_not_on_the_item_is_refused(world, as_user):
    item = world.item_in(Status.IN_PROGRESS)
    body = error_of(as_user(world.supervisor).post(f"/items/{item.id}/urges", {
        "method": "phone", "summary": "x", "unit_id": world.units["other"].id}), 400)
    assert body["field"] == "unit_id"


def test_review_returns_the_report_for_rework(world, as_user):
    item = world.item_in(Status.UNDER_REVIEW)
    sup = as_user(world.supervisor)
    # Accepting needs all four criteria.
    body = error_of(sup.post(f"/items/{item.id}/review", {"accept": True, "criteria": {"task_done": True}}), 400)
    assert "问题是否解决" in body["detail"]
    r = sup.post(f"/items/{item.id}/review", {"accept": False, "comment": "数据不全"})
    assert r.status_code == 200, r.content
    assert r.json()["item"]["status"] == "in_progress"
    assert r.json()["item"]["reviews"][0]["decision"] == "return"


def test_leader_instructs_further_handling(world, as_user):
    item = world.item_in(Status.PENDING_LEADER)
    leader = as_user(world.leader)
    error_of(leader.post(f"/items/{item.id}/instruct", {"text": ""}), 400)
    r = leader.post(f"/items/{item.id}/instruct", {"text": "请进一步核实。"})
    assert r.status_code == 200, r.content
    assert r.json()["item"]["status"] == "in_progress"


def test_items_carry_their_light_and_filter_by_it(client, world):
    """Issue 3, point 1: lights in every list, the API's included."""
    import datetime as dt

    from duban.items.models import Status as S

    from ..factories import aware

    late = world.item_in(S.IN_PROGRESS, now=aware(2025, 3, 3), title="早已超期")
    far = world.item_in(S.IN_PROGRESS, title="远期", deadline=dt.date(2099, 1, 1), deadline_override_reason="远")
    r = client.post("/api/v1/auth/token", {"username": world.supervisor.username, "password": "pw-12345"},
                    content_type="application/json")
    h = {"HTTP_AUTHORIZATION": f"Bearer {r.json()['token']}"}
    body = client.get("/api/v1/items", **h).json()
    lights = {i["title"]: (i["light"], i["light_label"]) for i in body["results"]}
    assert lights["早已超期"] == ("red", "超期") and lights["远期"] == ("green", "正常")
    red = client.get("/api/v1/items?light=red", **h).json()
    assert [i["id"] for i in red["results"]] == [late.id]
    assert client.get("/api/v1/items?light=purple", **h).status_code == 400
    assert far.id not in [i["id"] for i in red["results"]]


def test_past_the_deadline_the_api_offers_no_filing_of_an_approved_report_until_the_explanation(world, anonymous):
    """Seed 000 art. 4(4): after the deadline the explanation goes first. The API offered 报送 on an
    approved progress report that the service then refused (409); it now offers what the page
    offers, on the report and on the item, and offers it again once the explanation is in."""
    import datetime as dt

    from duban.items import services as svc
    from duban.items.models import Report

    item = world.item_in(Status.IN_PROGRESS)
    liaison_user, head_user = world.liaison["lead"], world.head["lead"]
    r = svc.draft_report(item.id, liaison_user, kind=Report.Kind.PROGRESS, body="进展过半")
    svc.send_report_to_head(r.id, liaison_user)
    svc.approve_report(r.id, head_user)
    liaison = login(anonymous, liaison_user)

    def offered():
        on_report = [a["action"] for a in liaison.get(f"/reports/{r.id}").json()["actions"]]
        on_item = [a["action"] for rep in liaison.get(f"/items/{item.id}").json()["reports"] if rep["id"] == r.id
                   for a in rep["actions"]]
        assert on_report == on_item
        return on_report

    assert offered() == ["submit_report"]
    Item.objects.filter(pk=item.pk).update(deadline=dt.date.today() - dt.timedelta(days=5))
    assert offered() == []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert liaison.get(f"/items/{item.id}").json()["explanation_required"] is True
    # the rule is asked once for the item, not again for each report it could offer to file
    assert len([q for q in ctx.captured_queries if "'explanation'" in q["sql"] and "items_report" in q["sql"]]) == 1
    error_of(liaison.post(f"/reports/{r.id}/submit", {}), 409)
    world.file_report(Item.objects.get(pk=item.pk), Report.Kind.EXPLANATION, body="因雨季施工受阻超期")
    assert offered() == ["submit_report"]
