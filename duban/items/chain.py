"""The tamper-evident chain over an item's events (issue 10, point 5).

Each event carries the hash of its predecessor on the same item and its own hash over its content
and that predecessor hash; the item's ``ChainHead`` holds the last hash and the number of events.
Whoever edits, deletes or reorders rows behind the application's back breaks a link that
``verify_chain`` finds. Pure functions: the migration that fills existing events uses them too, so
they must never change what they compute for a given event (bump ``VERSION`` and migrate instead).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

VERSION = "v1"


def canonical_at(at) -> str:
    if isinstance(at, str):
        at = dt.datetime.fromisoformat(at)
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    return at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(*, item_id, actor_id, action, from_status, to_status, comment, data, at, prev_hash) -> str:
    """SHA-256 over the event's content and its predecessor's hash, in a fixed JSON form."""
    content = [
        VERSION, int(item_id), None if actor_id is None else int(actor_id), action or "", from_status or "",
        to_status or "", comment or "", data if data is not None else {}, canonical_at(at), prev_hash or "",
    ]
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_of(event, prev_hash: str) -> str:
    return event_hash(
        item_id=event.item_id, actor_id=event.actor_id, action=event.action, from_status=event.from_status,
        to_status=event.to_status, comment=event.comment, data=event.data, at=event.at, prev_hash=prev_hash,
    )


@dataclass
class Break:
    """One place where an item's recorded history differs from its chain."""

    item_id: int
    position: int  # 1-based position of the event in the chain, 0 for the chain as a whole
    event_id: int | None
    message: str


def verify_chain(item_id: int, events, head_hash: str | None, head_length: int | None) -> list[Break]:
    """Check one item's events, in insertion (id) order, against their hashes and the head.

    An edited event no longer matches its own hash; a deleted or reordered one leaves its successor
    pointing at a hash that is not its predecessor's; a deleted last event leaves the chain shorter
    than, or ending elsewhere than, the head recorded when it was appended."""
    breaks: list[Break] = []
    prev = ""
    n = 0
    for n, e in enumerate(events, start=1):
        if e.prev_hash != prev:
            breaks.append(Break(item_id, n, e.id, f"第{n}条记录的前序哈希不符：其前的记录被删除、插入或调换了顺序"))
        if hash_of(e, e.prev_hash) != e.hash:
            breaks.append(Break(item_id, n, e.id, f"第{n}条记录（{e.action}）的内容与其哈希不符：记录被改动"))
        prev = e.hash
    if head_hash is None:
        if n:
            breaks.append(Break(item_id, 0, None, "缺少记录链头：无法确认末尾记录未被删除"))
    elif head_length != n or head_hash != prev:
        if head_length is not None and n < head_length:
            breaks.append(Break(item_id, 0, None, f"记录链头记载{head_length}条记录，现存{n}条：记录被删除"))
        else:
            breaks.append(Break(item_id, 0, None, f"记录链头与现存记录不符（链头记载{head_length}条，现存{n}条）"))
    return breaks
