"""The district answers upward through the same procedure as any unit: its supervisor drafts and
files, its office head signs (审签) first (seed 002 art. 5(3)); extension requests go up the same
way (seed 001 art. 9). 一级抓一级 (seed 001 art. 3): the level below reports to the level above."""

import datetime as dt

import pytest
from django.urls import reverse

from duban.items import selectors
from duban.items import services as svc
from duban.items.errors import PermissionDenied, TransitionNotAllowed
from duban.items.models import ExtensionRequest, Report, Status

from ..factories import aware
from .conftest import login

S = Status
K = Report.Kind


def bucket(user, key, now=None):
    return {k: list(qs) for k, _, qs in selectors.worklist(user, now=now)}.get(key, [])


def test_a_progress_report_goes_up_through_the_district_office_heads_signature(levels):
    upper = levels.send_down(S.IN_PROGRESS)
    sup, head = levels.dc_supervisor, levels.dc_office_head
    r = svc.draft_report(upper.id, sup, kind=K.PROGRESS, body="已排查燃气管网23公里。")
    assert r.unit == levels.link and r.author == sup
    svc.send_report_to_head(r.id, sup)
    assert upper in bucket(head, "reports_to_sign")
    with pytest.raises(PermissionDenied):  # a supervisor does not sign for the unit
        svc.approve_report(r.id, sup)
    svc.approve_report(r.id, head, comment="同意报送。")
    assert upper in bucket(sup, "reports_to_submit")
    svc.submit_report(r.id, sup)
    r.refresh_from_db()
    assert r.state == Report.State.SUBMITTED and r.head == head
    # The city office reads it like any unit's report.
    assert r in selectors.reports_visible_on(levels.city.supervisor, upper)


def test_the_completion_report_goes_to_the_city_offices_review_and_back(levels):
    upper = levels.send_down(S.IN_PROGRESS)
    levels.file_upward(upper, K.COMPLETION, body="隐患31处已全部整改到位。")
    upper.refresh_from_db()
    assert upper.status == S.UNDER_REVIEW
    assert upper in bucket(levels.city.supervisor, "to_review")
    assert upper not in bucket(levels.dc_supervisor, "to_review")  # the city's review, not the district's
    svc.review(upper.id, levels.city.supervisor, accept=False, criteria={}, comment="请补充整改前后对比材料")
    upper.refresh_from_db()
    assert upper.status == S.IN_PROGRESS
    levels.file_upward(upper, K.COMPLETION, body="已补充对比材料。")
    svc.review(upper.id, levels.city.supervisor, accept=True, criteria=dict.fromkeys(svc.REVIEW_CRITERIA, True))
    svc.close(upper.id, levels.city.leader)
    upper.refresh_from_db()
    assert upper.status == S.CLOSED


def test_the_completion_report_starts_from_the_districts_figures(levels, client):
    """The district's report upward begins with what its roll-up already counts."""
    upper = levels.send_down(S.IN_PROGRESS)
    lower = levels.register(upper)
    page = login(client, levels.dc_supervisor).get(reverse("item_detail", args=[upper.id])).content.decode()
    assert f"已登记为本级事项（{lower.number}），含分解事项共1项，已办结0项，完成率0.00%。" in page


def test_an_extension_request_crosses_the_level(levels):
    t0 = aware(2026, 11, 2)
    upper = levels.send_down(S.IN_PROGRESS, now=t0)
    until = upper.deadline + dt.timedelta(days=10)
    req = svc.request_extension(upper.id, levels.dc_office_head, until=until, reason="涉及燃气企业改造，需协调",
                                progress="已整改12处", now=t0)
    assert req.unit == levels.link and req.requested_by == levels.dc_office_head
    assert upper in bucket(levels.city.supervisor, "extensions")
    assert upper not in bucket(levels.dc_supervisor, "extensions")
    svc.decide_extension(req.id, levels.city.supervisor, approve=True, comment="同意", now=t0)
    upper.refresh_from_db()
    assert upper.deadline == until
    assert ExtensionRequest.objects.get().state == "approved"


def test_an_overdue_district_explains_first(levels):
    """Seed 000 art. 4(4): a unit past its deadline files an explanation before anything else."""
    t0 = aware(2026, 9, 1)
    upper = levels.send_down(S.IN_PROGRESS, now=t0)
    late = aware(2026, 10, 20)
    assert upper in bucket(levels.dc_supervisor, "explanation", now=late)
    with pytest.raises(TransitionNotAllowed):
        svc.draft_report(upper.id, levels.dc_supervisor, kind=K.PROGRESS, body="进展", now=late)
    levels.file_upward(upper, K.EXPLANATION, body="因燃气企业改造延误。", now=late)
    assert upper not in bucket(levels.dc_supervisor, "explanation", now=late)
    svc.draft_report(upper.id, levels.dc_supervisor, kind=K.PROGRESS, body="进展", now=late)


def test_the_api_serves_the_district_office_as_the_unit(levels, as_user):
    """The same services behind the API: sign, register, report up, all as the district office."""
    upper = levels.send_down()
    sup, head = as_user(levels.dc_supervisor), as_user(levels.dc_office_head)
    work = sup.get("/worklist").json()
    assert [i["id"] for b in work["buckets"] if b["key"] == "to_accept" for i in b["items"]] == [upper.id]
    detail = sup.get(f"/items/{upper.id}").json()
    assert {a["action"] for a in detail["actions"]} >= {"accept", "decline"}
    r = sup.post(f"/items/{upper.id}/accept", {"responsible_person": "何志强", "version": detail["version"]})
    assert r.status_code == 200, r.content
    actions = {a["action"]: a for a in r.json()["item"]["actions"]}
    assert actions["register_lower"]["path"].endswith(f"/items/{upper.id}/register-lower")

    r = sup.post(f"/items/{upper.id}/register-lower")
    assert r.status_code == 201, r.content
    lower = r.json()
    assert lower["status"] == "draft" and lower["number"] == ""
    assert lower["upper_item"] == {"id": upper.id, "number": upper.number, "org": levels.city.org.name}
    assert sup.post(f"/items/{upper.id}/register-lower").status_code == 409

    r = sup.post(f"/items/{upper.id}/reports", {"kind": "progress", "body": "区级已登记，正在排查。"})
    assert r.status_code == 201, r.content
    report_id = r.json()["id"]
    assert sup.post(f"/reports/{report_id}/send-to-head").status_code == 200
    assert sup.post(f"/reports/{report_id}/approve", {"comment": ""}).status_code == 403
    assert head.post(f"/reports/{report_id}/approve", {"comment": "同意"}).status_code == 200
    r = sup.post(f"/reports/{report_id}/submit", {})
    assert r.status_code == 200 and r.json()["state"] == "submitted"

    city = as_user(levels.city.supervisor).get(f"/items/{upper.id}").json()
    assert [x["state"] for x in city["reports"]] == ["submitted"]
    assert city["lower_progress"][0]["org"] == levels.district.org.name
    assert city["lower_progress"][0]["number"] == ""  # still a draft below
    assert sup.get(f"/items/{upper.id}").json()["lower_progress"] == []
