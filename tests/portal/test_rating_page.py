"""The proposer's rating page: a personal link, no account, never cached (001 art. 10: the proposer
who disagrees with the answer is heard again)."""

from duban.proposals import services as ps
from duban.proposals.models import ProposalState, Rating


def live_link(world, journey):
    p, a, _ = journey.answered()
    return p, ps.issue_rating_link(p.id, world.supervisor)  # issued today, so it has not expired


def test_the_proposer_rates_without_an_account(world, journey, client):
    p, token = live_link(world, journey)
    page = client.get(f"/public/rate/{token}/")
    text = page.content.decode()
    assert page.status_code == 200 and "王建国" in text and "经研究，答复如下" in text
    assert "no-store" in page["Cache-Control"] and page["Referrer-Policy"] == "no-referrer"
    assert not page.cookies
    done = client.post(f"/public/rate/{token}/", {"value": "satisfied", "comment": "办得好"})
    assert done.status_code == 200 and "评价已提交" in done.content.decode()
    p.refresh_from_db()
    assert p.state == ProposalState.CLOSED
    assert Rating.objects.get().comment == "办得好"
    # Used once: the link is gone.
    assert client.get(f"/public/rate/{token}/").status_code == 404


def test_unsatisfied_without_a_reason_is_asked_again(world, journey, client):
    p, token = live_link(world, journey)
    r = client.post(f"/public/rate/{token}/", {"value": "unsatisfied", "comment": ""})
    assert r.status_code == 400 and "请填写意见" in r.content.decode()
    r = client.post(f"/public/rate/{token}/", {"value": "unsatisfied", "comment": "补助标准未答复"})
    assert "重新办理" in r.content.decode()
    p.refresh_from_db()
    assert p.round == 2


def test_a_wrong_token_shows_nothing_of_any_answer(world, journey, client):
    live_link(world, journey)
    for token in ("x", "A" * 43, "../../admin"):
        r = client.get(f"/public/rate/{token}/")
        assert r.status_code == 404 and "答复如下" not in r.content.decode()
