"""``selectors.count_visible`` subtracts what the door keeps back, read from the item_kept_back
index alone (issue 13, point 1; bench/README.md, fifth round)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.items import selectors
from duban.items.models import Item, Status


@pytest.mark.postgres
def test_what_is_kept_back_is_read_from_its_index_alone(world):
    """For a leader (drafts and unnamed secret items) and a liaison (drafts, proposals awaiting
    approval and unnamed secret items), the kept-back part of the count reads item_kept_back and
    never the table: its condition must follow from the query's, and every column the query tests
    must be in the index. A rule added to the door's kept-back set and not to the index (another
    status, another column) brings the table back: this test names what is missing."""
    world.item_in(Status.IN_PROGRESS, is_secret=True)
    world.draft()
    (index,) = [i for i in Item._meta.indexes if i.name == "item_kept_back"]
    held = {Item._meta.get_field(f).column for f in [*index.fields, *index.include]}
    for person in (world.liaison["lead"], world.leader):
        with CaptureQueriesContext(connection) as ctx:
            selectors.count_visible(person)
        kept = [q["sql"] for q in ctx.captured_queries if '"is_secret"' in q["sql"]]
        assert len(kept) == 1, [q["sql"] for q in ctx.captured_queries]
        with connection.cursor() as cursor:
            # Few rows here: the planner would rather read the table. Forbid it, to ask whether
            # the index can answer at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("EXPLAIN (VERBOSE) " + kept[0])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        scans = re.findall(r"(Index Only Scan|Index Scan|Seq Scan|Bitmap Heap Scan) (?:Backward )?"
                           r"(?:using (\w+) )?on (?:public\.)?items_item (\w+)", plan)
        # Never the table: every read of items is answered by an index alone.
        assert scans and all(kind == "Index Only Scan" for kind, _, _ in scans), plan
        if person == world.liaison["lead"]:
            # The unit's kept-back set has no organisation to start from: its own index serves it.
            aliases = {a for _, name, a in scans if name == "item_kept_back"}
            assert aliases, plan
            used = {c for a in aliases for c in re.findall(rf"\b{a}\.(\w+)", plan)}
            assert used and used <= held, used - held
