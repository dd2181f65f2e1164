import logging

from django.dispatch import receiver

from duban.deadlines.signals import schedule_published

log = logging.getLogger(__name__)


@receiver(schedule_published)
def recompute_deadlines_when_year_published(sender, year, **kwargs):
    """The year is already published when this runs: a failure here must not turn that into an
    error for the admin. `manage.py recompute_deadlines` finishes the work (idempotent)."""
    from .services import recompute_provisional_deadlines

    try:
        recompute_provisional_deadlines(year)
    except Exception:
        log.exception("recomputing provisional deadlines for %s failed; run manage.py recompute_deadlines", year)
