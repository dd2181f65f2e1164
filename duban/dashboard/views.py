"""The dashboard's pages: ``/`` is the dashboard for leaders and the office head and the 待办 page
for everyone else; ``/dashboard/`` opens it for the office's supervisors too. Thin: parse the
year, call ``selectors.dashboard``, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from duban.web.views import items as item_views

from . import selectors


def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    if not raw:
        return None
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not selectors.MIN_YEAR <= year <= selectors.MAX_YEAR:
        messages.error(request, f"年度应为 {selectors.MIN_YEAR}—{selectors.MAX_YEAR} 之间的数字，已显示本年度")
        return None
    return year


def _render(request):
    d = selectors.dashboard(request.user, year=_year(request))
    return render(request, "dashboard/dashboard.html", {"d": d, "charts": d.chart_data()})


@login_required
def home(request):
    """The home page: the dashboard for whose home it is, the 待办 page for the others."""
    if selectors.is_home(request.user):
        return _render(request)
    return item_views.worklist(request)


@login_required
def dashboard(request):
    if not selectors.may_read(request.user):
        messages.info(request, "督查驾驶舱供领导和督查室使用，已为您打开“我的待办”")
        return redirect("worklist")
    return _render(request)
