from django.core.management.base import BaseCommand

from duban.deadlines.models import CalendarYear
from duban.items.models import Item
from duban.items.services import recompute_provisional_deadlines


class Command(BaseCommand):
    help = "Recompute provisional deadlines that fall in years whose schedule is now published (idempotent)."

    def handle(self, *args, **options):
        published = set(CalendarYear.objects.filter(published=True).values_list("year", flat=True))
        years = {d.year for d in Item.objects.filter(deadline_provisional=True).dates("deadline", "year")}
        total = 0
        for year in sorted(years & published):
            total += recompute_provisional_deadlines(year)
        self.stdout.write(f"重算暂定时限 {total} 件")
