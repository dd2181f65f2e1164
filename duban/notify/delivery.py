"""Working off deliveries: each is claimed before it is sent, so two workers never send the same
one, and a failure is retried with backoff until it is given up and left for an admin to see.

The claim is a conditional UPDATE that moves ``next_attempt_at`` a lease into the future and
counts the attempt: of two workers racing for a row, the second finds it no longer due. A worker
that dies mid-send leaves the row to be claimed again when the lease runs out. Results are written
only by the worker holding that attempt number. Every function here is safe to run twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from . import channels
from .models import ChannelPreference, Delivery, Notification

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF = [dt.timedelta(minutes=m) for m in (1, 5, 25, 125)]  # after attempts 1..4
LEASE = dt.timedelta(minutes=10)  # far longer than one send (robots time out after 5 s)
SWEEP_BATCH = 200
RETRYABLE = (Delivery.State.PENDING, Delivery.State.FAILED)
DIGEST_MAX_ITEMS = 100


def due(now=None):
    """Ids of deliveries due for an attempt, oldest first, by the (state, next_attempt_at) index."""
    now = now or timezone.now()
    return (Delivery.objects.filter(state__in=RETRYABLE, next_attempt_at__lte=now)
            .order_by("next_attempt_at").values_list("id", flat=True))


def claim(delivery_id: int, *, now=None) -> int | None:
    """Take one attempt at a due delivery; its attempt number, or None when it is not ours to send
    (already sent, given up, not yet due, or just claimed by another worker)."""
    now = now or timezone.now()
    with transaction.atomic():
        won = Delivery.objects.filter(pk=delivery_id, state__in=RETRYABLE, next_attempt_at__lte=now).update(
            attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
        if not won:
            return None
        return Delivery.objects.values_list("attempts", flat=True).get(pk=delivery_id)


def deliver(delivery_id: int, *, now=None) -> str | None:
    """Send one delivery if it is due; return its new state, or None if it was not ours. Never raises
    for a channel's failure: that is recorded on the row."""
    now = now or timezone.now()
    attempt = claim(delivery_id, now=now)
    if attempt is None:
        return None
    d = Delivery.objects.select_related("notification__recipient", "notification__item", "webhook").get(pk=delivery_id)
    try:
        send(d)
    except channels.PermanentError as err:
        return _finish(d, attempt, now=now, error=str(err), permanent=True)
    except Exception as err:  # any failure, a channel's bug included, is retried, never raised
        log.warning("delivery %s (%s) attempt %s failed: %s", d.pk, d.channel, attempt, err)
        return _finish(d, attempt, now=now, error=str(err) or type(err).__name__)
    return _finish(d, attempt, now=now)


def send(d: Delivery) -> None:
    note = d.notification
    if d.channel == Delivery.Channel.EMAIL:
        channels.send_email(d.target, note.title, channels.message_text(note))
    elif d.channel == Delivery.Channel.SMS:
        channels.send_sms(d.target, note.title, note.body)
    else:
        channels.send_webhook(d.webhook, note.title, channels.message_text(note))


def _finish(d: Delivery, attempt: int, *, now, error: str | None = None, permanent: bool = False) -> str:
    if error is None:
        fields = dict(state=Delivery.State.SENT, sent_at=now, last_error="")
    elif permanent or attempt >= MAX_ATTEMPTS:
        fields = dict(state=Delivery.State.GAVE_UP, last_error=error[:2000])
    else:
        fields = dict(state=Delivery.State.FAILED, last_error=error[:2000],
                      next_attempt_at=now + BACKOFF[min(attempt, len(BACKOFF)) - 1])
    # Only the holder of this attempt writes its result (a worker past its lease does not).
    Delivery.objects.filter(pk=d.pk, attempts=attempt).update(**fields)
    return fields["state"]


def deliver_many(delivery_ids, *, now=None) -> dict[str, int]:
    """Try each delivery once; {state: count} of those this call sent or failed."""
    counts: dict[str, int] = {}
    for delivery_id in delivery_ids:
        state = deliver(delivery_id, now=now)
        if state:
            counts[state] = counts.get(state, 0) + 1
    return counts


def sweep(*, now=None, batch: int = SWEEP_BATCH) -> dict[str, int]:
    """Attempt every due delivery (new ones the queue missed, and retries whose wait is over)."""
    now = now or timezone.now()
    return deliver_many(list(due(now)[:batch]), now=now)


def retry_now(deliveries, *, now=None) -> list[int]:
    """Make unsent deliveries due at once (an admin's "retry now"); given-up ones get one more try.
    Returns their ids; the caller sends them (or the next sweep does)."""
    now = now or timezone.now()
    ids = list(deliveries.exclude(state=Delivery.State.SENT).values_list("id", flat=True))
    Delivery.objects.filter(pk__in=ids).exclude(state=Delivery.State.SENT).update(
        state=Delivery.State.PENDING, next_attempt_at=now)
    return ids


# -- daily digest ----------------------------------------------------------------------------


def inbox_link() -> str:
    try:
        return channels.site_link(reverse("notify:inbox"))
    except NoReverseMatch:
        return ""


def send_digests(*, now=None) -> int:
    """Email each digest reader their unread notifications of the last day, once per day however
    often this runs; return how many emails went out."""
    now = now or timezone.now()
    today, since = timezone.localdate(now), now - dt.timedelta(days=1)
    unread = Notification.objects.filter(
        recipient_id=OuterRef("user_id"), read_at__isnull=True, created_at__gt=since, created_at__lte=now)
    readers = (ChannelPreference.objects.filter(daily_digest=True, user__is_active=True)
               .exclude(user__email="")
               .filter(Q(digest_sent_on__isnull=True) | Q(digest_sent_on__lt=today))
               .filter(Exists(unread)).select_related("user"))
    sent = 0
    for pref in readers:
        # Claim today's digest for this reader; a second run (or a second scheduler) finds it taken.
        if not ChannelPreference.objects.filter(pk=pref.pk, digest_sent_on=pref.digest_sent_on).update(
                digest_sent_on=today):
            continue
        notes = list(Notification.objects.filter(
            recipient_id=pref.user_id, read_at__isnull=True, created_at__gt=since, created_at__lte=now,
        ).order_by("-created_at", "-id")[:DIGEST_MAX_ITEMS + 1])
        try:
            subject = f"{today.month}月{today.day}日消息汇总（{_count(notes)}条未读）"
            channels.send_email(pref.user.email, subject, digest_text(notes))
        except channels.ChannelError as err:
            log.warning("daily digest for user %s failed: %s", pref.user_id, err)
            # Give the claim back: the next hourly run this morning tries again.
            ChannelPreference.objects.filter(pk=pref.pk, digest_sent_on=today).update(
                digest_sent_on=pref.digest_sent_on)
            continue
        sent += 1
    return sent


def _count(notes) -> str:
    return f"{DIGEST_MAX_ITEMS}+" if len(notes) > DIGEST_MAX_ITEMS else str(len(notes))


def digest_text(notes: list[Notification]) -> str:
    lines = ["您有以下未读消息：", ""]
    for note in notes[:DIGEST_MAX_ITEMS]:
        local = timezone.localtime(note.created_at)
        lines.append(f"· {local:%m-%d %H:%M} [{note.get_kind_display()}] {note.title}")
        if note.body:
            lines.append(f"  {note.body.splitlines()[0][:200]}")
    if len(notes) > DIGEST_MAX_ITEMS:
        lines.append("……另有更多未读消息")
    link = inbox_link()
    lines += ["", f"请登录督办系统查看全部消息：{link}" if link else "请登录督办系统查看全部消息。"]
    return "\n".join(lines)
