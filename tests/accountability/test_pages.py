"""A unit's year page: its criticisms, the sanctions they brought, their state. Units see only their
own; the office and leaders see every unit; the office records a talk that took place."""

import pytest

from duban.accountability import services as acc
from duban.accountability.models import Sanction
from duban.items.errors import InvalidInput, PermissionDenied, TransitionNotAllowed

from ..factories import aware
from .helpers import issue_circular


@pytest.fixture
def twice(world):
    issue_circular(world, aware(2026, 3, 5), criticise=["lead"])
    return issue_circular(world, aware(2026, 6, 4), criticise=["lead"], facts="三件事项超期未办结")


def test_the_unit_reads_its_year(world, twice, client):
    client.force_login(world.liaison["lead"])
    r = client.get("/accountability/?year=2026")
    assert r.status_code == 302 and r["Location"] == f"/units/{world.units['lead'].id}/year/2026/"
    page = client.get(r["Location"]).content.decode()
    assert twice.number in page and "三件事项超期未办结" in page and "第2次" in page
    assert "书面检查" in page and "取消年度评先评优资格" in page and "约谈" in page
    assert "登记落实" not in page  # the office's
    assert client.get(f"/units/{world.units['co'].id}/year/2026/").status_code == 404


@pytest.mark.parametrize("who", ["supervisor", "leader", "principal"])
def test_the_office_and_leaders_see_every_unit(world, twice, client, who):
    client.force_login(getattr(world, who))
    page = client.get("/accountability/?year=2026").content.decode()
    assert world.units["lead"].name in page and world.units["co"].name not in page  # co was never criticised
    assert client.get(f"/units/{world.units['co'].id}/year/2026/").status_code == 200


def test_another_organisation_sees_nothing(world, other_world, twice, client):
    client.force_login(other_world.supervisor)
    assert client.get(f"/units/{world.units['lead'].id}/year/2026/").status_code == 404


def test_the_office_records_that_the_talk_took_place(world, twice, client):
    talk = Sanction.objects.get(measure="admonitory_talk")
    client.force_login(world.supervisor)
    r = client.post(f"/sanctions/{talk.id}/fulfil/", {"note": ""}, follow=True)
    assert "请填写落实情况" in r.content.decode()
    client.post(f"/sanctions/{talk.id}/fulfil/", {"note": "6月10日主要领导约谈该局局长"})
    talk.refresh_from_db()
    assert talk.state == "fulfilled" and talk.fulfilled_by == world.supervisor
    page = client.get(f"/units/{world.units['lead'].id}/year/2026/").content.decode()
    assert "6月10日主要领导约谈该局局长" in page


def test_only_the_office_records_fulfilment_and_not_for_a_tracked_item(world, twice):
    talk = Sanction.objects.get(measure="admonitory_talk")
    with pytest.raises(PermissionDenied):
        acc.fulfil(talk.id, world.liaison["lead"], note="已约谈")
    with pytest.raises(TransitionNotAllowed):
        acc.fulfil(Sanction.objects.get(measure="written_self_examination").id, world.supervisor, note="已交")
    with pytest.raises(InvalidInput):
        acc.fulfil(talk.id, world.supervisor, note="  ")


def test_the_self_examination_item_names_the_sanction_behind_it(world, twice, client):
    exam = Sanction.objects.get(measure="written_self_examination")
    client.force_login(world.liaison["lead"])
    page = client.get(f"/items/{exam.item_id}/").content.decode()
    assert "问责依据" in page and "2026年第1次通报批评：书面检查" in page
    other = world.item_in("in_progress")
    assert "问责依据" not in client.get(f"/items/{other.id}/").content.decode()
