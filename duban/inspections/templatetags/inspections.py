"""The photos and videos of an item's reports, for the item page: ``gallery(request, item,
reports)`` renders the card; ``{% item_gallery item %}`` is the same as a template tag."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from ..selectors import draft_reports_for_upload, gallery_for

register = template.Library()


def _context(user, item, reports=None):
    """``reports``: the reports the page already read as visible to the user (optional)."""
    return {"media": gallery_for(user, item, reports), "upload_to": draft_reports_for_upload(user, item, reports),
            "item": item}


def gallery(request, item, reports=None) -> str:
    return mark_safe(render_to_string("inspections/_gallery.html", _context(request.user, item, reports), request))


@register.inclusion_tag("inspections/_gallery.html", takes_context=True)
def item_gallery(context, item, reports=None):
    return {**_context(context["request"].user, item, reports), "csrf_token": context.get("csrf_token")}
