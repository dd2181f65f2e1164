import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from duban.urging.ladder import sweep
from duban.urging.periodic import sweep_obligations


class Command(BaseCommand):
    help = "Fire the escalation ladder's due rungs once (the worker runs this every 15 minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="pretend it is this moment (ISO 8601), for trials")

    def handle(self, *args, now=None, **options):
        if now:
            try:
                moment = dt.datetime.fromisoformat(now)
            except ValueError:
                raise CommandError("--now 应为 ISO 8601 时间，如 2026-10-12T09:00") from None
            now = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
        self.stdout.write(f"触发催办 {sweep(now=now)} 项")
        c = sweep_obligations(now=now)
        self.stdout.write(f"定期报告：新开 {c['opened']}，已报 {c['fulfilled']}，提醒 {c['reminded']}，缺报 {c['missed']}")
