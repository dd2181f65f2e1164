"""The leader rates the work when closing an item: 满意 / 基本满意 / 不满意 (seed 000 art. 4(6):
结合职工满意度评价制度). The rating is kept on the leader's instruction and counted by the assessment."""

import pytest

from duban.items import services as svc
from duban.items.errors import InvalidInput
from duban.items.models import Instruction, Satisfaction, Status


def test_leader_closes_an_item_rating_it_basically_satisfied(world):
    item = world.item_in(Status.PENDING_LEADER)
    svc.close(item.id, world.leader, text="同意办结。", satisfaction=Satisfaction.BASICALLY_SATISFIED)
    i = Instruction.objects.get(item=item)
    assert i.satisfaction == "basically_satisfied" and i.get_satisfaction_display() == "基本满意"
    assert item.events.last().data == {"satisfaction": "basically_satisfied"}


def test_closing_without_a_rating_is_still_allowed(world):
    item = world.item_in(Status.PENDING_LEADER)
    svc.close(item.id, world.leader)
    assert Instruction.objects.get(item=item).satisfaction == ""


def test_an_unknown_rating_is_refused_and_the_item_stays_with_the_leader(world):
    item = world.item_in(Status.PENDING_LEADER)
    with pytest.raises(InvalidInput) as e:
        svc.close(item.id, world.leader, satisfaction="excellent")
    assert e.value.field == "satisfaction"
    item.refresh_from_db()
    assert item.status == Status.PENDING_LEADER and not item.instructions.exists()


def test_the_close_form_on_the_item_page_records_the_rating_and_the_page_shows_it(world, client):
    item = world.item_in(Status.PENDING_LEADER)
    client.force_login(world.leader)
    page = client.get(f"/items/{item.id}/").content.decode()
    assert "满意度评价" in page and "基本满意" in page
    r = client.post(f"/items/{item.id}/act/close/", {"text": "同意。", "satisfaction": "dissatisfied",
                                                    "version": item.version})
    assert r.status_code == 302
    assert Instruction.objects.get(item=item).satisfaction == Satisfaction.DISSATISFIED
    assert "满意度：不满意" in client.get(f"/items/{item.id}/").content.decode()


def test_the_api_accepts_the_rating_and_shows_it_on_the_item(world, as_user):
    item = world.item_in(Status.PENDING_LEADER)
    api = as_user(world.leader)
    r = api.post(f"/items/{item.id}/close", {"text": "同意办结。", "satisfaction": "satisfied"})
    assert r.status_code == 200, r.content
    detail = api.get(f"/items/{item.id}").json()
    assert detail["instructions"][0]["satisfaction"] == "satisfied"
    assert detail["instructions"][0]["satisfaction_label"] == "满意"
    assert api.post(f"/items/{item.id}/close", {"satisfaction": "great"}).status_code in (400, 422)
