"""Cross-level scoping: each level sees what it handles and nothing else of the other level's
(一级抓一级, seed 001 art. 3; 分级负责, art. 5). The upper office follows what it sent down,
rolled up; the district office handles the upper items sent to it as a unit, and no other."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.items import selectors
from duban.items import services as svc
from duban.items.models import Report, Status

from .conftest import login

S = Status


@pytest.fixture
def scene(levels):
    """An upper item sent to the district and registered there; a city item the district has no
    part in; a district item of its own with no upper item; an attachment on each city item."""
    sent = levels.send_down(S.IN_PROGRESS, title="关于开展城镇燃气安全专项整治的督查事项")
    lower = levels.register(sent)
    other = levels.city.item_in(S.IN_PROGRESS, title="关于城区内涝点整治的督查事项")
    own = levels.district.item_in(S.IN_PROGRESS, title="东城区老旧小区改造督查事项")
    for item in (sent, other):
        svc.add_attachment(item.id, levels.city.supervisor, SimpleUploadedFile("交办通知.pdf", b"%PDF-1.4 x"))
    return levels, sent, lower, other, own


def visible(user):
    return set(selectors.items_visible_to(user))


def test_each_person_sees_exactly_their_level_and_part(scene):
    levels, sent, lower, other, own = scene
    city, d = levels.city, levels.district
    # The city office: its own items, none of the district's (not even the one registered from its own).
    assert visible(city.supervisor) == {sent, other}
    assert visible(city.office_head) == {sent, other}
    assert visible(city.principal) == {sent, other}
    # The district office: its own items, and of the city's only the one assigned to its unit.
    assert visible(levels.dc_supervisor) == {sent, lower, own}
    assert visible(levels.dc_office_head) == {sent, lower, own}
    # The district's leaders and departments work in the district only.
    assert visible(d.leader) == {lower, own}
    assert visible(d.principal) == {lower, own}
    assert visible(d.liaison["lead"]) == {lower, own}
    assert visible(d.head["lead"]) == {lower, own}
    # A city unit sees the items it handles, whichever level they came from.
    assert visible(city.liaison["lead"]) == {other}


def test_the_district_does_not_see_city_drafts_or_proposals_addressed_to_it(levels):
    draft = levels.city.draft(lead_unit=levels.link, co_units=[])
    svc.submit_proposal(draft.id, levels.city.supervisor)
    assert draft not in selectors.items_visible_to(levels.dc_supervisor)
    assert draft not in selectors.items_visible_to(levels.dc_office_head)


CITY_OUTSIDERS = ["city.supervisor", "city.office_head", "city.leader", "city.principal", "city.liaison.lead"]
DISTRICT_OUTSIDERS = ["district.leader", "district.principal", "district.liaison.lead", "district.head.lead",
                      "district.liaison.other"]


def who(levels, path):
    obj = levels
    for part in path.split("."):
        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
    return obj


@pytest.mark.parametrize("person", CITY_OUTSIDERS)
def test_the_city_cannot_open_the_districts_items_on_page_or_api(scene, client, as_user, person):
    levels, sent, lower, other, own = scene
    user = who(levels, person)
    c = login(client, user)
    for item in (lower, own):
        assert c.get(reverse("item_detail", args=[item.id])).status_code == 404
        assert c.post(reverse("item_action", args=[item.id, "log_urge"]), {"method": "phone", "summary": "x"}).status_code == 404
    api = as_user(user)
    for item in (lower, own):
        assert api.get(f"/items/{item.id}").status_code == 404


@pytest.mark.parametrize("person", DISTRICT_OUTSIDERS + ["city.liaison.other"])
def test_only_the_district_office_among_the_district_opens_the_upper_item(scene, client, as_user, person):
    """The district's own departments and leaders work on the district's item, not the city's."""
    levels, sent, lower, other, own = scene
    user = who(levels, person)
    assert login(client, user).get(reverse("item_detail", args=[sent.id])).status_code == 404
    assert as_user(user).get(f"/items/{sent.id}").status_code == 404
    att = sent.attachments.get()
    assert client.get(reverse("attachment_download", args=[att.token])).status_code == 404


def exported_numbers(c) -> set[str]:
    rows = csv.reader(io.StringIO(c.get(reverse("item_export")).content.decode("utf-8-sig")))
    return {row[0] for row in list(rows)[1:]}


