"""``get_calendar()``: the official calendar read from the database once and kept in memory.

The cache must never answer with days that are not (or no longer) in the database:

* a save or delete of ``CalendarYear``/``CalendarDay`` in this process bumps a version, which
  every cached calendar is checked against;
* while this thread has calendar changes in an open transaction, it uses a calendar of its own,
  valid only while those changes are still pending; if they are rolled back (a failed savepoint,
  the end of a test) the calendar is read again, and other threads never see them;
* another process's changes (a publication in a different worker) are noticed by a small
  fingerprint query at most every ``RECHECK_SECONDS``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from duban.deadlines.calendar import WorkCalendar
from duban.deadlines.models import CalendarDay, CalendarYear

# How stale another process's publication may look here. Tests that count queries set it high in
# tests/settings.py, so the recheck does not land inside their measurement on a slow machine.
RECHECK_SECONDS = float(getattr(settings, "DUBAN_CALENDAR_RECHECK_SECONDS", 10.0))

_lock = threading.Lock()
_version = 0
_shared: _Entry | None = None
_local = threading.local()


@dataclass
class _Entry:
    calendar: WorkCalendar
    version: int
    fingerprint: tuple = ()
    checked_at: float = 0.0
    # For a thread's own calendar: the changes still pending in its transaction when it was read.
    pending: tuple = field(default=())


def get_calendar() -> WorkCalendar:
    """The calendar as this thread's database connection sees it."""
    global _shared
    alias = router.db_for_read(CalendarDay)
    pending = _pending_changes(alias)
    if pending:
        entry = getattr(_local, "entry", None)
        if entry is not None and entry.version == _version and entry.pending == pending:
            return entry.calendar
        version = _version
        _local.entry = _Entry(calendar=_read_calendar(alias), version=version, pending=pending)
        return _local.entry.calendar

    _local.entry = None
    entry = _shared
    now = time.monotonic()
    if entry is not None and entry.version == _version:
        if now - entry.checked_at < RECHECK_SECONDS:
            return entry.calendar
        if _fingerprint(alias) == entry.fingerprint:
            entry.checked_at = now
            return entry.calendar
    version = _version
    fingerprint = _fingerprint(alias)
    calendar = _read_calendar(alias)
    with _lock:
        # A change that happened while reading leaves the entry stale: the next call reads again.
        _shared = _Entry(calendar=calendar, version=version, fingerprint=fingerprint, checked_at=now)
    return calendar


def invalidate_calendar(using: str | None = None) -> None:
    """Forget cached calendars; for writes that send no model signals (bulk_create, update)."""
    _bump()
    alias = using or router.db_for_write(CalendarDay)
    connection = connections[alias]
    if connection.in_atomic_block:
        hook = _CommitHook()
        _pending_list().append(hook)
        transaction.on_commit(hook, using=alias)


def _read_calendar(alias: str) -> WorkCalendar:
    overrides = dict(CalendarDay.objects.using(alias).values_list("date", "is_workday"))
    published = CalendarYear.objects.using(alias).filter(published=True).values_list("year", flat=True)
    return WorkCalendar(overrides, published)


def _fingerprint(alias: str) -> tuple:
    years = CalendarYear.objects.using(alias).aggregate(n=Count("id"), last=Max("updated_at"))
    days = CalendarDay.objects.using(alias).aggregate(n=Count("id"), last=Max("updated_at"))
    return (years["n"], years["last"], days["n"], days["last"])


def _bump() -> None:
    global _version
    with _lock:
        _version += 1


class _CommitHook:
    """Runs when the transaction holding a calendar change commits."""

    def __call__(self):
        _bump()
        # Real commit hooks run after the outermost block has closed; a test that runs them by hand
        # (captureOnCommitCallbacks) is still inside its transaction, which will be rolled back.
        alias = router.db_for_write(CalendarDay)
        if not connections[alias].in_atomic_block:
            pending = _pending_list()
            if self in pending:
                pending.remove(self)


def _pending_list() -> list:
    if not hasattr(_local, "pending"):
        _local.pending = []
    return _local.pending


def _pending_changes(alias: str) -> tuple:
    """This thread's calendar changes whose transaction is still open (not committed, not rolled back)."""
    pending = _pending_list()
    if not pending:
        return ()
    # Django drops the commit hooks of a rolled-back transaction or savepoint: a change whose hook
    # is gone was either committed (the hook ran) or undone.
    registered = {id(func) for _sids, func, _robust in connections[alias].run_on_commit}
    pending[:] = [hook for hook in pending if id(hook) in registered]
    return tuple(pending)


@receiver(post_save, sender=CalendarDay)
@receiver(post_delete, sender=CalendarDay)
@receiver(post_save, sender=CalendarYear)
@receiver(post_delete, sender=CalendarYear)
def _calendar_changed(sender, using=None, **kwargs):
    invalidate_calendar(using)


@receiver(post_migrate)
def _database_reset(sender, **kwargs):
    # Migrations and the test runner's flush write the tables without model signals.
    _bump()

