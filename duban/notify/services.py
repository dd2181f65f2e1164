"""Notification actions: ``notify`` (the one door other apps use) and what a person does with
their inbox and channel choices."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import ChannelPreference, Delivery, Notification, UnitWebhook
from .selectors import preferences_of

# The ladder names its rungs by their action; these are the same messages under the inbox's names.
KIND_ALIASES = {"remind": Notification.Kind.REMINDER, "demand_explanation": Notification.Kind.EXPLANATION_DUE}
TITLE_MAX = Notification._meta.get_field("title").max_length


@dataclass
class Message:
    """One message to some people: what ``notify`` takes, and ``notify_many`` takes a list of."""

    recipients: Iterable
    kind: str
    title: str
    body: str
    item: object = None
    url: str = ""


def notify(recipients: Iterable, *, kind: str, title: str, body: str, item=None, url: str = "",
           now=None) -> list[Notification]:
    """Put a message in each recipient's inbox and queue its email, SMS and robot posts as each
    person chose (issue 3, point 5). Sending happens after commit, in the queue: this never waits
    on a channel, and a broken channel never raises here."""
    return notify_many([Message(recipients, kind, title, body, item, url)], now=now)[0]


def notify_many(messages: list[Message], *, now=None) -> list[list[Notification]]:
    """``notify`` for many messages at once (the ladder's batched sweep): one insert of the inbox
    rows, one of the deliveries and one queued task for them all; per message, the same rows as
    ``notify`` would make. Returns each message's notifications."""
    now = now or timezone.now()
    groups, notes = [], []
    for m in messages:
        kind = KIND_ALIASES.get(m.kind, m.kind)
        if kind not in Notification.Kind.values:
            raise ValueError(f"unknown notification kind: {m.kind!r}")
        people = list({p.pk: p for p in m.recipients}.values())
        group = [Notification(recipient=p, kind=kind, title=m.title[:TITLE_MAX], body=m.body, item=m.item, url=m.url,
                              created_at=now) for p in people]
        groups.append(group)
        notes += group
    if not notes:
        return groups
    # All or nothing, and no savepoint of its own inside a caller's transaction: an error rolls that back.
    with transaction.atomic(savepoint=False):
        Notification.objects.bulk_create(notes)
        deliveries = _deliveries_for(groups, now=now)
        Delivery.objects.bulk_create(deliveries)
        if deliveries:
            ids = [d.pk for d in deliveries]
            # A lambda, not a partial: Django names the callback (__qualname__) when it logs a failure.
            transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return groups


def _deliveries_for(groups: list[list[Notification]], *, now) -> list[Delivery]:
    people = list({n.recipient.pk: n.recipient for group in groups for n in group}.values())
    prefs = preferences_of(people)
    hooks = defaultdict(list)
    wanting_robots = {p.unit_id for p in people if p.unit_id and prefs[p.pk].webhook}
    if wanting_robots:
        for hook in UnitWebhook.objects.filter(unit_id__in=wanting_robots, enabled=True).order_by("id"):
            hooks[hook.unit_id].append(hook)
    deliveries = []
    for group in groups:
        posted = set()
        for note in group:
            person, pref = note.recipient, prefs[note.recipient.pk]
            if not person.is_active:
                continue
            row = functools.partial(Delivery, notification=note, next_attempt_at=now)
            # Digest readers get their email once a day instead (tasks.send_daily_digest).
            if pref.email and not pref.daily_digest and person.email:
                deliveries.append(row(channel=Delivery.Channel.EMAIL, target=person.email))
            if pref.sms and person.phone:
                deliveries.append(row(channel=Delivery.Channel.SMS, target=person.phone))
            if pref.webhook:
                for hook in hooks.get(person.unit_id, []):
                    # A unit's group hears each message once, however many of its people chose the robot.
                    if hook.pk not in posted:
                        posted.add(hook.pk)
                        deliveries.append(row(channel=hook.kind, target=f"webhook:{hook.pk}", webhook=hook))
    return deliveries


def _enqueue(delivery_ids: list[int]) -> None:
    from .tasks import deliver_now

    deliver_now(delivery_ids)


def mark_read(notification_id: int, user, *, now=None) -> Notification:
    """Mark one of the user's own notifications read; another person's raises DoesNotExist."""
    note = Notification.objects.get(pk=notification_id, recipient=user)
    if note.read_at is None:
        note.read_at = now or timezone.now()
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=note.read_at)
    return note


def mark_all_read(user, *, now=None) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or timezone.now())


def set_preferences(user, *, email: bool, sms: bool, webhook: bool, daily_digest: bool) -> ChannelPreference:
    pref, _ = ChannelPreference.objects.update_or_create(
        user=user, defaults=dict(email=email, sms=sms, webhook=webhook, daily_digest=daily_digest)
    )
    return pref
