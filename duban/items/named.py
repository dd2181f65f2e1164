"""Who is named on an item (知悉人员): besides the office head, the only people who may read a
secret item (seed 002 art. 7(5): 涉密事项……严格控制知悉范围).

The set is derived from the item, never edited by hand: its drafter, its responsible leader and,
once it is registered, the liaisons and heads of its units (for a unit standing for a lower
organisation, that organisation's office: ``orgs.acting``). Whatever changes one of those — a draft
edit, 改派, a person who joins or leaves a unit or changes role, a unit linked to another lower
organisation — recomputes it, removing as well as adding (issue 8, point 1).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from duban.orgs.acting import acting_for, people_acting_for

from .models import Item, Status

UNREGISTERED = (Status.DRAFT, Status.PENDING_APPROVAL)
Named = Item.named_people.through


def entitled_ids(item: Item) -> set[int]:
    ids = {item.drafter_id}
    if item.responsible_leader_id:
        ids.add(item.responsible_leader_id)
    if item.status not in UNREGISTERED:
        unit_ids = list(item.assignments.values_list("unit_id", flat=True))
        ids.update(people_acting_for(unit_ids).values_list("id", flat=True))
    return ids


def sync_item(item: Item) -> None:
    """Make the item's named people exactly those entitled now."""
    want = entitled_ids(item)
    have = set(Named.objects.filter(item_id=item.pk).values_list("user_id", flat=True))
    if have - want:
        Named.objects.filter(item_id=item.pk, user_id__in=have - want).delete()
    if want - have:
        Named.objects.bulk_create([Named(item_id=item.pk, user_id=uid) for uid in want - have], ignore_conflicts=True)


def _entitled_items_q(user) -> Q:
    acting = acting_for(user)
    units = acting.liaison | acting.head
    q = Q(drafter_id=user.pk) | Q(responsible_leader_id=user.pk)
    if units:
        q |= Q(assignments__unit_id__in=units) & ~Q(status__in=UNREGISTERED)
    return q


def sync_person(user) -> None:
    """Make ``user``'s place on every item's named people follow their current unit and role.

    One person against all items in a handful of statements: a liaison who moves between units
    with thousands of items is one admin save, not thousands of item updates."""
    user.__dict__.pop("_acting", None)  # the unit or role just changed
    try:
        entitled_q = _entitled_items_q(user)
    finally:
        user.__dict__.pop("_acting", None)  # nor cache a place read before the caller finished
    entitled = Item.objects.filter(entitled_q).values("pk")
    Named.objects.filter(user_id=user.pk).exclude(item_id__in=entitled).delete()
    already = Named.objects.filter(item_id=OuterRef("pk"), user_id=user.pk)
    missing = Item.objects.filter(entitled_q).exclude(Exists(already)).values_list("pk", flat=True)
    Named.objects.bulk_create([Named(item_id=pk, user_id=user.pk) for pk in set(missing)], ignore_conflicts=True,
                              batch_size=1000)
