"""``{% item_gallery item %}``: the photos and videos of an item's reports, for the item page."""

from django import template

from ..selectors import draft_reports_for_upload, gallery_for

register = template.Library()


@register.inclusion_tag("inspections/_gallery.html", takes_context=True)
def item_gallery(context, item, reports=None):
    """``reports``: the reports the page already read as visible to the user (optional)."""
    user = context["request"].user
    return {"media": gallery_for(user, item, reports), "upload_to": draft_reports_for_upload(user, item, reports),
            "item": item,
            "csrf_token": context.get("csrf_token")}
