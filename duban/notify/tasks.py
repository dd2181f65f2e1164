"""Queue work for notifications, run by huey's consumer (`manage.py run_huey`); each is idempotent."""

import datetime as dt
import zoneinfo

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task, lock_task

from . import delivery

DIGEST_LOCAL_HOURS = (8, 9, 10, 11)  # 08:00, and a retry each hour of the morning for failed ones


def huey_hours(local_hours, tz_name=settings.TIME_ZONE) -> str:
    """Huey runs its clock in UTC (HUEY["utc"]); a crontab hour in local time must be converted.
    China keeps no daylight saving, so the conversion is the same all year."""
    if not HUEY.utc:
        return ",".join(str(h) for h in local_hours)
    tz, day = zoneinfo.ZoneInfo(tz_name), dt.date(2026, 1, 1)
    return ",".join(str(dt.datetime.combine(day, dt.time(h), tz).astimezone(dt.UTC).hour) for h in local_hours)


@db_task()
def deliver_now(delivery_ids):
    """Send what notify() just queued; whatever fails waits for the sweep."""
    return delivery.deliver_many(delivery_ids)


@db_periodic_task(crontab(minute="*"))
@lock_task("notify-sweep")
def sweep_deliveries():
    return delivery.sweep()


@db_periodic_task(crontab(hour=huey_hours(DIGEST_LOCAL_HOURS), minute="0"))
@lock_task("notify-digest")
def send_daily_digest():
    return delivery.send_digests()
