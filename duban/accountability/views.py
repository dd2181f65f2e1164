"""The accountability pages: the office's and leaders' overview of the year, and a unit's year
(its criticisms, the sanctions they brought and their state). Thin over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from duban.items.errors import DomainError
from duban.orgs.acting import acting_for

from . import selectors, services



def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2099 else timezone.localdate().year


@login_required
def overview(request):
    user = request.user
    year = _year(request.GET.get("year"))
    if not selectors.sees_all_units(user):
        units = sorted(acting_for(user).units)
        if not units:
            raise Http404
        return redirect("unit_year", units[0], year)
    rows = selectors.overview(user, year)
    return render(request, "accountability/overview.html", {"rows": rows, "year": year,
                                                            "years": range(timezone.localdate().year, 2019, -1)})


@login_required
def unit_year(request, unit_id, year):
    user = request.user
    unit = selectors.units_visible_to(user).filter(pk=unit_id).first()
    if unit is None or not 2000 <= year <= 2099:
        raise Http404
    ctx = selectors.unit_year(unit, year)
    ctx["office"] = user.is_office and user.org_id == unit.org_id
    return render(request, "accountability/unit_year.html", ctx)


@login_required
@require_POST
def sanction_fulfil(request, sanction_id):
    s = selectors.sanctions_visible_to(request.user).filter(pk=sanction_id).first()
    if s is None:
        raise Http404
    try:
        services.fulfil(s.id, request.user, note=request.POST.get("note", ""))
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, "已登记落实情况")
    return redirect("unit_year", s.unit_id, s.year)


