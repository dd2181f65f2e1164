"""Signals other apps may listen to."""

from django.dispatch import Signal

# Sent after the transaction that published a year's official schedule has committed, with
# ``sender=CalendarYear`` and ``year=<int>``. Deadlines computed as provisional for that year can
# now be computed for good.
schedule_published = Signal()
