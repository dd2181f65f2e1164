"""Connections the operations commands need beside ``default``: the libpq environment of a
PostgreSQL database (for pg_dump) and a second Django connection to an SQLite file."""

from __future__ import annotations

import os

from django.db import connections


def libpq_env(settings_dict: dict) -> dict[str, str]:
    """The environment that points pg_dump/pg_restore/psql at a Django PostgreSQL database (the
    password travels in the environment, never on a command line that `ps` shows)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    return env


def add_alias(alias: str, settings_dict: dict) -> str:
    """Register ``alias`` as one more Django connection, beside those of settings.DATABASES."""
    connections.settings[alias] = connections.configure_settings({"default": dict(settings_dict)})["default"]
    return alias


def add_sqlite_alias(alias: str, path) -> str:
    """Register ``alias`` as a Django connection to the SQLite file ``path`` (read as is: no
    migration runs on it)."""
    return add_alias(alias, {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": {"timeout": 20}})


def remove_alias(alias: str) -> None:
    if alias in connections.settings:
        try:
            connections[alias].close()
        finally:
            del connections.settings[alias]
            try:
                delattr(connections._connections, alias)
            except AttributeError:
                pass
