"""Urging actions a person takes (the automatic ones are in ladder.py)."""

from __future__ import annotations

from django.db import transaction

from duban.items import services as items
from duban.items.errors import DomainError, InvalidInput
from duban.items.models import Urge
from duban.items.selectors import items_visible_to

from .ladder import recipients, send
from .models import Recipient

MAX_BATCH = 200


def urge_many(item_ids, by, *, message="", now=None) -> tuple[int, list[str]]:
    """One-click urge (一键催办): a reminder on every selected item the user may urge. Each item is
    its own transaction, so one refused item does not undo the others; returns (sent, refusals)."""
    ids = list(dict.fromkeys(int(i) for i in item_ids))[:MAX_BATCH]
    if not ids:
        raise InvalidInput("请先勾选要催办的事项", "items")
    visible = {i.id: i for i in items_visible_to(by).filter(pk__in=ids).only("id", "title", "number")}
    sent, refusals = 0, []
    for item_id in ids:
        item = visible.get(item_id)
        if item is None:
            refusals.append(f"事项 {item_id} 不存在或无权查看")
            continue
        text = message.strip() or f"请抓紧办理督查事项“{item.title}”，并按时报送办理情况。"
        try:
            with transaction.atomic():
                urge = items.log_urge(item_id, by, method=Urge.Method.SYSTEM, summary=text, now=now)
                send(recipients(urge.item, [Recipient.LIAISON, Recipient.UNIT_HEAD]), kind="reminder",
                     title=f"督查催办：{item.title}", body=text, item=urge.item, now=now)
            sent += 1
        except DomainError as err:
            refusals.append(f"{item.number or item.title}：{err.message}")
    return sent, refusals
