"""Sealing volumes and the year's archiving run on the background worker (see ledgers/tasks.py)."""

from huey.contrib.djhuey import db_task


@db_task()
def seal_volume_task(item_id: int, user_id: int) -> None:
    from duban.orgs.models import User

    from .services import seal_volume

    seal_volume(item_id, User.objects.get(pk=user_id))


@db_task()
def run_archive_job(job_id: int) -> None:
    from .services import run_archive_job as run

    run(job_id)
