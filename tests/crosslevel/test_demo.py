"""The demo shows both ways of handling a district: 东城区 as an organisation of its own, which
receives the city's item in its unit's name and registers it under its own number, and 西城区 as a
plain unit of the city (一级抓一级, seed 001 arts. 3, 5)."""

from io import StringIO

from django.core.management import call_command

from duban.items import selectors
from duban.items.models import Item
from duban.orgs.models import Organization, Unit, User


def test_seed_demo_makes_the_district_an_organisation_with_its_people(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    city = Organization.objects.get(name="江川市人民政府")
    district = Organization.objects.get(name="东城区人民政府")
    assert (district.parent, district.short_name, district.number_prefix) == (city, "东城区", "东督")
    assert Unit.objects.get(org=city, short_name="东城区").org_link == district
    assert Unit.objects.get(org=city, short_name="西城区").org_link is None
    for username, org in [("dc_duchashi_zhuren", district), ("dc_duchayuan", district), ("dc_quzhang", district),
                          ("dc_fuquzhang", district), ("dc_zjj_lly", district), ("dc_zjj_fzr", district),
                          ("dc_jyj_lly", district), ("dc_jyj_fzr", district), ("xc_lly", city), ("zjj_lly", city),
                          ("duchayuan", city)]:
        assert User.objects.get(username=username).org == org
        line = next(x for x in text.splitlines() if x.startswith(username + " "))
        assert (org.short_name in line), line

    upper = Item.objects.get(org=city, title__contains="燃气")
    lower = Item.objects.get(org=district, upper_item=upper)
    assert lower.number.startswith("东督〔") and upper.number.startswith("督〔")
    (row,) = selectors.sent_down_progress(upper)
    assert row.number == lower.number and row.total == 1
    assert upper in selectors.items_visible_to(User.objects.get(username="dc_duchayuan"))
    assert upper.reports.get().unit.org_link == district  # the district's progress report, filed upward

    call_command("seed_demo", stdout=StringIO())  # again: nothing new
    assert Item.objects.filter(title__contains="燃气").count() == 2
