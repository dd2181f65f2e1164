import logging

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from duban.deadlines.signals import schedule_published
from duban.orgs.models import Role, Unit, User

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


# --- named people follow people and units (issue 8, point 1) ----------------------------------------

_NAMING = ("unit_id", "role", "org_id")


@receiver(pre_save, sender=User)
def _remember_place(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"unit", "role", "org"} & set(update_fields):
        instance._place_before = tuple(getattr(instance, f) for f in _NAMING)  # e.g. last_login
        return
    instance._place_before = User.objects.filter(pk=instance.pk).values_list(*_NAMING).first()


@receiver(post_save, sender=User)
def renamed_when_person_moves(sender, instance, created, raw=False, **kwargs):
    """A liaison or head who leaves a unit leaves its secret items; one who joins is named on them."""
    if raw:
        return
    before = getattr(instance, "_place_before", None)
    if created or before != tuple(getattr(instance, f) for f in _NAMING):
        from .named import sync_person

        sync_person(instance)


@receiver(pre_save, sender=Unit)
def _remember_link(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._link_before = Unit.objects.filter(pk=instance.pk).values_list("org_link_id", flat=True).first()


@receiver(post_save, sender=Unit)
def renamed_when_unit_relinked(sender, instance, created, raw=False, **kwargs):
    """A unit that stands for another lower organisation: that office answers for it now."""
    if raw:
        return
    before = getattr(instance, "_link_before", None)
    if before == instance.org_link_id:
        return
    from .named import sync_person

    orgs = [o for o in (before, instance.org_link_id) if o]
    for person in User.objects.filter(org_id__in=orgs, role__in=(Role.SUPERVISOR, Role.OFFICE_HEAD)):
        sync_person(person)
