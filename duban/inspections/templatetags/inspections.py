"""``{% item_gallery item %}``: the photos and videos of an item's reports, for the item page."""

from django import template

from ..selectors import draft_reports_for_upload, gallery_for

register = template.Library()


@register.inclusion_tag("inspections/_gallery.html", takes_context=True)
def item_gallery(context, item):
    user = context["request"].user
    return {"media": gallery_for(user, item), "upload_to": draft_reports_for_upload(user, item), "item": item,
            "csrf_token": context.get("csrf_token")}
