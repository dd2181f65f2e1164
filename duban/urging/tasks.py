"""Periodic work, run by huey's consumer (`manage.py run_huey`); each run is idempotent."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from .ladder import sweep
from .periodic import sweep_obligations


@db_periodic_task(crontab(minute="*/15"))
@lock_task("ladder-sweep")
def sweep_ladder():
    return sweep()


@db_periodic_task(crontab(minute="5", hour="*"))
@lock_task("report-obligations")
def sweep_report_obligations():
    return sweep_obligations()
