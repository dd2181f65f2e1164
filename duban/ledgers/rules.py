"""The ledgers' one date rule: the deadline a deadline class gives, counted from the plan's start
(seed 003: 1个月内 / 3个月内 / 3个月内取得阶段性成效并在1年内整改到位; Civil Code arts. 202–203
through the deadlines layer). Import, hand-drafting and the progress report all ask here."""

from __future__ import annotations

import datetime as dt

from duban.deadlines import services as deadlines
from duban.items.errors import InvalidInput

from .models import DEADLINE_CLASS_MONTHS, DeadlineClass


def class_horizon(start: dt.date, deadline_class: str) -> dt.date | None:
    """The class's deadline from ``start``; None for 立行立改 and 长期坚持, which set no horizon."""
    months = DEADLINE_CLASS_MONTHS.get(DeadlineClass(deadline_class)) if deadline_class else None
    return deadlines.add_months(start, months).date if months else None


def class_deadline(start: dt.date, deadline_class: str) -> dt.date:
    """The deadline of a measure whose row gives a class and no date; refused if the class has none."""
    due = class_horizon(start, deadline_class)
    if due is None:
        raise InvalidInput(f"整改时限为“{DeadlineClass(deadline_class).label}”的措施须填写完成时限", "deadline")
    return due
