from django import template
from django.utils.safestring import mark_safe
from django.utils import timezone

register = template.Library()

STATUS_COLORS = {
    "draft": "secondary", "pending_approval": "info", "assigned": "primary", "declined": "warning",
    "in_progress": "primary", "under_review": "info", "pending_leader": "info", "closed": "success",
    "archived": "dark",
}


@register.filter
def status_color(status):
    return STATUS_COLORS.get(status, "secondary")


_LIGHTS = {
    3: '<span class="light light-red" title="超期">●</span><span class="small">超期</span>',
    2: '<span class="light light-yellow" title="临期">●</span><span class="small">临期</span>',
    1: '<span class="light light-green" title="正常">●</span><span class="small">正常</span>',
}


@register.filter
def light_badge(item):
    """An item's light and its label, kept on one line, and 停滞 when it has stalled: written in
    Python because the lists render it for every row (an include per row cost more than the row)."""
    html = f'<span class="text-nowrap">{_LIGHTS.get(getattr(item, "light", 0), "")}</span>'
    if getattr(item, "stalled", False):
        html += ' <span class="badge text-bg-secondary">停滞</span>'
    return mark_safe(html)


@register.filter
def cn_date(d):
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


@register.filter
def short_date(d, today=None):
    """A date as 11-30 when it falls in the current year, else with its year (2027-01-05): a work
    list's deadline in another year read as this year's."""
    if not d:
        return ""
    this_year = (today or timezone.localdate()).year
    return d.strftime("%m-%d") if d.year == this_year else d.strftime("%Y-%m-%d")


@register.filter
def is_overdue(item, today=None):
    return item.is_overdue(today or timezone.localdate())


@register.filter
def days_left(item, today=None):
    if not item.deadline:
        return None
    return (item.deadline - (today or timezone.localdate())).days


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def short_name(unit):
    """A unit's short name, else its name; "" for none (an item not yet given a lead unit: a
    suggestion waiting for assignment, a draft registered from the upper level)."""
    if unit is None:
        return ""
    return unit.short_name or unit.name
