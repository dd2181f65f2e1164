"""The tree's reads are single indexed queries (issue 4, "Engineering"): a roll-up of any node and
a subtree listing. Figures on 10,000 leaves: bench/ledger.py, bench/README.md."""

from __future__ import annotations

import pytest
from django.db import connection

from duban.ledgers import selectors
from duban.ledgers.models import PlanNode

from .test_tree_and_export import import_plan
from .conftest import row


@pytest.fixture
def plan(world, now):
    rows = [row(world, category=f"类别{c}", problem_no=c * 10 + p + 1, problem=f"问题{c}-{p}", measure=f"措施{c}-{p}-{m}")
            for c in range(3) for p in range(4) for m in range(3)]
    return import_plan(world, rows, now)


def test_a_roll_up_of_any_node_is_one_query(plan, django_assert_num_queries):
    category = PlanNode.objects.filter(plan=plan, level="category").order_by("path")[1]
    with django_assert_num_queries(1):
        r = selectors.rollup(selectors.leaf_items(plan, category))
    assert r.total == 12
    with django_assert_num_queries(1):
        assert selectors.rollup(selectors.leaf_items(plan)).total == 36


def test_listing_a_subtree_is_one_query(plan, django_assert_num_queries):
    problem = PlanNode.objects.filter(plan=plan, level="problem").order_by("path")[5]
    with django_assert_num_queries(1):
        assert len(list(selectors.leaf_items(plan, problem).values_list("id", "status"))) == 3


@pytest.mark.postgres
def test_the_subtree_range_uses_the_path_index(plan):
    category = PlanNode.objects.filter(plan=plan, level="category").order_by("path")[1]
    sql, params = selectors.leaf_items(plan, category).values("id").query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + sql, params)
        text = "\n".join(r[0] for r in cur.fetchall())
    assert "plan_node_path_unique" in text, text
    assert "~>=~" in text  # the LIKE prefix became an index range (varchar_pattern_ops)
