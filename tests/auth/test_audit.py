"""Configuration is audited (issue 8, point 6): changes in the admin to deadline rules, the
calendar, ladder steps, the urging policy, units and people are kept (who, when, before → after)
and the office head reads them on /audit/, though not an administrator of the admin site."""

import pytest
from django.test import Client

from duban.deadlines.models import DeadlineRule
from duban.orgs.models import User
from duban.urging.models import LadderStep

from .conftest import PASSWORD, web_login


def as_(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def admin_edit(admin, url, obj, **changes):
    """Post the admin's change form of ``obj`` with its current values and ``changes``."""
    from django.forms.models import model_to_dict

    data = {k: ("" if v is None else v) for k, v in model_to_dict(obj).items() if not isinstance(v, list)}
    data.update(changes)
    r = admin.post(url, data)
    assert r.status_code == 302, r.content.decode()[:3000]


def test_a_changed_time_limit_shows_who_when_and_before_after_to_the_office_head(world, superuser):
    rule = DeadlineRule.objects.filter(org=world.org).order_by("id").first()
    before = rule.amount
    admin_edit(as_(superuser), f"/admin/deadlines/deadlinerule/{rule.pk}/change/", rule, amount=before + 3)
    page = as_(world.office_head).get("/audit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "配置变更记录" in html and rule.name in html and "时限规则" in html
    assert superuser.display_name in html
    assert f"<del>{before}</del> → <strong>{before + 3}</strong>" in html


def test_ladder_steps_units_and_people_are_audited_too(world, superuser):
    admin = as_(superuser)
    step = LadderStep.objects.filter(org=world.org).first()
    admin_edit(admin, f"/admin/urging/ladderstep/{step.pk}/change/", step,
               offset_working_days=step.offset_working_days + 1, recipients='["liaison"]')
    unit = world.units["other"]
    admin_edit(admin, f"/admin/orgs/unit/{unit.pk}/change/", unit, name="改名后的局")
    person = world.liaison["other"]
    r = admin.post(f"/admin/orgs/user/{person.pk}/change/", {
        "username": person.username, "full_name": "新名字", "org": world.org.pk, "unit": unit.pk,
        "role": "unit_head", "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    html = as_(world.office_head).get("/audit/").content.decode()
    assert "催办阶梯" in html and "改名后的局" in html and "新名字" in html
    assert "<strong>单位负责人</strong>" in html  # a choice shows as its label, not its code
    assert "<del>联络员</del>" in html


def test_the_kind_filter_shows_one_kind(world, superuser):
    rule = DeadlineRule.objects.filter(org=world.org).first()
    admin_edit(as_(superuser), f"/admin/deadlines/deadlinerule/{rule.pk}/change/", rule, citation="新依据")
    unit = world.units["other"]
    admin_edit(as_(superuser), f"/admin/orgs/unit/{unit.pk}/change/", unit, name="筛选用的局")
    html = as_(world.office_head).get("/audit/?kind=unit").content.decode()
    assert "筛选用的局" in html and "新依据" not in html
    assert as_(world.office_head).get("/audit/?kind=nonsense&page=abc").status_code == 200


def test_a_password_change_is_recorded_without_the_password(world):
    user = world.supervisor
    user.set_password("Another-pass-2026")
    user.save()
    row = User.history.filter(id=user.pk).first()
    assert row.history_change_reason == "修改密码"
    assert not hasattr(row, "password")
    html = as_(world.office_head).get("/audit/?kind=person").content.decode()
    assert "修改密码" in html and "pbkdf2" not in html and "md5$" not in html


def test_signing_in_adds_nothing_to_the_history(world, client):
    count = User.history.count()
    web_login(client, world.supervisor.username)
    assert client.get("/").status_code == 200
    assert User.history.count() == count


def test_another_organisations_changes_stay_out_of_sight(world, other_world, superuser):
    rule = DeadlineRule.objects.filter(org=other_world.org).first()
    admin_edit(as_(superuser), f"/admin/deadlines/deadlinerule/{rule.pk}/change/", rule, name="乙方的规则")
    assert "乙方的规则" not in as_(world.office_head).get("/audit/").content.decode()
    assert "乙方的规则" in as_(other_world.office_head).get("/audit/").content.decode()


@pytest.mark.parametrize("who", ["supervisor", "leader", "liaison", "head"])
def test_only_the_office_head_and_administrators_read_it(world, who):
    user = {"supervisor": world.supervisor, "leader": world.leader,
            "liaison": world.liaison["lead"], "head": world.head["lead"]}[who]
    assert as_(user).get("/audit/").status_code == 403


def test_the_navigation_offers_it_to_the_office_head_only(world):
    assert "配置变更记录" in as_(world.office_head).get("/").content.decode()
    assert "配置变更记录" not in as_(world.supervisor).get("/").content.decode()


def test_the_admin_history_page_shows_the_changes(world, superuser):
    rule = DeadlineRule.objects.filter(org=world.org).first()
    admin = as_(superuser)
    admin_edit(admin, f"/admin/deadlines/deadlinerule/{rule.pk}/change/", rule, priority=7)
    r = admin.get(f"/admin/deadlines/deadlinerule/{rule.pk}/history/")
    assert r.status_code == 200 and superuser.username in r.content.decode()
