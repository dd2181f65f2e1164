"""Long choice lists load on demand (issue 13, point 1): a form renders only the units chosen, and
the others are searched as the person types, among the units of the person's own organisation."""

from __future__ import annotations

import re

from django.urls import reverse

from duban.orgs.models import Unit
from duban.web import forms

from ..factories import UnitFactory, World


def options(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert select, select_id
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1))


def many_units(world, n=40):
    return [UnitFactory(org=world.org, name=f"第{i}区住房局") for i in range(n)]


def test_the_item_list_renders_only_the_chosen_unit_and_offers_the_rest_by_search(client, world):
    many_units(world)
    client.force_login(world.supervisor)
    page = client.get(reverse("item_list")).content.decode()
    assert options(page, "id_unit") == ["全部单位"]
    assert 'data-lookup="/lookup/units/"' in page
    chosen = world.units["co"]
    page = client.get(reverse("item_list"), {"unit": chosen.id}).content.decode()
    assert options(page, "id_unit") == ["全部单位", chosen.name]


def test_the_reassign_form_on_the_item_page_renders_no_unit_list(client, world):
    many_units(world)
    item = world.item_in("declined")
    client.force_login(world.supervisor)
    page = client.get(reverse("item_detail", args=[item.id])).content.decode()
    assert page.count("<option") < 30, "the office's item page rendered every unit into 改派"
    assert 'data-lookup="/lookup/units/"' in page


def test_a_unit_never_rendered_is_still_accepted_and_a_foreign_one_refused(world):
    others = many_units(world, 3)
    form = forms.ReassignForm(world.org, {"lead_unit": others[2].id, "co_units": [others[0].id], "comment": ""})
    assert form.is_valid(), form.errors
    foreign = World("乙").units["lead"]
    form = forms.ReassignForm(world.org, {"lead_unit": foreign.id})
    assert not form.is_valid() and "lead_unit" in form.errors


def test_lookup_searches_the_own_organisations_handling_units(client, world):
    many_units(world, 60)
    foreign = World("乙")
    client.force_login(world.liaison["lead"])
    found = client.get(reverse("lookup", args=["units"]), {"q": "第1"}).json()["results"]
    names = [r["text"] for r in found]
    assert names and all(n.startswith("第1") for n in names)
    assert len(client.get(reverse("lookup", args=["units"])).json()["results"]) == 50  # a page, not all 63
    every = client.get(reverse("lookup", args=["units"]), {"q": "局"}).json()["results"]
    ids = {r["value"] for r in every}
    assert world.office.id not in ids and world.leadership.id not in ids  # not handling units
    assert not ids & {u.id for u in foreign.units.values()}
    # By short name too.
    Unit.objects.filter(pk=world.units["co"].pk).update(short_name="协办简称")
    assert [r["value"] for r in client.get(reverse("lookup", args=["units"]), {"q": "协办简称"}).json()["results"]] == [world.units["co"].id]


def test_lookup_needs_sign_in_and_a_known_list_and_survives_odd_input(client, world):
    r = client.get(reverse("lookup", args=["units"]), {"q": "局"})
    assert r.status_code == 302 and "/login/" in r.headers["Location"]
    client.force_login(world.supervisor)
    assert client.get(reverse("lookup", args=["people"])).status_code == 404
    assert client.get(reverse("lookup", args=["units"]), {"q": "\x00" + "局" * 500}).status_code == 200
