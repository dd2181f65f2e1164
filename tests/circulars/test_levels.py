"""Across levels (一级抓一级, seed 001 arts. 3, 5): the district's office answers for the city's unit
that stands for the district, so it receives and reads the city's issued circulars, and never the
city's drafts; the city's office sees nothing of the district's own circulars."""

from django.urls import reverse

from duban.circulars import services
from duban.notify.models import Notification
from tests.counting.period import END, START
from tests.factories import aware
from tests.crosslevel.conftest import levels  # noqa: F401  (fixture: a city and its district)


def draft_of(world):
    return services.draft_circular(world.org, world.supervisor, kind="monthly", period_start=START, period_end=END)


def test_the_district_office_reads_the_citys_issued_circular_and_not_its_drafts(levels, client):
    lv = levels
    city = lv.city
    c = draft_of(city)
    client.force_login(lv.dc_supervisor)
    url = reverse("circulars:detail", args=[c.id])
    assert client.get(url).status_code == 404
    services.submit(c.id, city.supervisor)
    services.approve(c.id, city.principal)
    services.issue(c.id, city.supervisor, now=aware(2026, 11, 6))
    assert client.get(url).status_code == 200
    assert Notification.objects.filter(url=url, recipient=lv.dc_supervisor).exists()
    assert Notification.objects.filter(url=url, recipient=lv.dc_office_head).exists()
    # the district's own circular is the district's: the city office never sees it, even issued
    own = draft_of(lv.district)
    services.submit(own.id, lv.district.supervisor)
    services.approve(own.id, lv.district.principal)
    own = services.issue(own.id, lv.district.supervisor, now=aware(2026, 11, 6))
    assert own.number == "督查通报〔2026〕第1期"  # the district's own series
    client.force_login(city.supervisor)
    assert client.get(reverse("circulars:detail", args=[own.id])).status_code == 404
    # the district's principal cannot approve the city's circulars
    c2 = draft_of(city)
    services.submit(c2.id, city.supervisor)
    client.force_login(lv.district.principal)
    assert client.get(reverse("circulars:detail", args=[c2.id])).status_code == 404
