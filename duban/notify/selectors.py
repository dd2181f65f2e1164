"""Reading notifications: a person's inbox, unread count and channel choices."""

from __future__ import annotations

from .models import ChannelPreference, Notification, UnitWebhook


def inbox_of(user):
    """The user's notifications, newest first."""
    return Notification.objects.filter(recipient=user).select_related("item").order_by("-created_at", "-id")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preference_of(user) -> ChannelPreference:
    """The user's choices; the defaults (unsaved) when they never chose."""
    return ChannelPreference.objects.filter(user=user).first() or ChannelPreference(user=user)


def preferences_of(people) -> dict[int, ChannelPreference]:
    """Choices for many people in one query, keyed by user id."""
    saved = {p.user_id: p for p in ChannelPreference.objects.filter(user__in=[p.pk for p in people])}
    return {p.pk: saved.get(p.pk) or ChannelPreference(user=p) for p in people}


def robots_of(user):
    """The enabled group robots of the user's unit (shown beside the robot choice)."""
    if not user.unit_id:
        return UnitWebhook.objects.none()
    return UnitWebhook.objects.filter(unit_id=user.unit_id, enabled=True)
