"""Planning an inspection (issue 12, point 1; seed 000 art. 4(5)-(6), seed 001 art. 13, seed 002
art. 6: on-site, special, joint and unannounced supervision, mid-year and year-end inspections)."""

import pytest

from duban.inspections import selectors, services
from duban.inspections.models import Inspection, InspectionKind, Target
from duban.items.errors import InvalidInput, PermissionDenied


def test_office_plans_an_inspection_with_team_period_and_every_kind_of_target(world, plan):
    insp = plan(units=("lead", "co"), sites=("城南路与建设路交叉口",), members=[world.office_head])
    assert insp.status == Inspection.Status.PLANNED
    assert sorted(t.kind for t in insp.targets.all()) == ["site", "unit", "unit"]
    assert {m.user for m in insp.team.all()} == {world.supervisor, world.office_head}
    assert insp.team.get(user=world.supervisor).role == "leader"


def test_a_joint_inspection_names_other_organisations_staff_as_text(world, plan):
    insp = plan(kind=InspectionKind.JOINT)
    assert insp.external_member_list == ["市纪委监委 王某某"]


def test_a_joint_inspection_without_other_organisations_staff_is_refused(world):
    with pytest.raises(InvalidInput, match="外单位参加人员"):
        services.plan_inspection(world.org, world.supervisor, services.InspectionFields(
            title="联合督查", kind=InspectionKind.JOINT, start_date="2026-06-01", end_date="2026-06-02",
            leader=world.leader, team_leader=world.supervisor,
            targets=[services.TargetSpec(Target.Kind.UNIT, unit=world.units["lead"])]))
    assert not Inspection.objects.exists()


def test_an_inspection_can_target_an_item_and_a_plan(world):
    from duban.items.models import Status

    item = world.item_in(Status.IN_PROGRESS)
    insp = services.plan_inspection(world.org, world.supervisor, services.InspectionFields(
        title="专项督查", kind=InspectionKind.SPECIAL, start_date="2026-06-01", end_date="2026-06-02",
        leader=world.leader, team_leader=world.supervisor,
        targets=[services.TargetSpec(Target.Kind.ITEM, item=item)]))
    assert insp.targets.get().item == item


@pytest.mark.parametrize("who", ["liaison", "leader"])
def test_only_the_office_plans_inspections(world, who):
    user = world.liaison["lead"] if who == "liaison" else world.leader
    with pytest.raises(PermissionDenied):
        services.plan_inspection(world.org, user, services.InspectionFields(
            title="x", kind="onsite", start_date="2026-06-01", end_date="2026-06-02", leader=world.leader,
            team_leader=user, targets=[services.TargetSpec(Target.Kind.SITE, address="某地")]))


def test_period_ending_before_it_starts_is_refused_with_a_chinese_message(world):
    with pytest.raises(InvalidInput, match="结束日期不能早于开始日期"):
        services.plan_inspection(world.org, world.supervisor, services.InspectionFields(
            title="x", kind="onsite", start_date="2026-06-05", end_date="2026-06-01", leader=world.leader,
            team_leader=world.supervisor, targets=[services.TargetSpec(Target.Kind.SITE, address="某地")]))


def test_a_member_from_another_organisation_is_refused(world, other_world):
    with pytest.raises(InvalidInput, match="本组织人员"):
        services.plan_inspection(world.org, world.supervisor, services.InspectionFields(
            title="x", kind="onsite", start_date="2026-06-01", end_date="2026-06-01", leader=world.leader,
            team_leader=world.supervisor, members=[other_world.supervisor],
            targets=[services.TargetSpec(Target.Kind.SITE, address="某地")]))


def visible(user):
    return set(selectors.inspections_visible_to(user))


def test_an_announced_inspection_is_visible_to_its_target_unit_but_not_to_others(world, plan):
    insp = plan()
    assert insp in visible(world.liaison["lead"])
    assert insp not in visible(world.liaison["other"])


def test_an_unannounced_inspection_is_invisible_to_its_targets_until_its_report_is_issued(world, plan):
    """明察暗访 (seed 002 art. 6): the unit learns of the visit from the issued report."""
    insp = plan(kind=InspectionKind.UNANNOUNCED)
    target = insp.targets.get()
    services.record_finding(insp.id, world.supervisor, target_id=target.id, text="值班室无人值守")
    assert insp not in visible(world.liaison["lead"])
    assert insp not in visible(world.head["lead"])
    services.save_report(insp.id, world.supervisor, body="暗访报告")
    services.submit_report(insp.id, world.supervisor)
    assert insp not in visible(world.liaison["lead"])  # awaiting the leader: still hidden
    services.decide_report(insp.id, world.leader, approve=True)
    assert insp in visible(world.liaison["lead"])
    assert insp not in visible(world.liaison["other"])


def test_an_unannounced_inspection_page_is_404_for_its_target_before_issue(world, plan, client):
    insp = plan(kind=InspectionKind.UNANNOUNCED)
    client.force_login(world.liaison["lead"])
    assert client.get(f"/inspections/{insp.id}/").status_code == 404
    assert "城区内涝点" not in client.get("/inspections/").content.decode()


def test_office_and_leaders_see_every_inspection_of_their_organisation_only(world, other_world, plan):
    insp = plan(kind=InspectionKind.UNANNOUNCED)
    assert insp in visible(world.office_head)
    assert insp in visible(world.principal)
    assert insp not in visible(other_world.supervisor)


def test_the_planning_page_creates_an_inspection(world, client):
    client.force_login(world.supervisor)
    r = client.post("/inspections/new/", {
        "title": "年中督查", "kind": "midyear", "start_date": "2026-06-01", "end_date": "2026-06-10",
        "leader": world.leader.id, "team_leader": world.supervisor.id, "target_units": [world.units["lead"].id],
        "sites": "城东污水处理厂\n\n城西垃圾中转站",
    })
    insp = Inspection.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/inspections/{insp.id}/"
    assert insp.targets.count() == 3


def test_the_planning_page_shows_a_clear_message_and_creates_nothing_without_targets(world, client):
    client.force_login(world.supervisor)
    r = client.post("/inspections/new/", {
        "title": "年中督查", "kind": "midyear", "start_date": "2026-06-01", "end_date": "2026-06-10",
        "leader": world.leader.id, "team_leader": world.supervisor.id,
    })
    assert r.status_code == 200
    assert "请至少添加一个督查对象" in r.content.decode()
    assert not Inspection.objects.exists()
