"""Background work: a photo's thumbnail and clean display copy, a video's copy without its
location and device boxes (tests run it inline)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task


@db_task(retries=2, retry_delay=30)
def process_media(media_id: int) -> None:
    from .services import process_media as run

    run(media_id)


@db_periodic_task(crontab(day_of_week="1", hour="1", minute="30"))
@lock_task("propose-rechecks")
def propose_due_rechecks() -> None:
    """Every Monday, each organisation's items that reached their 回头看 date by an ``after_close``
    rule join the list (a random sample is drawn only when the office asks: each draw is new)."""
    from duban.orgs.models import Organization

    from .models import RecheckRule
    from .services import propose_rechecks

    for org in Organization.objects.filter(recheck_rules__is_active=True, recheck_rules__kind="after_close").distinct():
        propose_rechecks(org, kinds=[RecheckRule.Kind.AFTER_CLOSE])
