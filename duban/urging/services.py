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
MAX_ID = 2**63 - 1  # a BIGINT primary key; beyond it SQLite raises OverflowError


def _item_ids(values) -> list[int]:
    """The ticked item ids, each a whole number a primary key can hold, else one Chinese refusal."""
    ids = []
    for value in values:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 19 or int(text) > MAX_ID:
            raise InvalidInput("所选事项无效，请刷新页面后重新勾选", "items")
        ids.append(int(text))
    return list(dict.fromkeys(ids))[:MAX_BATCH]


def urge_many(item_ids, by, *, message="", now=None) -> tuple[int, list[str]]:
    """One-click urge (一键催办): a reminder on every selected item the user may urge. Each item is
    its own transaction, so one refused item does not undo the others; returns (sent, refusals)."""
    ids = _item_ids(item_ids)
    if "\x00" in (message or ""):
        raise InvalidInput("催办内容不能包含空字符（\\u0000）", "message")
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
