"""A deadline in a year whose schedule is unknown is provisional and is recomputed, with the units
told on the timeline, when the year's schedule is entered (issue 2, "Deadlines")."""

import datetime as dt

import pytest

from duban.deadlines import services as deadlines
from duban.items.models import ItemKind, Status

from ..factories import aware


@pytest.mark.django_db(transaction=True)
def test_publishing_2027_recomputes_provisional_deadlines_and_records_it(world):
    # Deputy suggestion assigned 2026-12-15: three months on is 2027-03-15, a Monday (provisional).
    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 12, 15), kind=ItemKind.DEPUTY_SUGGESTION)
    assert item.deadline == dt.date(2027, 3, 15) and item.deadline_provisional
    # Suppose the State Council made 2027-03-15 a holiday: the period ends on the next working day.
    deadlines.publish_year(
        2027, [(dt.date(2027, 3, 15), "假想假日")], [], source="测试通知")
    item.refresh_from_db()
    assert not item.deadline_provisional
    assert item.deadline == dt.date(2027, 3, 16)
    event = item.events.get(action="deadline_recomputed")
    assert "2027年03月15日" in event.comment and "2027年03月16日" in event.comment


@pytest.mark.django_db(transaction=True)
def test_publishing_leaves_final_deadlines_alone(world):
    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 3, 2))
    deadlines.publish_year(2027, [(dt.date(2027, 1, 1), "元旦")], [], source="测试通知")
    assert not item.events.filter(action="deadline_recomputed").exists()


@pytest.mark.django_db(transaction=True)
def test_units_are_told_in_their_inbox_when_the_deadline_is_settled(world):
    from duban.notify.models import Notification

    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 12, 15), kind=ItemKind.DEPUTY_SUGGESTION)
    deadlines.publish_year(2027, [(dt.date(2027, 3, 15), "假想假日")], [], source="测试通知")
    told = Notification.objects.filter(item=item, kind="deadline_changed")
    assert {n.recipient for n in told} == {world.liaison["lead"], world.head["lead"], world.liaison["co"], world.head["co"]}
