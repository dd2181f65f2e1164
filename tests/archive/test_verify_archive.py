"""The event chain catches history rewritten with SQL behind the application's back: an edited,
a deleted and a reordered event, and a deleted last event (issue 10, point 5)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from duban.documents.archive import verify
from duban.items.models import ChainHead, Event, Status

pytestmark = pytest.mark.django_db


def sql(statement, params=()):
    with connection.cursor() as c:
        c.execute(statement, params)


def events_of(item):
    return list(Event.objects.filter(item=item).order_by("id"))


@pytest.fixture
def items(world):
    return [world.item_in(Status.IN_PROGRESS) for _ in range(3)]


def broken_ids(org):
    return {b.item_id: b.breaks for b in verify(org=org)[1]}


def test_untouched_history_verifies(world, items):
    checked, broken = verify(org=world.org)
    assert checked == 3 and broken == []
    call_command("verify_archive")  # raises CommandError on any break


def test_each_event_points_at_its_predecessor(world, items):
    evs = events_of(items[0])
    assert evs[0].prev_hash == "" and all(b.prev_hash == a.hash for a, b in zip(evs, evs[1:]))
    head = ChainHead.objects.get(item=items[0])
    assert (head.hash, head.length) == (evs[-1].hash, len(evs))


def test_an_event_edited_with_sql_is_reported(world, items):
    e = events_of(items[1])[1]
    sql("UPDATE items_event SET comment = %s WHERE id = %s", ["已改动的说明", e.id])
    broken = broken_ids(world.org)
    assert list(broken) == [items[1].id]
    assert any("被改动" in m for m in broken[items[1].id])


def test_an_event_deleted_with_sql_is_reported(world, items):
    e = events_of(items[0])[1]
    sql("DELETE FROM items_event WHERE id = %s", [e.id])
    broken = broken_ids(world.org)
    assert list(broken) == [items[0].id]
    assert any("删除" in m for m in broken[items[0].id])


def test_the_last_event_deleted_with_sql_is_reported(world, items):
    e = events_of(items[2])[-1]
    sql("DELETE FROM items_event WHERE id = %s", [e.id])
    assert list(broken_ids(world.org)) == [items[2].id]


def test_two_events_swapped_with_sql_are_reported(world, items):
    """Reordering: two rows exchange their place in the history (ids swapped through a spare id)."""
    a, b = events_of(items[0])[1:3]
    spare = Event.objects.order_by("-id").values_list("id", flat=True).first() + 1000
    sql("UPDATE items_event SET id = %s WHERE id = %s", [spare, a.id])
    sql("UPDATE items_event SET id = %s WHERE id = %s", [a.id, b.id])
    sql("UPDATE items_event SET id = %s WHERE id = %s", [b.id, spare])
    broken = broken_ids(world.org)
    assert list(broken) == [items[0].id]
    assert any("顺序" in m for m in broken[items[0].id])


def test_the_command_names_the_broken_item_and_fails(world, items, capsys):
    sql("UPDATE items_event SET action = %s WHERE id = %s", ["close", events_of(items[1])[0].id])
    with pytest.raises(CommandError, match="1个事项"):
        call_command("verify_archive", "--org", str(world.org.id))
    assert items[1].number in capsys.readouterr().out


def test_events_of_a_ledger_import_are_chained_too(world):
    """Event.objects.bulk_create (ledger import) appends to each item's chain as save() does."""
    item = world.item_in(Status.DRAFT)
    Event.objects.bulk_create([Event(item=item, action="create", comment=f"批量{i}") for i in range(3)])
    evs = events_of(item)
    assert all(b.prev_hash == a.hash for a, b in zip(evs, evs[1:]))
    assert ChainHead.objects.get(item=item).length == len(evs) == 4
    assert verify(org=world.org)[1] == []


def test_office_head_verifies_with_a_button_and_a_unit_cannot(client, world, items):
    sql("UPDATE items_event SET comment = 'x' WHERE id = %s", [events_of(items[0])[0].id])
    client.force_login(world.office_head)
    page = client.post("/archive/verify/")
    assert page.status_code == 200
    assert items[0].number in page.content.decode() and "被改动" in page.content.decode()
    client.force_login(world.liaison["lead"])
    assert client.post("/archive/verify/").status_code == 404
