"""Public opinions (公众意见) on a published entry: held for the office, only approved ones show;
throttled per address, a honeypot, a length cap, markup stripped (002 art. 6(5): 提高群众参与度)."""

import datetime as dt

import pytest

from duban.items.errors import InvalidInput, PermissionDenied
from duban.portal import services
from duban.portal.models import PublicOpinion


@pytest.fixture
def pub(world):
    item = world.item_in("in_progress")
    return services.publish_item(item.id, world.supervisor, body="已完成3处整治。")


def post(client, pub, body="建议公布整治时间表", address="10.1.1.1", **extra):
    return client.post(f"/public/e/{pub.id}/opinion/", {"body": body, "name": "市民", **extra}, REMOTE_ADDR=address)


def test_an_opinion_waits_for_the_office_and_shows_once_approved(world, pub, client):
    r = post(client, pub)
    assert r.status_code == 200 and "经审核后公开" in r.content.decode()
    op = PublicOpinion.objects.get()
    assert op.state == PublicOpinion.State.PENDING
    assert "建议公布整治时间表" not in client.get(f"/public/e/{pub.id}/").content.decode()
    services.moderate_opinion(op.id, world.supervisor, approve=True, reply="月底公布")
    page = client.get(f"/public/e/{pub.id}/").content.decode()
    assert "建议公布整治时间表" in page and "月底公布" in page


def test_only_the_office_of_the_publishing_organisation_moderates(world, other_world, pub):
    op = services.submit_opinion(pub.id, body="意见", address="10.0.0.1")
    for user in (world.liaison["lead"], other_world.supervisor):
        with pytest.raises(PermissionDenied):
            services.moderate_opinion(op.id, user, approve=True)


def test_the_honeypot_stores_nothing_and_looks_the_same(world, pub, client):
    r = post(client, pub, website="http://spam.example")
    assert r.status_code == 200 and "经审核后公开" in r.content.decode()
    assert not PublicOpinion.objects.exists()


def test_an_address_is_throttled_and_the_address_itself_is_not_kept(world, pub, client):
    for _ in range(3):
        assert post(client, pub).status_code == 200
    r = post(client, pub)
    assert r.status_code == 429 and "过于频繁" in r.content.decode()
    assert post(client, pub, address="10.9.9.9").status_code == 200
    assert not PublicOpinion.objects.filter(address_hash__contains="10.1.1.1").exists()


def test_the_day_limit_holds_across_bursts(world, pub):
    start = dt.datetime(2026, 3, 2, 8, tzinfo=dt.timezone.utc)
    for i in range(10):
        services.submit_opinion(pub.id, body=f"意见{i}", address="10.2.2.2", now=start + dt.timedelta(minutes=20 * i))
    with pytest.raises(services.Throttled):
        services.submit_opinion(pub.id, body="再一条", address="10.2.2.2", now=start + dt.timedelta(hours=5))


def test_markup_is_stripped_and_length_capped(world, pub, client):
    services.submit_opinion(pub.id, body='<script>alert(1)</script><b>加快</b>进度\u202e', address="10.3.3.3")
    assert PublicOpinion.objects.get().body == "alert(1)加快进度"
    with pytest.raises(InvalidInput, match="500"):
        services.submit_opinion(pub.id, body="长" * 501, address="10.3.3.4")
    with pytest.raises(InvalidInput, match="请填写"):
        services.submit_opinion(pub.id, body="<p> </p>", address="10.3.3.5")
    r = post(client, pub, body="长" * 600, address="10.3.3.6")
    assert r.status_code == 400 and "不能超过500字" in r.content.decode()


def test_an_opinion_on_a_withdrawn_entry_is_refused(world, pub, client):
    services.withdraw(pub.id, world.supervisor)
    assert post(client, pub).status_code == 404
