"""Visibility: every way items leave the system denies a user of another unit (issue 2, "Visibility")."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.items import selectors
from duban.items import services as svc
from duban.items.models import Report, Status

S = Status


@pytest.fixture
def item(world):
    item = world.item_in(S.IN_PROGRESS, title="关于城区内涝点整治的督查事项")
    svc.add_attachment(item.id, world.supervisor, SimpleUploadedFile("方案.pdf", b"%PDF-1.4 secret"))
    return item


def login(client, user):
    client.force_login(user)
    return client


def test_selector_scopes_by_role_and_unit(world, other_world, item):
    draft = world.draft(title="草拟中的事项")
    assert set(selectors.items_visible_to(world.supervisor)) == {item, draft}
    assert set(selectors.items_visible_to(world.leader)) == {item}  # leaders do not see the office's drafts
    assert set(selectors.items_visible_to(world.liaison["lead"])) == {item}
    assert set(selectors.items_visible_to(world.head["co"])) == {item}
    assert set(selectors.items_visible_to(world.liaison["other"])) == set()
    assert set(selectors.items_visible_to(other_world.supervisor)) == set()
    assert set(selectors.items_visible_to(other_world.principal)) == set()


def test_secret_item_seen_only_by_named_people_and_office_head(world):
    """Seed 002 art. 7(5): 保守秘密制度."""
    secret = world.item_in(S.IN_PROGRESS, is_secret=True)
    assert secret in selectors.items_visible_to(world.office_head)
    assert secret in selectors.items_visible_to(world.supervisor)  # the drafter
    assert secret in selectors.items_visible_to(world.leader)  # the responsible leader
    assert secret in selectors.items_visible_to(world.liaison["lead"])
    assert secret not in selectors.items_visible_to(world.other_leader)
    assert secret not in selectors.items_visible_to(world.principal)
    assert secret not in selectors.items_visible_to(world.liaison["other"])


def test_list_page_hides_other_units_items(client, world, item):
    assert item.title in login(client, world.liaison["lead"]).get(reverse("item_list")).content.decode()
    client.logout()
    page = login(client, world.liaison["other"]).get(reverse("item_list")).content.decode()
    assert item.title not in page and "没有符合条件的事项" in page


def test_search_hides_other_units_items(client, world, item):
    url = reverse("item_list") + "?q=内涝"
    assert item.title in login(client, world.liaison["lead"]).get(url).content.decode()
    client.logout()
    assert item.title not in login(client, world.liaison["other"]).get(url).content.decode()


def test_detail_page_denies_other_unit(client, world, other_world, item):
    assert login(client, world.liaison["lead"]).get(reverse("item_detail", args=[item.id])).status_code == 200
    for outsider in (world.liaison["other"], world.head["other"], other_world.supervisor):
        client.force_login(outsider)
        assert client.get(reverse("item_detail", args=[item.id])).status_code == 404


def test_actions_deny_other_unit(client, world, item):
    login(client, world.liaison["other"])
    r = client.post(reverse("item_action", args=[item.id, "draft_report"]), {"kind": "progress", "body": "x"})
    assert r.status_code == 404
    assert not item.reports.exists()


def test_attachment_download_denies_other_unit(client, world, other_world, item):
    att = item.attachments.get()
    url = reverse("attachment_download", args=[att.token])
    r = login(client, world.liaison["lead"]).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 secret"
    for outsider in (world.liaison["other"], other_world.office_head):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_co_unit_does_not_see_lead_units_drafts(world, item):
    svc.accept_as_co(item.id, world.liaison["co"], responsible_person="李四")
    svc.draft_report(item.id, world.liaison["lead"], kind=Report.Kind.PROGRESS, body="草稿")
    item.refresh_from_db()
    assert not selectors.reports_visible_on(world.liaison["co"], item).exists()
    assert selectors.reports_visible_on(world.liaison["lead"], item).exists()
    assert not selectors.reports_visible_on(world.supervisor, item).exists()


def test_the_lists_total_counts_only_what_the_user_may_see(client, world, item):
    """The pager's total is asked for separately (duban/web/paging.py): it must count what the list
    shows, not what exists; a secret item counts only for those named on it (seed 002 art. 7(5))."""
    secret = world.item_in(S.IN_PROGRESS, is_secret=True, title="涉密的内涝事项")
    url = reverse("item_list_count") + "?q=内涝"
    assert login(client, world.liaison["lead"]).get(url).content.decode() == "第 1 / 1 页，共 2 件"
    client.logout()
    assert login(client, world.liaison["other"]).get(url).content.decode() == "第 1 / 1 页，共 0 件"
    client.logout()
    assert login(client, world.principal).get(url).content.decode() == "第 1 / 1 页，共 1 件"
    assert secret not in selectors.items_visible_to(world.principal)
    client.logout()
    assert client.get(url).status_code == 302  # signed out: to the login page


def test_the_unfiltered_total_counts_what_the_door_lets_through_for_every_role(client, world, other_world, item):
    """``selectors.count_visible`` counts what is in reach less what the door keeps back (issue 13):
    it must agree with ``items_visible_to`` for every person, drafts and secret items included
    (seed 002 art. 7(5)), and the list's total and the API's ``count`` use it when nothing is
    filtered."""
    from duban.api.models import ApiToken
    from tests.factories import UserFactory
    from duban.orgs.models import Role

    world.draft(title="草拟中")
    pending = world.draft(title="待审批")
    svc.submit_proposal(pending.id, world.supervisor)
    secret = world.item_in(S.IN_PROGRESS, is_secret=True, title="涉密的事项")
    world.item_in(S.DECLINED, title="退回的事项")
    world.item_in(S.ARCHIVED, title="已归档的事项")
    other_world.item_in(S.IN_PROGRESS, title="另一组织的事项")
    # Staff of the lead unit: neither its liaison nor its head, so not named on the secret item.
    newcomer = UserFactory(unit=world.units["lead"], role=Role.STAFF)
    # A person whose unit belongs to another organisation than their own: sees nothing.
    astray = UserFactory(org=world.org, unit=other_world.units["lead"], role=Role.LIAISON)
    # A supervisor who did not draft the secret item: not named on it either.
    colleague = UserFactory(unit=world.office, role=Role.SUPERVISOR)
    people = [world.supervisor, colleague, world.office_head, world.leader, world.other_leader, world.principal,
              *world.liaison.values(), *world.head.values(), newcomer, astray, other_world.liaison["lead"],
              other_world.supervisor]
    for person in people:
        assert selectors.count_visible(person) == selectors.items_visible_to(person).count(), person.username
    assert selectors.count_visible(world.liaison["lead"]) == 4  # the item, the secret, the declined, the archived
    assert selectors.count_visible(newcomer) == 3  # not the secret item
    assert secret not in selectors.items_visible_to(newcomer)
    assert selectors.count_visible(astray) == 0
    assert selectors.count_visible(world.office_head) == 6  # all, drafts and secret included
    assert selectors.count_visible(colleague) == 5  # not the secret item
    assert selectors.count_visible(world.other_leader) == 4  # neither the draft nor the secret item

    # The list's total and the API's count, unfiltered and filtered.
    label = login(client, newcomer).get(reverse("item_list_count")).content.decode()
    assert label == "第 1 / 1 页，共 3 件"
    assert client.get(reverse("item_list_count") + "?sort=deadline").content.decode() == label
    assert client.get(reverse("item_list_count") + "?q=涉密").content.decode() == "第 1 / 1 页，共 0 件"
    _, token = ApiToken.issue(newcomer)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    # Page 2: past the rows, so the count is counted rather than read off a short first page.
    assert client.get("/api/v1/items?page=2", **auth).json()["count"] == 3
    assert client.get("/api/v1/items?page=2&status=open", **auth).json()["count"] == 2  # with the declined one
    assert client.get("/api/v1/items?page=2&q=涉密", **auth).json()["count"] == 0


def test_export_hides_other_units_items(client, world, item):
    url = reverse("item_export")
    body = login(client, world.liaison["lead"]).get(url).content.decode("utf-8-sig")
    assert item.title in body
    client.logout()
    body = login(client, world.liaison["other"]).get(url).content.decode("utf-8-sig")
    assert item.title not in body


def test_admin_item_pages_respect_secrecy(client, world):
    from duban.orgs.models import Role

    secret = world.item_in(S.IN_PROGRESS, is_secret=True, title="涉密事项甲")
    admin_user = world.supervisor.__class__.objects.create_user(
        "sysadmin", password="x", org=world.org, unit=world.office, role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    assert "涉密事项甲" not in client.get(reverse("admin:items_item_changelist")).content.decode()
    assert client.get(reverse("admin:items_item_change", args=[secret.id])).status_code == 302
