"""What a locked-out guesser is told: 429, ``Retry-After`` and, on the web, a Chinese page saying
when to try again (issue 8, point 3). django-axes decides *whether*; this decides *what is said*."""

from __future__ import annotations

import datetime as dt
import ipaddress
import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

def client_address(request: HttpRequest) -> str | None:
    """The address a failure is counted against. Behind ``DUBAN_PROXY_COUNT`` proxies, the entry
    the outermost trusted proxy appended to X-Forwarded-For (entries left of it can be forged);
    anything that is not an IP address falls back to the connection's own address."""
    address = request.META.get("REMOTE_ADDR")
    count = settings.DUBAN_PROXY_COUNT
    if count > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            address = forwarded[-count]
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return None


LOCKED_MESSAGE = "登录失败次数过多，已暂停登录。请于{until}后再试；如需提前解除，请联系系统管理员。"


def lockout_ends(request: HttpRequest, credentials: dict | None = None, *, now=None) -> dt.datetime:
    """When the lockout of this account or address lifts: the last counted failure plus the cool-off."""
    now = now or timezone.now()
    cool_off = get_cool_off(request) or dt.timedelta(minutes=settings.DUBAN_LOCKOUT_MINUTES)
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    who = Q(ip_address=address) if address else Q(pk__in=[])
    if username:
        who |= Q(username=username)
    last = (
        AccessAttempt.objects.filter(who, attempt_time__gte=now - cool_off)
        .aggregate(last=Max("attempt_time"))["last"]
    )
    return (last or now) + cool_off


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: JSON for the API (same shape as its other errors), a page for people."""
    now = timezone.now()
    until = lockout_ends(request, credentials, now=now)
    seconds = max(1, math.ceil((until - now).total_seconds()))
    local = timezone.localtime(until)
    until_text = f"{local:%H:%M}" if timezone.localtime(now).date() == local.date() else f"{local:%Y-%m-%d %H:%M}"
    message = LOCKED_MESSAGE.format(until=until_text)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "field": None}, status=429)
    else:
        response = render(request, "accounts/locked_out.html", {
            "message": message, "until": local, "minutes": math.ceil(seconds / 60),
        }, status=429)
    response["Retry-After"] = str(seconds)
    return response
