from django.dispatch import receiver

from duban.deadlines.signals import schedule_published


@receiver(schedule_published)
def recompute_deadlines_when_year_published(sender, year, **kwargs):
    from .services import recompute_provisional_deadlines

    recompute_provisional_deadlines(year)
