"""An item goes down a level: the district office receives it in its inbox, signs for it in its
unit's name, registers it in its own series and hands it to its own units (一级抓一级, seed 001
art. 3; each level carries out the upper level's supervised work, art. 5)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from duban.items import selectors
from duban.items import services as svc
from duban.items.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from duban.items.models import Item, Status

from ..factories import aware
from .conftest import login

S = Status


def buckets(user):
    return {key: list(qs) for key, _, qs in selectors.worklist(user)}


def test_the_district_office_finds_the_upper_item_in_its_inbox_and_signs_for_it(levels):
    """Seed 001 art. 7(3): the receiving unit names its responsible person; art. 5: the district
    answers for carrying out the upper level's work."""
    upper = levels.send_down()
    for person in (levels.dc_supervisor, levels.dc_office_head):
        assert upper in buckets(person)["to_accept"]
    assert upper in selectors.items_visible_to(levels.dc_supervisor)

    svc.accept(upper.id, levels.dc_supervisor, responsible_person="何志强", responsible_phone="0931-8600001")
    upper.refresh_from_db()
    assert upper.status == S.IN_PROGRESS
    a = upper.assignments.get()
    assert a.unit == levels.link and a.responsible_person == "何志强"
    assert upper.events.last().actor == levels.dc_supervisor
    assert upper in buckets(levels.dc_supervisor)["handling"]
    assert upper not in buckets(levels.dc_supervisor)["to_accept"]


def test_the_district_office_signs_as_a_co_unit_too(levels):
    upper = levels.send_down(co=True)
    svc.accept(upper.id, levels.city.liaison["lead"], responsible_person="张三")
    assert upper in buckets(levels.dc_supervisor)["to_accept"]
    svc.accept_as_co(upper.id, levels.dc_supervisor, responsible_person="何志强")
    assert upper.assignments.get(unit=levels.link).state == "accepted"


def test_the_district_office_can_send_an_item_back_as_not_its_business(levels):
    upper = levels.send_down()
    svc.decline(upper.id, levels.dc_office_head, comment="属市级事权，不属本区职责")
    upper.refresh_from_db()
    assert upper.status == S.DECLINED
    assert upper in buckets(levels.city.supervisor)["to_reassign"]


def test_registering_makes_a_district_draft_linked_to_the_upper_item(levels):
    """The upper number stays as a reference (issue 4, point 6)."""
    t0 = aware(2026, 11, 2)
    upper = levels.send_down(S.IN_PROGRESS, now=t0)
    lower = svc.register_lower(upper.id, levels.dc_supervisor, now=t0)
    assert lower.org == levels.district.org and lower.status == S.DRAFT and lower.number == ""
    assert lower.upper_item == upper and lower.drafter == levels.dc_supervisor
    assert (lower.title, lower.content, lower.kind, lower.urgency) == (upper.title, upper.content, upper.kind, upper.urgency)
    assert f"{levels.city.org.name} {upper.number}" in lower.source_text
    # Registered the same day, the district's own rule gives the same date as the city's.
    assert lower.deadline == upper.deadline and lower.deadline_override_reason == ""
    assert lower.lead_unit is None and lower.responsible_leader is None
    assert "由上级事项" in lower.events.get().comment
    last = upper.events.order_by("-id").first()
    assert last.action == "register_lower" and last.actor == levels.dc_supervisor
    assert last.data == {"org": levels.district.org.name}
    assert lower in buckets(levels.dc_supervisor)["drafts"]


def test_a_later_rule_date_gives_way_to_the_upper_deadline(levels):
    """A lower level never gives its units longer than the upper level gave it."""
    upper = levels.send_down(S.IN_PROGRESS, now=aware(2026, 11, 2))
    lower = svc.register_lower(upper.id, levels.dc_supervisor, now=aware(2026, 11, 4))
    assert lower.deadline == upper.deadline
    assert lower.deadline_override_reason == "按上级交办时限" and lower.deadline_rule is None


def test_the_district_edits_completes_and_approves_under_its_own_number(levels, client):
    t0 = aware(2026, 11, 2)
    upper = levels.send_down(S.IN_PROGRESS, now=t0)
    lower = svc.register_lower(upper.id, levels.dc_supervisor, now=t0)
    with pytest.raises(InvalidInput) as err:
        svc.submit_proposal(lower.id, levels.dc_supervisor, now=t0)
    assert err.value.field == "lead_unit"

    d = levels.district
    too_late = svc.DraftFields(title=lower.title, content=lower.content, kind=lower.kind, urgency=lower.urgency,
                               lead_unit=d.units["lead"], co_units=[], responsible_leader=d.leader,
                               deadline=upper.deadline + dt.timedelta(days=3), deadline_override_reason="情况复杂")
    with pytest.raises(InvalidInput) as err:
        svc.update_draft(lower.id, levels.dc_supervisor, too_late, now=t0)
    assert err.value.field == "deadline" and "上级交办时限" in err.value.message
    # City units are not the district's to assign.
    with pytest.raises(InvalidInput):
        svc.update_draft(lower.id, levels.dc_supervisor, svc.DraftFields(
            title=lower.title, content=lower.content, kind=lower.kind, urgency=lower.urgency,
            lead_unit=levels.city.units["lead"], co_units=[], responsible_leader=d.leader), now=t0)

    svc.update_draft(lower.id, levels.dc_supervisor, svc.DraftFields(
        title=lower.title, content=lower.content, kind=lower.kind, urgency=lower.urgency,
        lead_unit=d.units["lead"], co_units=[d.units["co"]], responsible_leader=d.leader), now=t0)
    svc.submit_proposal(lower.id, levels.dc_supervisor, now=t0)
    # Approved by the district's leader days later: the rule's period, counted again from the
    # day of assignment, would now run past the city's deadline, so the city's date holds.
    svc.approve_proposal(lower.id, d.leader, now=aware(2026, 11, 6))
    lower.refresh_from_db()
    assert lower.number == "东督〔2026〕1号" and lower.org == d.org
    assert lower.deadline == upper.deadline and lower.deadline_override_reason == "按上级交办时限"
    assert upper.number.startswith("督〔2026〕")  # the city's series is untouched

    # The district's item page names the upper number, linked for the office that handles it.
    page = login(client, levels.dc_supervisor).get(reverse("item_detail", args=[lower.id])).content.decode()
    assert "上级事项编号" in page and f"{upper.number}</a>（{levels.city.org.name}）" in page
    # The district's own unit sees the number but cannot open the upper item: no link.
    page = login(client, d.liaison["lead"]).get(reverse("item_detail", args=[lower.id])).content.decode()
    assert f"{upper.number}（{levels.city.org.name}）" in page
    assert reverse("item_detail", args=[upper.id]) not in page


