from django import template

from ..selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications_count(context) -> int:
    """The signed-in person's unread notifications, for the badge in the navigation bar."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    return unread_count(user) if user is not None else 0
