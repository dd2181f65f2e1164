from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from duban.urging.ladder import notices_visible_to, open_notices


@login_required
def notice_list(request):
    """催办单 and 督办令: those still awaiting the unit's answer first (issue 3, point 3)."""
    qs = notices_visible_to(request.user)
    show_all = request.GET.get("all") == "1"
    if not show_all:
        qs = open_notices(qs)
    page = Paginator(qs.order_by("-issued_at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "web/notice_list.html", {"page": page, "show_all": show_all})
