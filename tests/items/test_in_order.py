"""Per-item collections are read without ORDER BY and sorted in Python (items.selectors.in_order):
the order must be the one the query, or the model's Meta, asks for."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.items import selectors
from duban.items import services as svc
from duban.items.models import Status, Urge

from ..factories import aware


def test_an_items_urges_come_in_the_order_they_happened_not_the_order_they_were_logged(world):
    item = world.item_in(Status.IN_PROGRESS)
    later = svc.log_urge(item.id, world.supervisor, method="phone", summary="第二次", occurred_at=aware(2026, 3, 5))
    earlier = svc.log_urge(item.id, world.supervisor, method="phone", summary="第一次", occurred_at=aware(2026, 3, 2))
    same_time = svc.log_urge(item.id, world.supervisor, method="visit", summary="同时", occurred_at=aware(2026, 3, 5))
    with CaptureQueriesContext(connection) as read:
        rows = selectors.in_order(item.urges.all())
    assert [u.pk for u in rows] == [earlier.pk, later.pk, same_time.pk]  # Meta: occurred_at, then id
    assert "ORDER BY" not in read.captured_queries[0]["sql"]
    newest_first = selectors.in_order(Urge.objects.filter(item=item).order_by("-occurred_at", "-id"))
    assert [u.pk for u in newest_first] == [same_time.pk, later.pk, earlier.pk]
    # an ordering through a relation is left to the database
    by_unit = selectors.in_order(Urge.objects.filter(item=item).order_by("unit__name", "id"))
    assert [u.pk for u in by_unit] == [later.pk, earlier.pk, same_time.pk]


def test_the_item_page_lists_urges_and_events_in_time_order(client, world):
    item = world.item_in(Status.IN_PROGRESS)
    svc.log_urge(item.id, world.supervisor, method="phone", summary="后登记的早先电话", occurred_at=aware(2026, 3, 5))
    svc.log_urge(item.id, world.supervisor, method="phone", summary="先登记的更早电话", occurred_at=aware(2026, 3, 2))
    client.force_login(world.supervisor)
    page = client.get(f"/items/{item.id}/").content.decode()
    assert page.index("先登记的更早电话") < page.index("后登记的早先电话")


def test_an_empty_value_sorts_as_postgresql_puts_it(world):
    """A report not yet filed has no submitted_at: last when ascending, first when descending."""
    item = world.item_in(Status.IN_PROGRESS)
    filed = world.file_report(item)
    draft = svc.draft_report(item.id, world.liaison["lead"], kind="progress", body="草稿")
    assert draft.submitted_at is None and filed.submitted_at is not None
    assert [r.pk for r in selectors.in_order(item.reports.order_by("submitted_at", "id"))] == [filed.pk, draft.pk]
    assert [r.pk for r in selectors.in_order(item.reports.order_by("-submitted_at", "id"))] == [draft.pk, filed.pk]
