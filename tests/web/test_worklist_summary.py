"""The work list reads its buckets in one pass for a unit (issue 13, point 1); it must hold exactly
the items the bucket rules name, the same as the per-bucket querysets the API serves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.items import selectors
from duban.items import services as svc
from duban.items.models import Item, Report, Status

S = Status


@pytest.fixture
def busy(world):
    """Items in every state, some overdue, a co-unit's pending sign-off, reports at each step."""
    items = [world.item_in(s, title=f"事项{s}{i}") for i, s in enumerate(
        [S.DRAFT, S.PENDING_APPROVAL, S.ASSIGNED, S.ASSIGNED, S.IN_PROGRESS, S.IN_PROGRESS, S.IN_PROGRESS,
         S.UNDER_REVIEW, S.PENDING_LEADER, S.CLOSED, S.ARCHIVED, S.DECLINED])]
    overdue = items[5]
    Item.objects.filter(pk=overdue.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    r = svc.draft_report(items[6].id, world.liaison["lead"], kind=Report.Kind.PROGRESS, body="进展")
    svc.send_report_to_head(r.id, world.liaison["lead"])  # awaiting the head
    r = svc.draft_report(items[4].id, world.liaison["lead"], kind=Report.Kind.PROGRESS, body="进展二")
    svc.send_report_to_head(r.id, world.liaison["lead"])
    svc.approve_report(r.id, world.head["lead"])  # approved, waiting to be filed
    return items


@pytest.mark.parametrize("who", ["supervisor", "office_head", "leader", "principal", "liaison.lead",
                                 "liaison.co", "head.lead", "liaison.other"])
def test_the_summary_holds_what_each_bucket_rule_names(world, busy, who):
    kind, _, unit = who.partition(".")
    user = getattr(world, kind)[unit] if unit else getattr(world, kind)
    expected = {key: list(qs.values_list("id", flat=True)) for key, _, qs in selectors.worklist(user)}
    summary = selectors.worklist_summary(user, shown=2)
    assert [b.key for b in summary] == list(expected)
    for b in summary:
        assert b.count == len(expected[b.key]), b.key
        assert b.ids == expected[b.key][:2], b.key  # newest first, as the list
    if who == "liaison.lead":
        counts = {b.key: b.count for b in summary}
        assert counts["to_accept"] == 2 and counts["explanation"] == 1 and counts["reports_to_submit"] == 1
        assert counts["handling"] == 3


def test_view_all_opens_the_item_list_filtered_to_the_bucket(client, world, busy):
    client.force_login(world.liaison["lead"])
    page = client.get(reverse("worklist")).content.decode()
    assert f'{reverse("item_list")}?todo=handling' not in page  # 3 items: all shown, no link
    listed = client.get(reverse("item_list"), {"todo": "handling"}).content.decode()
    assert "待办：办理中（本单位主办）" in listed
    handling = {i.title for i in busy if i.status == S.IN_PROGRESS}
    assert all(t in listed for t in handling)
    assert "事项已交办2" not in listed and busy[2].title not in listed
    assert client.get(reverse("item_list"), {"todo": "nonsense"}).status_code == 200  # a bad key filters nothing out


def test_a_bucket_longer_than_shown_links_to_all_of_it(client, world, busy, monkeypatch):
    from duban.web.views import items as views

    monkeypatch.setattr(views, "WORKLIST_SHOWN", 1)
    client.force_login(world.liaison["lead"])
    page = client.get(reverse("worklist")).content.decode()
    assert f'{reverse("item_list")}?todo=handling">共 3 件，查看全部' in page


@pytest.mark.postgres
def test_a_units_work_is_read_from_the_live_items_index_alone(world, busy):
    """The busiest unit has 13,000 items, a fifth of them not archived: its work list reads those
    from item_live (a partial index holding every column the buckets test), one probe each from the
    unit's assignments, and never the table (bench/README.md, fourth round: 153 → 51 ms). A column
    added to the buckets and not to item_live, or a read that stops excluding archived items (the
    index's condition), brings the table back: this test names the column."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        selectors.worklist_summary(world.liaison["lead"], shown=10)
    (sql,) = [q["sql"] for q in ctx.captured_queries if '"w_handling"' in q["sql"]]
    assert """NOT ("items_item"."status" = 'archived')""" in sql
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (VERBOSE) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    used = {f.column for f in Item._meta.concrete_fields
            if re.search(rf"(?<![\w.]){f.column}\b|\bitems_item\.{f.column}\b", plan)}
    (index,) = [i for i in Item._meta.indexes if i.name == "item_live"]
    held = {Item._meta.get_field(f).column for f in [*index.fields, *index.include]}
    assert used and used <= held, used - held


def test_the_offices_extension_bucket_holds_the_items_with_a_pending_request_of_its_own(world, other_world):
    """Seed 001 art. 9: an extension is asked of the office, which decides it. The bucket names the
    items of the office's organisation whose request waits, not those decided nor another's."""
    waiting, decided = (world.item_in(S.IN_PROGRESS, title=t) for t in ("待审批", "已审批"))
    elsewhere = other_world.item_in(S.IN_PROGRESS, title="他处")
    asks = {}
    for item, liaison in ((waiting, world.liaison["lead"]), (decided, world.liaison["lead"]),
                          (elsewhere, other_world.liaison["lead"])):
        asks[item.pk] = svc.request_extension(item.id, liaison, until=item.deadline + dt.timedelta(days=30),
                                              reason="协调", progress="过半")
    svc.decide_extension(asks[decided.pk].id, world.supervisor, approve=False, comment="不同意")
    summary = {b.key: b for b in selectors.worklist_summary(world.supervisor, shown=10)}
    assert (summary["extensions"].count, summary["extensions"].ids) == (1, [waiting.pk])
    other = {b.key: b for b in selectors.worklist_summary(other_world.supervisor, shown=10)}
    assert other["extensions"].ids == [elsewhere.pk]
