"""Who may do what is the state machine's business; the API only reports its answer in JSON."""

import pytest

from duban.items.models import Report, Status

from .conftest import error_of, has_chinese


@pytest.mark.parametrize("who, path, body", [
    ("liaison_lead", "submit-proposal", {}),
    ("leader", "submit-proposal", {}),
    ("head_lead", "archive", {}),
])
def test_wrong_role_is_403_with_a_chinese_message(world, as_user, who, path, body):
    status = {"submit-proposal": Status.DRAFT, "archive": Status.CLOSED}[path]
    item = world.item_in(status)
    user = {"liaison_lead": world.liaison["lead"], "leader": world.leader, "head_lead": world.head["lead"]}[who]
    # A draft is invisible to units and leaders (404); a closed item is visible to the lead unit's head (403).
    r = as_user(user).post(f"/items/{item.id}/{path}", body)
    if status == Status.DRAFT:
        error_of(r, 404)
    else:
        err = error_of(r, 403)
        assert err["detail"] == "您无权执行“归档”"


def test_other_leader_may_not_approve(world, as_user):
    item = world.item_in(Status.PENDING_APPROVAL)
    err = error_of(as_user(world.other_leader).post(f"/items/{item.id}/approve-proposal", {}), 403)
    assert "批准立项" in err["detail"]


def test_co_unit_may_not_accept_as_lead(world, as_user):
    item = world.item_in(Status.ASSIGNED)
    error_of(as_user(world.liaison["co"]).post(f"/items/{item.id}/accept", {"responsible_person": "李四"}), 403)


def test_wrong_state_is_409(world, as_user):
    item = world.item_in(Status.IN_PROGRESS)
    err = error_of(as_user(world.supervisor).post(f"/items/{item.id}/archive", {}), 409)
    assert "办理中" in err["detail"] and has_chinese(err["detail"])
    err = error_of(as_user(world.leader).post(f"/items/{item.id}/close", {}), 409)
    assert err["field"] is None


def test_stale_version_is_409_and_changes_nothing(world, as_user):
    item = world.item_in(Status.DRAFT)
    sup = as_user(world.supervisor)
    err = error_of(sup.post(f"/items/{item.id}/submit-proposal", {"version": item.version + 5}), 409)
    assert "已被他人更新" in err["detail"]
    assert sup.get(f"/items/{item.id}").json()["status"] == "draft"


def test_report_action_by_a_head_of_another_unit_is_404(world, as_user):
    item = world.item_in(Status.IN_PROGRESS)
    report = Report.objects.create(item=item, unit=world.units["lead"], kind="progress", body="x",
                                   author=world.liaison["lead"], state=Report.State.AWAITING_HEAD)
    error_of(as_user(world.head["co"]).post(f"/reports/{report.id}/approve", {}), 404)
    error_of(as_user(world.head["other"]).post(f"/reports/{report.id}/approve", {}), 404)
    report.refresh_from_db()
    assert report.state == Report.State.AWAITING_HEAD


def test_supervisor_may_not_sign_a_units_report(world, as_user):
    item = world.item_in(Status.IN_PROGRESS)
    liaison = as_user(world.liaison["lead"])
    report_id = liaison.post(f"/items/{item.id}/reports", {"kind": "progress", "body": "x"}).json()["id"]
    liaison.post(f"/reports/{report_id}/send-to-head")
    # The office does not see an unfiled report at all.
    error_of(as_user(world.supervisor).post(f"/reports/{report_id}/approve", {}), 404)
    # The liaison sees it but may not sign it.
    error_of(liaison.post(f"/reports/{report_id}/approve", {}), 403)


class TestAnotherUnitsItem:
    @pytest.fixture
    def item(self, world):
        return world.item_in(Status.IN_PROGRESS, title="住建局的内涝整治事项")

    def test_detail_is_404(self, world, as_user, item):
        err = error_of(as_user(world.liaison["other"]).get(f"/items/{item.id}"), 404)
        assert has_chinese(err["detail"])

    def test_absent_from_list_and_search(self, world, as_user, item):
        other = as_user(world.liaison["other"])
        assert other.get("/items").json()["count"] == 0
        assert other.get("/items", {"q": "内涝"}).json()["results"] == []
        assert other.get("/items", {"q": item.number}).json()["count"] == 0
        assert other.get("/items", {"unit": world.units["lead"].id}).json()["count"] == 0
        # ...while the lead unit finds it by the same search.
        lead = as_user(world.liaison["lead"])
        assert [i["id"] for i in lead.get("/items", {"q": "内涝"}).json()["results"]] == [item.id]

    def test_actions_on_it_are_404_not_403(self, world, as_user, item):
        other = as_user(world.liaison["other"])
        for path, body in [("accept", {"responsible_person": "x"}), ("reports", {"kind": "progress", "body": "x"}),
                           ("extension-requests", {"until": "2099-01-01", "reason": "x", "progress": "x"}),
                           ("decline", {"comment": "x"})]:
            error_of(other.post(f"/items/{item.id}/{path}", body), 404)

    def test_its_reports_and_extensions_are_404(self, world, as_user, item):
        report = world.file_report(item)
        other = as_user(world.liaison["other"])
        error_of(other.get(f"/reports/{report.id}"), 404)
        error_of(other.post(f"/reports/{report.id}/submit", {}), 404)
        sup = as_user(world.supervisor)
        until = item.deadline.replace(year=item.deadline.year + 1).isoformat()
        req = as_user(world.liaison["lead"]).post(f"/items/{item.id}/extension-requests", {
            "until": until, "reason": "x", "progress": "x"}).json()
        error_of(as_user(world.head["other"]).post(f"/extension-requests/{req['id']}/decide", {"approve": True}), 404)
        assert sup.get(f"/items/{item.id}").json()["extension_requests"][0]["state"] == "pending"


def test_another_organisations_item_is_404_even_to_its_office(world, other_world, as_user):
    item = other_world.item_in(Status.IN_PROGRESS)
    sup = as_user(world.supervisor)
    error_of(sup.get(f"/items/{item.id}"), 404)
    error_of(sup.post(f"/items/{item.id}/archive", {}), 404)
    assert sup.get("/items").json()["count"] == 0


def test_secret_item_is_hidden_from_people_not_named(world, as_user):
    item = world.item_in(Status.ASSIGNED, is_secret=True)
    assert as_user(world.liaison["lead"]).get(f"/items/{item.id}").status_code == 200
    error_of(as_user(world.supervisor.__class__.objects.create(
        username="sup2", org=world.org, unit=world.office, role="supervisor")).get(f"/items/{item.id}"), 404)


def test_co_unit_sees_only_its_own_reports(world, as_user):
    item = world.item_in(Status.IN_PROGRESS)
    world.file_report(item)  # the lead unit's progress report
    detail = as_user(world.liaison["co"]).get(f"/items/{item.id}").json()
    assert detail["reports"] == []
    assert len(as_user(world.liaison["lead"]).get(f"/items/{item.id}").json()["reports"]) == 1


def test_units_and_leaders_are_the_users_organisations_only(world, other_world, as_user):
    api = as_user(world.liaison["lead"])
    unit_ids = {u["id"] for u in api.get("/units").json()}
    assert world.units["lead"].id in unit_ids and other_world.units["lead"].id not in unit_ids
    leader_ids = {p["id"] for p in api.get("/leaders").json()}
    assert leader_ids == {world.leader.id, world.other_leader.id, world.principal.id}
