"""Ledger jobs run on the background worker, so a 10,000-row import never holds a web request."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task


@db_task()
def run_ledger_job(job_id: int) -> None:
    from .services import run_job

    run_job(job_id)


@db_periodic_task(crontab(minute="*/15"))
@lock_task("ledger-abandoned-jobs")
def fail_abandoned_ledger_jobs() -> None:
    from .services import fail_abandoned_jobs

    fail_abandoned_jobs()