def test_lists_search_and_export_keep_to_each_level(scene, client, as_user):
    levels, sent, lower, other, own = scene
    c = login(client, levels.city.supervisor)
    listed = c.get(reverse("item_list")).content.decode()
    assert sent.title in listed and other.title in listed and own.title not in listed
    assert lower.number not in listed  # the district's copy has the same title; its number never shows
    assert own.title not in c.get(reverse("item_list") + "?q=老旧小区").content.decode()
    assert exported_numbers(c) == {sent.number, other.number}
    titles = [i["number"] for i in as_user(levels.city.supervisor).get("/items").json()["results"]]
    assert sorted(titles) == sorted([sent.number, other.number])
    assert as_user(levels.city.supervisor).get("/items", {"q": "东督"}).json()["count"] == 0

    c = login(client, levels.dc_supervisor)
    listed = c.get(reverse("item_list")).content.decode()
    assert sent.number in listed and lower.number in listed and own.title in listed and other.title not in listed
    assert other.title not in c.get(reverse("item_list") + "?q=内涝").content.decode()
    assert exported_numbers(c) == {sent.number, lower.number, own.number}
    numbers = {i["number"] for i in as_user(levels.dc_supervisor).get("/items").json()["results"]}
    assert numbers == {sent.number, lower.number, own.number}


def test_the_district_office_cannot_reach_other_city_items(scene, client, as_user):
    levels, sent, lower, other, own = scene
    for user in (levels.dc_supervisor, levels.dc_office_head):
        c = login(client, user)
        assert c.get(reverse("item_detail", args=[other.id])).status_code == 404
        assert c.post(reverse("item_action", args=[other.id, "draft_report"]), {"kind": "progress", "body": "x"}).status_code == 404
        assert as_user(user).get(f"/items/{other.id}").status_code == 404
        assert as_user(user).post(f"/items/{other.id}/accept", {"responsible_person": "x"}).status_code == 404
        assert c.get(reverse("attachment_download", args=[other.attachments.get().token])).status_code == 404
        assert as_user(user).get(f"/attachments/{other.attachments.get().token}").status_code == 404
        # The attachment of the item the district handles downloads.
        r = c.get(reverse("attachment_download", args=[sent.attachments.get().token]))
        assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 x"


def test_the_district_office_is_the_unit_on_the_upper_item_not_its_office(scene):
    """On the city's item the district office acts as a unit: no office actions there, and its
    drafts are its own (a co-unit sees only its own reports)."""
    levels, sent, lower, other, own = scene
    actions = {t.action for t in selectors.actions_for(levels.dc_office_head, sent)}
    assert actions == {"draft_report", "request_extension"}
    assert {t.action for t in selectors.actions_for(levels.city.supervisor, sent)} >= {"log_urge", "reassign"}
    draft = svc.draft_report(sent.id, levels.dc_supervisor, kind=Report.Kind.PROGRESS, body="区级草稿")
    assert list(selectors.reports_visible_on(levels.dc_office_head, sent)) == [draft]
    assert not selectors.reports_visible_on(levels.city.supervisor, sent).exists()
    assert selectors.can_upload(levels.dc_supervisor, sent, report=draft)
    assert not selectors.can_upload(levels.dc_supervisor, sent)  # the item's own files are the city office's
    assert not selectors.can_upload(levels.city.liaison["lead"], sent, report=draft)


def test_a_district_office_is_not_the_upper_office_on_its_own_item_either(scene):
    """The district's office head is not the city's office head: a secret city item sent to
    another unit stays hidden from it."""
    levels, *_ = scene
    secret = levels.city.item_in(S.IN_PROGRESS, is_secret=True, title="涉密事项甲")
    assert secret not in selectors.items_visible_to(levels.dc_office_head)
    assert secret in selectors.items_visible_to(levels.city.office_head)


def test_the_signed_in_person_brings_the_unit_standing_for_their_organisation(scene, client):
    """Every page asks acting_for(user): the district office learns that it answers for the city's
    unit from the person's own read (PeopleBackend), not from a query of its own per page; and it
    still opens the upper item and lists it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    levels, sent, lower, other, own = scene
    for user, sees_upper in ((levels.dc_supervisor, True), (levels.city.supervisor, True),
                             (levels.district.liaison["lead"], False)):
        c = login(client, user)
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(reverse("item_list"))
        assert r.status_code == 200
        assert (f'href="{reverse("item_detail", args=[sent.id])}"' in r.content.decode()) is sees_upper
        assert not [q for q in ctx.captured_queries if '"orgs_unit"."org_link_id" =' in q["sql"]]
        assert c.get(reverse("item_detail", args=[sent.id])).status_code == (200 if sees_upper else 404)
