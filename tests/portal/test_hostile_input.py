"""Bad input on the portal gets a clear answer and changes nothing; never a 500 (002 art. 6(5): the
platform is open to anyone)."""

import pytest

from duban.portal import services
from duban.portal.models import PublicOpinion
from duban.proposals import services as ps
from duban.proposals.models import Rating


@pytest.fixture
def pub(world):
    return services.publish_item(world.item_in("in_progress").id, world.supervisor, body="进展")


@pytest.mark.parametrize("query", ["?page=abc", "?page=-5", "?page=999999999999", "?kind=<script>", "?q=" + "长" * 500,
                                   "?q=%00", "?q=%25%25", "?q=_"])
def test_odd_list_parameters_still_give_a_page(world, pub, client, query):
    for base in ("/public/", "/public/api/entries.json"):
        r = client.get(base + query)
        assert r.status_code == 200, (base, query)


def test_posting_to_a_read_only_page_is_refused(world, pub, client):
    assert client.post("/public/").status_code == 405
    assert client.get(f"/public/e/{pub.id}/opinion/").status_code == 405


def test_an_opinion_without_a_body_or_with_a_list_is_refused(world, pub, client):
    assert client.post(f"/public/e/{pub.id}/opinion/", {}).status_code == 400
    assert client.post(f"/public/e/{pub.id}/opinion/", {"body": ["a", "b"]}).status_code in (200, 400)
    assert PublicOpinion.objects.count() <= 1


def test_a_rating_with_an_unknown_value_changes_nothing(world, journey, client):
    p, a, _ = journey.answered()
    token = ps.issue_rating_link(p.id, world.supervisor)
    r = client.post(f"/public/rate/{token}/", {"value": "excellent"})
    assert r.status_code == 400 and "请选择满意、基本满意或不满意" in r.content.decode()
    assert not Rating.objects.exists()
    assert client.get(f"/public/rate/{'x' * 5000}/").status_code == 404
    r = client.post(f"/public/rate/{token}/", {"value": "satisfied", "comment": "好\x00"})
    assert r.status_code == 200 and Rating.objects.get().comment == "好"
