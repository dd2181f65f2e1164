"""The move from the embedded SQLite to PostgreSQL in one command, on the demo data (issue 13,
point 6; docs/operations.md, "Moving from SQLite to PostgreSQL")."""

import json
import sqlite3

import pytest

from duban.ops.inventory import concrete_models
from duban.ops.move import FILLED_BY_MIGRATE, tables_with_data

from .conftest import psql, run, sqlite_pass

pytestmark = sqlite_pass
PASSWORD = "duban-demo-2026"


def test_a_fresh_migrate_fills_only_the_tables_the_move_replaces(migrated_empty, django_alias):
    """The move accepts a target holding rows only in these tables; a new data migration that
    fills another one must be added to FILLED_BY_MIGRATE, or every move would be refused."""
    alias = django_alias("fresh", db=migrated_empty)
    assert set(tables_with_data(alias, ignore=set())) == FILLED_BY_MIGRATE


def test_every_table_arrives_with_its_rows_and_primary_keys(demo, moved, django_alias):
    var, _ = demo
    db, proc, _ = moved
    src, dst = django_alias("src", sqlite=var / "duban.sqlite3"), django_alias("dst", db=db)
    assert "迁移完成" in proc.stdout and "办理记录哈希链核验通过" in proc.stdout
    differs = {}
    for model in concrete_models():
        manager = model._base_manager
        n_src, n_dst = manager.using(src).count(), manager.using(dst).count()
        # the printed count per table is the copied one
        assert f"{model._meta.label:<42}{n_src:>8}" in proc.stdout
        sample_src = list(manager.using(src).order_by("pk").values()[:25])
        sample_dst = list(manager.using(dst).order_by("pk").values()[:25])
        if n_src != n_dst or sample_src != sample_dst:
            differs[model._meta.label] = (n_src, n_dst)
    assert not differs
    # The demo's work is there, with many-to-many and history tables, not only the basics.
    from duban.items.models import Attachment, Event, Item

    assert Item.objects.using(dst).count() > 200 and Event.objects.using(dst).count() > 2000
    assert Attachment.objects.using(dst).count() == 3
    labels_with_rows = {m._meta.label for m in concrete_models() if m._base_manager.using(dst).exists()}
    assert {"orgs.HistoricalUser", "items.Item_named_people", "items.Assignment"} <= labels_with_rows


def test_sequences_continue_after_the_copied_keys(moved):
    db, _, _ = moved
    (last,), = psql(db, "SELECT max(id) FROM items_event")
    (nextval,), = psql(db, "SELECT nextval(pg_get_serial_sequence('items_event', 'id'))")
    assert nextval > last


def test_json_null_in_a_not_null_column_arrives_as_json_null(moved):
    db, _, _ = moved
    assert psql(db, "SELECT figures IS NULL, figures::text FROM circulars_circular ORDER BY id LIMIT 1") == [
        (False, "null")]


def test_hash_chains_verify_and_a_demo_liaison_works_on_the_moved_database(demo, moved):
    var, attachments = demo
    db, _, _ = moved
    assert "办理记录与哈希链全部一致" in run(["manage.py", "verify_archive"], var=var, db=db).stdout
    seen = json.loads(run(["tests/ops/signin_check.py", "zjj_lly", PASSWORD], var=var, db=db).stdout.splitlines()[-1])
    assert seen["login_status"] == 302 and seen["worklist_status"] == 200
    assert seen["own_open_items"] > 0 and seen["titles_shown"] == seen["own_open_items"]
    # the files did not move: the attachments of the SQLite days download from the same store
    assert {token: status for token, (status, got, size) in seen["downloads"].items() if got == size} == {
        token: 200 for token in attachments}


def test_a_target_that_holds_data_is_refused_and_left_unchanged(demo, moved):
    var, _ = demo
    db, _, _ = moved
    before = psql(db, "SELECT count(*), max(id) FROM items_item")
    proc = run(["manage.py", "move_to_postgres", "--from", str(var / "duban.sqlite3")], var=var, db=db, check=False)
    assert proc.returncode == 1 and "目标数据库不是空库" in proc.stderr
    assert psql(db, "SELECT count(*), max(id) FROM items_item") == before


def test_a_failed_copy_leaves_the_target_empty(demo, migrated_empty, scratch_db, tmp_path, django_alias):
    """A reference that points nowhere (written behind the application's back) fails the copy at
    the foreign-key check; the transaction rolls back every table already copied."""
    var, _ = demo
    broken = tmp_path / "broken.sqlite3"
    with sqlite3.connect(var / "duban.sqlite3") as src, sqlite3.connect(broken) as dst:
        src.backup(dst)
    with sqlite3.connect(broken) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("UPDATE items_item SET lead_unit_id = 999999 WHERE id = (SELECT max(id) FROM items_item)")
    db = scratch_db(template=migrated_empty)
    proc = run(["manage.py", "move_to_postgres", "--from", str(broken)], var=var, db=db, check=False)
    assert proc.returncode != 0 and "items_item" in proc.stderr
    assert tables_with_data(django_alias("after_failure", db=db)) == {}


def test_an_unmigrated_source_is_refused_and_a_c_locale_target_is_warned_about(scratch_db, tmp_path):
    """Chinese search needs LC_CTYPE C.UTF-8 (docs/operations.md); the SQLite file must be migrated
    to this version first. Refused before the target is touched: it stays without tables."""
    db = scratch_db()
    psql("postgres", f"DROP DATABASE {db}")
    psql("postgres", f"CREATE DATABASE {db} TEMPLATE template0 LC_CTYPE 'C' LC_COLLATE 'C'")
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    proc = run(["manage.py", "move_to_postgres", "--from", str(empty)], var=tmp_path, db=db, check=False)
    assert "LC_CTYPE 是 'C'" in proc.stderr
    assert proc.returncode == 1 and "SQLite 数据库尚未迁移到当前版本" in proc.stderr
    assert psql(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]
