"""Who may act across the level boundary, and who may not (一级抓一级, seed 001 art. 3; 分级负责,
art. 5). Only the district office answers for the city's unit standing for the district; the
district's departments and leaders answer to the district, the city's other units to the city, and
neither office does the other's office work."""

import datetime as dt

import pytest

from duban.items import services as svc
from duban.items.errors import PermissionDenied
from duban.items.models import Report, Status

S = Status


def person(levels, path):
    obj = levels
    for part in path.split("."):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return obj


def act(levels, action, item, user):
    calls = {
        "accept": lambda: svc.accept(item.id, user, responsible_person="张三"),
        "decline": lambda: svc.decline(item.id, user, comment="不属本单位职责"),
        "draft_report": lambda: svc.draft_report(item.id, user, kind=Report.Kind.PROGRESS, body="进展"),
        "request_extension": lambda: svc.request_extension(
            item.id, user, until=item.deadline + dt.timedelta(days=30), reason="情况复杂", progress="已完成一半"),
        "register_lower": lambda: svc.register_lower(item.id, user),
        "log_urge": lambda: svc.log_urge(item.id, user, method="phone", summary="电话催问"),
        "reassign": lambda: svc.reassign(item.id, user, lead_unit=levels.city.units["other"]),
        "approve_report": lambda: svc.approve_report(item.awaiting.id, user),
        "submit_report": lambda: svc.submit_report(item.approved.id, user),
        "review": lambda: svc.review(item.id, user, accept=True, criteria=dict.fromkeys(svc.REVIEW_CRITERIA, True)),
    }
    return calls[action]()


@pytest.fixture
def upper(levels):
    """A city item the district signed for, with one district report awaiting its head and one
    approved, ready to file."""
    item = levels.send_down(S.IN_PROGRESS)
    item.awaiting = svc.draft_report(item.id, levels.dc_supervisor, kind=Report.Kind.PROGRESS, body="一")
    svc.send_report_to_head(item.awaiting.id, levels.dc_supervisor)
    item.approved = svc.draft_report(item.id, levels.dc_supervisor, kind=Report.Kind.PROGRESS, body="二")
    svc.send_report_to_head(item.approved.id, levels.dc_supervisor)
    svc.approve_report(item.approved.id, levels.dc_office_head)
    item.refresh_from_db()
    return item


UNIT_ACTIONS = ["draft_report", "request_extension", "register_lower", "approve_report", "submit_report"]
NOT_THE_UNIT = ["city.liaison.other", "city.head.other", "city.liaison.lead", "city.supervisor", "city.office_head",
                "district.liaison.lead", "district.head.lead", "district.leader", "district.principal"]


@pytest.mark.parametrize("who", NOT_THE_UNIT)
@pytest.mark.parametrize("action", UNIT_ACTIONS)
def test_only_the_district_office_acts_for_the_district_unit(levels, upper, action, who):
    before = upper.events.count()
    with pytest.raises(PermissionDenied) as err:
        act(levels, action, upper, person(levels, who))
    assert "无权" in err.value.message or "只有" in err.value.message
    assert upper.events.count() == before


@pytest.mark.parametrize("who", ["district.liaison.lead", "district.leader", "city.liaison.other", "city.supervisor"])
@pytest.mark.parametrize("action", ["accept", "decline"])
def test_only_the_district_office_signs_for_the_district_unit(levels, action, who):
    item = levels.send_down()
    with pytest.raises(PermissionDenied):
        act(levels, action, item, person(levels, who))
    item.refresh_from_db()
    assert item.status == S.ASSIGNED


@pytest.mark.parametrize("who", ["dc_supervisor", "dc_office_head"])
@pytest.mark.parametrize("action", ["log_urge", "reassign"])
def test_the_district_office_does_no_office_work_on_the_city_item(levels, upper, action, who):
    with pytest.raises(PermissionDenied):
        act(levels, action, upper, getattr(levels, who))


def test_the_district_office_does_not_review_the_city_items_completion(levels):
    item = levels.send_down(S.IN_PROGRESS)
    levels.file_upward(item, Report.Kind.COMPLETION)
    for who in (levels.dc_supervisor, levels.dc_office_head):
        with pytest.raises(PermissionDenied):
            act(levels, "review", item, who)


@pytest.mark.parametrize("who", ["city.supervisor", "city.office_head", "city.leader", "city.principal"])
@pytest.mark.parametrize("action", ["log_urge", "reassign"])
def test_the_city_does_no_office_work_on_the_district_item(levels, action, who):
    lower = levels.register(levels.send_down(S.IN_PROGRESS))
    with pytest.raises(PermissionDenied):
        act(levels, action, lower, person(levels, who))


def test_the_district_leader_approves_the_district_item_and_the_city_leader_does_not(levels):
    upper = levels.send_down(S.IN_PROGRESS)
    lower = levels.register(upper)  # approved by the district's leader
    assert lower.status == S.ASSIGNED
    other = levels.district.item_in(S.PENDING_APPROVAL)
    for who in (levels.city.leader, levels.city.principal):
        with pytest.raises(PermissionDenied):
            svc.approve_proposal(other.id, who)
