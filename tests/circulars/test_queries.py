"""The circular pages make a fixed number of queries whatever the number of units named or items
counted (pages are measured for render time)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.circulars import services

from .conftest import issue_one


def count(client, url):
    with CaptureQueriesContext(connection) as q:
        r = client.get(url)
    assert r.status_code == 200
    return len(q)


def test_the_detail_and_list_pages_make_a_fixed_number_of_queries(client, world, draft):
    client.force_login(world.supervisor)
    detail = reverse("circulars:detail", args=[draft.id])
    client.get(detail)  # the first request after signing in stamps the session's renewal
    few = count(client, detail)
    for key in ("lead", "co"):
        services.add_mention(draft.id, world.supervisor, unit=world.units[key], kind="criticism", facts="逾期。")
    assert count(client, detail) == few
    issue_one(world, draft, criticise="other")
    client.force_login(world.liaison["lead"])
    client.get(detail)
    assert count(client, detail) <= few
    listing = count(client, reverse("circulars:list"))
    services.draft_circular(world.org, world.supervisor, kind="weekly", period_start=draft.period_start,
                            period_end=draft.period_start)
    # 8 of its own, plus the session's renewal (once a minute) and the second-factor check.
    assert count(client, reverse("circulars:list")) == listing <= 10
