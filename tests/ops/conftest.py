"""Scratch PostgreSQL databases and a seeded demo for the backup and move tests (issue 13, point 6).

These tests drive the real commands and scripts in subprocesses, against databases of their own
(named duban_backup_t<pid>_<n>, dropped afterwards), independent of the test database that
pytest-django creates. The demo is seeded once per session (about a minute): they run in one of the two
passes of scripts/test.sh as marked below, and skip where PostgreSQL or pg_dump is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG = {"host": "localhost", "port": 5432, "user": "postgres"}


def postgres_answers() -> bool:
    try:
        import psycopg

        psycopg.connect(dbname="postgres", connect_timeout=3, **PG).close()
        return True
    except Exception:
        return False


# Each heavy module seeds the demo (about a minute): the move's tests run in the SQLite pass of
# scripts/test.sh, the backup's in the PostgreSQL pass, so each pass gains about two minutes.
needs_postgres = [
    pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")),
                       reason="needs the PostgreSQL client programs (pg_dump, pg_restore, psql)"),
    pytest.mark.skipif(not postgres_answers(), reason="needs PostgreSQL on localhost:5432"),
]
sqlite_pass = [pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")),
                                  reason="seeds the demo: runs in the SQLite pass only"), *needs_postgres]
postgres_pass = [pytest.mark.skipif(not os.environ.get("DATABASE_URL"),
                                    reason="seeds the demo: runs in the PostgreSQL pass only (set DATABASE_URL)"),
                 *needs_postgres]


def url(db: str) -> str:
    return f"postgres://{PG['user']}@{PG['host']}:{PG['port']}/{db}"


def run(args, *, var: Path, db: str | None = None, check=True, timeout=600) -> subprocess.CompletedProcess:
    """A command as an operator runs it: production settings, DEBUG on only so that the demo key
    is accepted, the database and var/ directory given by the environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"DUBAN_DEBUG": "1", "DUBAN_VAR_DIR": str(var), "DUBAN_ALLOWED_HOSTS": "testserver",
            "DUBAN_PYTHON": sys.executable, "PYTHONUNBUFFERED": "1"}
    if db:
        env["DATABASE_URL"] = url(db)
    if args[0] == "manage.py" or args[0].endswith(".py"):
        args = [sys.executable, *args]
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def psql(db: str, sql: str):
    import psycopg

    with psycopg.connect(dbname=db, autocommit=True, **PG) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else None


@pytest.fixture(scope="session")
def scratch_db():
    """create(template=None) -> the name of a new database (C.UTF-8, as docs/operations.md says)."""
    made = []

    def create(template: str | None = None) -> str:
        name = f"duban_backup_t{os.getpid()}_{len(made)}"
        made.append(name)
        psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if template:
            psql("postgres", f"CREATE DATABASE {name} TEMPLATE {template}")
        else:
            psql("postgres", f"CREATE DATABASE {name} TEMPLATE template0 LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'")
        return name

    yield create
    for name in made:
        psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The demo seeded into a new SQLite file (DUBAN_VAR_DIR), with three attachments of random
    bytes added through the service. Returns (var dir, {token: sha256})."""
    import json

    var = tmp_path_factory.mktemp("demo-var")
    run(["manage.py", "migrate", "-v0"], var=var)
    run(["manage.py", "seed_demo"], var=var)
    made = json.loads(run(["tests/ops/add_attachments.py"], var=var).stdout.strip().splitlines()[-1])
    return var, made


@pytest.fixture(scope="session")
def demo_pg(scratch_db, tmp_path_factory):
    """The demo seeded straight into a new PostgreSQL database, with the same three attachments.
    Returns (database, var dir, {token: sha256})."""
    import json

    var, db = tmp_path_factory.mktemp("demo-pg-var"), scratch_db()
    run(["manage.py", "migrate", "-v0"], var=var, db=db)
    run(["manage.py", "seed_demo"], var=var, db=db)
    made = json.loads(run(["tests/ops/add_attachments.py"], var=var, db=db).stdout.strip().splitlines()[-1])
    return db, var, made


@pytest.fixture(scope="session")
def migrated_empty(scratch_db, tmp_path_factory):
    """An empty PostgreSQL database after `migrate`, used as a template for targets of the move."""
    db = scratch_db()
    run(["manage.py", "migrate", "-v0"], var=tmp_path_factory.mktemp("migrate-var"), db=db)
    return db


@pytest.fixture(scope="session")
def moved(demo, migrated_empty, scratch_db):
    """move_to_postgres of the demo into a new database; (name, the command's output, seconds)."""
    import sqlite3

    var, _ = demo
    # A JSON null in a NOT NULL JSON column (a row saved with None): it must arrive as JSON null,
    # not as an SQL NULL that would fail the whole move (test_move.py checks it arrived).
    with sqlite3.connect(var / "duban.sqlite3") as conn:
        conn.execute("UPDATE circulars_circular SET figures = 'null' WHERE id = (SELECT min(id) FROM circulars_circular)")
    conn.close()
    db = scratch_db(template=migrated_empty)
    started = time.monotonic()
    proc = run(["manage.py", "move_to_postgres", "--from", str(var / "duban.sqlite3")], var=var, db=db)
    return db, proc, time.monotonic() - started


@pytest.fixture
def django_alias(django_db_blocker):
    """alias(name, db=... or sqlite=...) -> a Django connection to a scratch database, in-process."""
    from duban.ops.dbtools import add_alias, add_sqlite_alias, remove_alias

    made = []

    def alias(name, *, db=None, sqlite=None):
        if sqlite:
            add_sqlite_alias(name, sqlite)
        else:
            add_alias(name, {"ENGINE": "django.db.backends.postgresql", "NAME": db, "USER": PG["user"],
                             "HOST": PG["host"], "PORT": str(PG["port"])})
        made.append(name)
        return name

    with django_db_blocker.unblock():
        yield alias
        for name in made:
            remove_alias(name)
