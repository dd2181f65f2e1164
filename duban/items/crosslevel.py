"""The rules of work sent down to a lower organisation (一级抓一级, seed 001 art. 3; 各街道负责对
上级督促检查工作的落实, art. 5): what a lower organisation's own item takes from the upper item it
carries out, and that its deadline never runs past the upper one. The actions that apply them
(``register_lower``, draft edits, approval) are in ``services``; who acts for a linked unit is
``orgs.acting``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from duban.deadlines import services as deadlines

from .errors import InvalidInput
from .models import Item

UPPER_DEADLINE_REASON = "按上级交办时限"


def upper_cap(item, today: dt.date) -> dt.date | None:
    """The latest deadline a lower item may have: its upper item's, while that lies ahead. (An
    upper item already past its deadline caps nothing: the unit explains upward instead.)"""
    upper = item.upper_item if item.upper_item_id else None
    if upper is None or upper.deadline is None or upper.deadline < today:
        return None
    return upper.deadline


def check_within_upper_deadline(item, deadline, today: dt.date) -> None:
    cap = upper_cap(item, today)
    if cap and deadline and deadline > cap:
        raise InvalidInput(f"办理时限不能晚于上级交办时限（{cap:%Y年%m月%d日}）", "deadline")


def clamp_to_upper_deadline(item, today: dt.date) -> None:
    """At approval a rule's period is counted again; it never runs past the upper deadline."""
    cap = upper_cap(item, today)
    if cap and item.deadline and item.deadline > cap:
        item.deadline, item.deadline_rule = cap, None
        item.deadline_override_reason = UPPER_DEADLINE_REASON
        item.deadline_provisional = deadlines.add_working_days(cap, 0).provisional


def fit_upper_deadline(item, fields, today: dt.date):
    """A draft registered from an upper item, saved without a date: the rule's proposal, or the
    upper deadline where the rule would run past it. ``fields`` is a ``services.DraftFields``."""
    cap = upper_cap(item, today)
    if cap is None or fields.deadline:
        return fields
    proposed, _ = deadlines.propose_deadline(item.org, fields.kind, fields.urgency, today)
    if proposed is None or proposed.date > cap:
        return dataclasses.replace(fields, deadline=cap,
                                   deadline_override_reason=fields.deadline_override_reason or UPPER_DEADLINE_REASON)
    return fields


def lower_item_of(item, org_id) -> Item | None:
    """The item a lower organisation registered from this upper item, if it did."""
    return Item.objects.filter(upper_item=item, org_id=org_id).first()


def lower_draft_fields(upper: Item, org, today: dt.date) -> dict:
    """The lower organisation's draft, prefilled from the upper item: its title, content, kind,
    urgency, secrecy and reporting cycle, the upper number as its source, and the lower rule's
    deadline unless that runs past the upper one. Units and leader are the lower office's to name."""
    proposed, rule = deadlines.propose_deadline(org, upper.kind, upper.urgency, today)
    cap = upper.deadline if upper.deadline and upper.deadline >= today else None
    if proposed is not None and (cap is None or proposed.date <= cap):
        deadline, reason = proposed.date, ""
    else:
        deadline, reason, rule = upper.deadline, UPPER_DEADLINE_REASON, None
    source = f"上级交办：{upper.org.name} {upper.number}《{upper.title}》"
    if upper.source_text:
        source += "\n" + upper.source_text
    return dict(
        title=upper.title, content=upper.content, kind=upper.kind, urgency=upper.urgency,
        is_secret=upper.is_secret, report_cycle=upper.report_cycle, source_text=source[:5000],
        deadline=deadline, deadline_rule=rule, deadline_override_reason=reason,
        deadline_provisional=deadlines.add_working_days(deadline, 0).provisional if deadline else False,
    )
