"""Search-as-you-type for long choice lists (issue 13, point 1): a select offers the units it may
hold by asking here as the person types, instead of rendering every unit into the page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from ..forms import units_of

LIMIT = 50


def _units(user, q: str):
    units = units_of(user.org)
    if q:
        units = units.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    return [{"value": u.id, "text": u.name} for u in units.only("id", "name")[:LIMIT]]


LOOKUPS = {"units": _units}


@login_required
@require_GET
def lookup(request, kind):
    find = LOOKUPS.get(kind)
    if find is None or request.user.org_id is None:
        raise Http404
    q = request.GET.get("q", "").strip()[:50].replace("\x00", "")
    response = JsonResponse({"results": find(request.user, q)})
    response["Cache-Control"] = "private, max-age=60"
    return response
