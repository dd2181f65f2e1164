"""Periodic work, run by huey's consumer (`manage.py run_huey`); each run is idempotent."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .ladder import sweep


@db_periodic_task(crontab(minute="*/15"))
@lock_task("ladder-sweep")
def sweep_ladder():
    return sweep()
