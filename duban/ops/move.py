"""Move an installation from the embedded SQLite file to PostgreSQL (issue 13, point 6;
docs/operations.md, "Moving from SQLite to PostgreSQL").

Every table of every installed app is copied row by row with its primary keys, inside one
transaction on PostgreSQL: the target is either the whole copy, verified, or left as it was
(migrated and empty). Values pass through the fields (read with the SQLite connection's converters,
written with PostgreSQL's), never through ``save()``: no ``auto_now`` or signal can change a
timestamp that an event's hash covers."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.migrations.executor import MigrationExecutor

from .inventory import concrete_models, referenced_files
from .manifest import pk_digest

# What `migrate` itself writes into a new database: content types and permissions (post_migrate)
# and the official calendar (deadlines 0002). The copy replaces them with the source's rows, whose
# ids the other tables point at. tests/ops/test_move.py checks this list against a fresh migrate.
FILLED_BY_MIGRATE = {"contenttypes.ContentType", "auth.Permission", "deadlines.CalendarDay", "deadlines.CalendarYear"}


class MoveRefused(Exception):
    """The move cannot start; nothing was written. The message says why, in Chinese and English."""


@dataclass
class TableCopy:
    label: str
    table: str
    rows: int
    seconds: float


@dataclass
class MoveResult:
    tables: list[TableCopy] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)
    items_checked: int = 0
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def unapplied_migrations(using: str) -> list[str]:
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


def target_ctype(using: str = "default") -> str:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def tables_with_data(using: str, *, ignore=FILLED_BY_MIGRATE) -> dict[str, int]:
    found = {}
    for model in concrete_models():
        if model._meta.label in ignore:
            continue
        n = model._base_manager.using(using).count()
        if n:
            found[model._meta.label] = n
    return found


def check_source(source: str) -> None:
    lacking = unapplied_migrations(source)
    if lacking:
        raise MoveRefused(
            f"SQLite 数据库尚未迁移到当前版本（缺少 {len(lacking)} 个迁移，如 {lacking[0]}）：请先对它运行 "
            f"`manage.py migrate`。/ The SQLite database lacks {len(lacking)} migration(s) of this version: "
            f"run `manage.py migrate` on it first.")


def check_target_empty(target: str = "default") -> None:
    lacking = unapplied_migrations(target)
    if lacking:
        raise MoveRefused(f"目标数据库尚未迁移（缺少 {lacking[0]} 等）/ the target is not migrated ({lacking[0]}…)")
    full = tables_with_data(target)
    if full:
        listed = "，".join(f"{label} {n}行" for label, n in sorted(full.items())[:10])
        raise MoveRefused(
            f"目标数据库不是空库，拒绝迁入：{listed}。请新建一个空数据库再运行。/ The target database already holds "
            f"data ({len(full)} table(s)); the move only writes into an empty, freshly migrated database.")


def _copy_table(model, source: str, target_connection, chunk: int = 2000) -> int:
    fields = list(model._meta.local_concrete_fields)
    qn = target_connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    rows = model._base_manager.using(source).order_by("pk").values_list(*[f.attname for f in fields])

    def prep(f, v):
        if v is None and isinstance(f, models.JSONField) and not f.null:
            # JSON null in a NOT NULL column reads back as None; write it as JSON null, not SQL NULL
            return f.get_db_prep_value(None, connection=target_connection)
        return f.get_db_prep_save(v, connection=target_connection)

    n = 0
    raw = target_connection.connection  # psycopg's own connection: COPY streams a table in one statement
    with raw.cursor() as cursor, cursor.copy(f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows.iterator(chunk_size=chunk):
            copy.write_row([prep(f, v) for f, v in zip(fields, row)])
            n += 1
    return n


def move(source: str, *, progress=None) -> MoveResult:
    """Copy every table from ``source`` to the empty default database in one transaction, reset
    the sequences, and verify (rows and primary keys per table, the events' hash chains, which
    ``verify_chains`` reads from the default database) before committing. Raises ``MoveRefused``
    before writing anything, or any error after, rolled back."""
    from duban.documents.archive import verify as verify_chains

    target = "default"
    started = time.monotonic()
    check_source(source)
    check_target_empty(target)
    conn = connections[target]
    all_models = concrete_models()
    result = MoveResult()
    with transaction.atomic(using=target):
        conn.ensure_connection()
        qn = conn.ops.quote_name
        with conn.cursor() as cursor:
            # Only the reference rows that migrate wrote are here (checked above); the source's
            # replace them with the ids its rows point at. Foreign keys are checked at commit
            # (Django creates them DEFERRABLE INITIALLY DEFERRED), so the order of tables is free.
            cursor.execute("TRUNCATE " + ", ".join(qn(m._meta.db_table) for m in all_models))
        for model in all_models:
            t0 = time.monotonic()
            n = _copy_table(model, source, conn)
            copied = TableCopy(model._meta.label, model._meta.db_table, n, time.monotonic() - t0)
            result.tables.append(copied)
            if progress:
                progress(copied)
        with conn.cursor() as cursor:
            for sql in conn.ops.sequence_reset_sql(no_style(), all_models):
                cursor.execute(sql)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # a dangling reference fails here, not later
        differs = []
        for model in all_models:
            src_n = model._base_manager.using(source).count()
            dst_n = model._base_manager.using(target).count()
            if src_n != dst_n:
                differs.append(f"{model._meta.label}: SQLite {src_n} ≠ PostgreSQL {dst_n}")
            elif pk_digest(model, source) != pk_digest(model, target):
                differs.append(f"{model._meta.label}: 主键不同 / primary keys differ")
        if differs:
            raise RuntimeError("复制后行数不符，已回滚 / counts differ after the copy, rolled back: " + "; ".join(differs))
        checked, broken = verify_chains()
        if broken:
            raise RuntimeError(
                f"{len(broken)}个事项的办理记录哈希链在 PostgreSQL 上不能通过核验，已回滚（先在 SQLite 上运行 "
                f"`manage.py verify_archive` 看是否原本就有问题）/ hash chains of {len(broken)} item(s) do not "
                f"verify on PostgreSQL; rolled back. First: {broken[0].breaks[:1]}")
        result.items_checked = checked
    from django.core.files.storage import default_storage

    result.missing_files = sorted({r.name for r in referenced_files(target) if not default_storage.exists(r.name)})
    result.seconds = time.monotonic() - started
    return result
