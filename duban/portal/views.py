"""The public portal at /public/: no login, no session, read-only except for opinions and a
proposer's rating link. Pages and the small JSON API read through ``selectors.published``.

No view here touches ``request.user`` or ``request.session``, and no template asks for a CSRF token,
so responses carry no cookie and the list and search pages are cacheable by any proxy (60 s).
"""

from __future__ import annotations

from functools import wraps

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from duban.items.errors import DomainError

from . import selectors, services
from .models import Publication

PAGE_SIZE = 20
MAX_PAGE = 500
CACHE_SECONDS = 60


def public(view):
    """A cacheable public response (GET) that never varies by user."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        else:
            patch_cache_control(response, no_store=True)
        response["X-Robots-Tag"] = "noarchive"
        return response

    return wrapper


def private(view):
    """A proposer's own page: never cached, never leaks its address through the Referer."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        patch_cache_control(response, no_store=True, private=True)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _page_number(request) -> int:
    try:
        return min(max(int(request.GET.get("page", 1)), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def _listing(request):
    q = request.GET.get("q", "")[: selectors.MAX_QUERY].strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in Publication.Kind.values else ""
    page = _page_number(request)
    start = (page - 1) * PAGE_SIZE
    rows = list(selectors.published(q=q, kind=kind)[start:start + PAGE_SIZE + 1])
    return q, kind, page, rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


@require_GET
@public
def index(request):
    q, kind, page, rows, more = _listing(request)
    return render(request, "portal/index.html", {
        "q": q, "kind": kind, "page": page, "rows": rows, "more": more, "kinds": Publication.Kind.choices,
    })


def _entry(pk) -> Publication | None:
    return selectors.published(with_opinions=True).filter(pk=pk).first()


def _not_found(request, *, json=False):
    # The portal's own 404: the site-wide one would open a session and set a CSRF cookie.
    if json:
        return JsonResponse({"detail": "不存在或未公开"}, status=404, json_dumps_params={"ensure_ascii": False})
    return render(request, "portal/not_found.html", status=404)


@require_GET
@public
def entry(request, pk):
    pub = _entry(pk)
    if pub is None:
        return _not_found(request)
    return render(request, "portal/entry.html", {"pub": pub})


@csrf_exempt  # no session, nothing ambient to forge: the form is throttled and has a honeypot instead
@require_http_methods(["POST"])
@public
def opinion(request, pk):
    pub = _entry(pk)
    if pub is None:
        return _not_found(request)
    form = {"name": request.POST.get("name", "")[:40], "body": request.POST.get("body", "")[:4000]}
    try:
        services.submit_opinion(pub.id, body=form["body"], name=form["name"], honeypot=request.POST.get("website", ""),
                                address=request.META.get("REMOTE_ADDR", ""))
    except DomainError as err:
        return render(request, "portal/entry.html", {"pub": pub, "error": err.message, "form": form},
                      status=err.status_code)
    return render(request, "portal/entry.html", {"pub": pub, "sent": True})


# --- JSON ----------------------------------------------------------------------------------------

def _as_dict(pub: Publication, *, full=False) -> dict:
    d = {"id": pub.id, "kind": pub.kind, "kind_label": pub.get_kind_display(), "org": pub.org_name,
         "title": pub.title, "reference": pub.reference, "unit": pub.unit_name, "status": pub.status_label,
         "published_at": pub.published_at.isoformat(), "updated_at": pub.updated_at.isoformat()}
    if full:
        d["body"] = pub.body
        d["figures"] = pub.figures
        d["opinions"] = [{"name": o.name or "网友", "body": o.body, "reply": o.reply, "at": o.created_at.isoformat()}
                         for o in pub.approved_opinions]
    else:
        d["summary"] = pub.body[:120]
    return d


@require_GET
@public
def api_entries(request):
    q, kind, page, rows, more = _listing(request)
    return JsonResponse({"page": page, "next_page": page + 1 if more else None,
                         "results": [_as_dict(p) for p in rows]}, json_dumps_params={"ensure_ascii": False})


@require_GET
@public
def api_entry(request, pk):
    pub = _entry(pk)
    if pub is None:
        return _not_found(request, json=True)
    return JsonResponse(_as_dict(pub, full=True), json_dumps_params={"ensure_ascii": False})


# --- the proposer's rating link ---------------------------------------------------------------------

@csrf_exempt  # the unguessable token in the address is the only credential; there is no session
@require_http_methods(["GET", "POST"])
@private
def rate(request, token):
    from duban.proposals import services as proposals
    from duban.proposals.models import Rating

    link = proposals.link_for(token)
    if link is None:
        return render(request, "portal/rate_gone.html", status=404)
    ctx = {"link": link, "answer": link.answer, "proposal": link.answer.proposal, "values": Rating.Value.choices}
    if request.method == "POST":
        try:
            rating = proposals.rate_by_link(token, value=request.POST.get("value", ""),
                                            comment=request.POST.get("comment", "")[:4000])
        except DomainError as err:
            ctx.update(error=err.message, chosen=request.POST.get("value", ""),
                       comment=request.POST.get("comment", "")[:2000])
            return render(request, "portal/rate.html", ctx, status=err.status_code)
        return render(request, "portal/rate_done.html", {"rating": rating})
    return render(request, "portal/rate.html", ctx)