def test_the_district_hands_the_item_to_its_own_units(levels):
    """The district assigns and its own liaison signs: the district's procedure, not the city's."""
    upper = levels.send_down(S.IN_PROGRESS)
    lower = levels.register(upper, co_units=["co"])
    d = levels.district
    assert lower.status == S.ASSIGNED and lower.lead_unit == d.units["lead"]
    svc.accept(lower.id, d.liaison["lead"], responsible_person="梁敏")
    svc.accept_as_co(lower.id, d.liaison["co"], responsible_person="贾洋")
    d.file_report(lower, body="区住建局已排查隐患31处。")
    lower.refresh_from_db()
    assert lower.status == S.IN_PROGRESS and lower.reports.get().state == "submitted"
    # The city's people play no part in the district's item.
    with pytest.raises(PermissionDenied):
        svc.accept_as_co(lower.id, levels.city.liaison["co"], responsible_person="x")


def test_registering_needs_the_signature_first_and_happens_once(levels):
    upper = levels.send_down()  # assigned, not yet signed
    with pytest.raises(PermissionDenied):
        svc.register_lower(upper.id, levels.dc_supervisor)
    assert "register_lower" not in [t.action for t in selectors.actions_for(levels.dc_supervisor, upper)]
    svc.accept(upper.id, levels.dc_supervisor, responsible_person="何志强")
    upper.refresh_from_db()
    assert "register_lower" in [t.action for t in selectors.actions_for(levels.dc_office_head, upper)]
    for person in (levels.dc_supervisor, levels.dc_office_head):
        assert buckets(person)["to_register"] == [upper]
    assert "to_register" not in buckets(levels.city.supervisor)
    lower = svc.register_lower(upper.id, levels.dc_office_head)
    upper.refresh_from_db()
    assert buckets(levels.dc_supervisor)["to_register"] == []
    assert "register_lower" not in [t.action for t in selectors.actions_for(levels.dc_supervisor, upper)]
    with pytest.raises(TransitionNotAllowed) as err:
        svc.register_lower(upper.id, levels.dc_supervisor)
    assert "本级已登记" in err.value.message
    assert Item.objects.filter(upper_item=upper).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():  # and the database agrees
        Item.objects.create(org=lower.org, drafter=lower.drafter, title="x", content="x", upper_item=upper)


def test_a_co_unit_district_registers_too(levels):
    upper = levels.send_down(S.IN_PROGRESS, co=True)
    lower = levels.register(upper)
    assert lower.upper_item == upper and lower.number.startswith("东督")


def test_a_secret_upper_item_stays_secret_below(levels):
    """Seed 002 art. 7(5): the district office is named on it as its unit; its own copy is secret."""
    upper = levels.send_down(S.IN_PROGRESS, is_secret=True)
    assert upper in selectors.items_visible_to(levels.dc_office_head)
    assert upper in selectors.items_visible_to(levels.dc_supervisor)
    lower = svc.register_lower(upper.id, levels.dc_supervisor)
    assert lower.is_secret
    assert lower in selectors.items_visible_to(levels.dc_supervisor)  # the drafter
    assert lower not in selectors.items_visible_to(levels.district.leader)  # not named yet


def test_the_registration_button_opens_the_new_draft(levels, client):
    upper = levels.send_down(S.IN_PROGRESS)
    c = login(client, levels.dc_supervisor)
    page = c.get(reverse("item_detail", args=[upper.id])).content.decode()
    assert 'id="action-register_lower"' in page
    r = c.post(reverse("item_action", args=[upper.id, "register_lower"]), {"version": upper.version})
    lower = Item.objects.get(upper_item=upper)
    assert r.status_code == 302 and r.headers["Location"] == reverse("item_detail", args=[lower.id])
    page = c.get(r.headers["Location"]).content.decode()
    assert "已登记为本级草拟事项" in page and "修改" in page
    page = c.get(reverse("item_detail", args=[upper.id])).content.decode()
    assert 'id="action-register_lower"' not in page
