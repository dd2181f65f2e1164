"""Ledger jobs run on the background worker, so a 10,000-row import never holds a web request."""

from huey.contrib.djhuey import db_task


@db_task()
def run_ledger_job(job_id: int) -> None:
    from .services import run_job

    run_job(job_id)
