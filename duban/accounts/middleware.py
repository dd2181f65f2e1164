"""Between password and pages: a person who owes a second factor sees only the pages that settle it."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings

from django.shortcuts import redirect
from django.urls import reverse

from . import twofactor

# Paths open to a person who still owes a code: the pages that take it, signing out, static files.
# The API is not here: it authenticates by bearer token, and the token request asks for the code.
SESSIONLESS_PREFIXES = ("/public/", "/s/", "/healthz", "/metrics")
OPEN_PREFIXES = ("/static/", "/api/", "/account/two-factor/verify/", "/account/two-factor/setup/", "/logout/",
                 "/oidc/")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(SESSIONLESS_PREFIXES):
            # The public portal and survey links never touch the session: their answers stay
            # cacheable (no Vary: Cookie) and set no cookie. Nor do the probes of duban.ops.
            return self.get_response(request)
        session = getattr(request, "session", None)
        state = session.get(twofactor.SESSION_KEY) if session is not None else None
        if state and not request.path.startswith(OPEN_PREFIXES):
            user = request.user
            if not user.is_authenticated:
                session.pop(twofactor.SESSION_KEY, None)
            elif not user.is_verified():
                target = "two_factor_verify" if state == twofactor.VERIFY else "two_factor_setup"
                url = reverse(target)
                if request.method == "GET" and request.path != "/":
                    url += "?" + urlencode({"next": request.get_full_path()})
                return redirect(url)
            else:
                session.pop(twofactor.SESSION_KEY, None)
        return self.get_response(request)


class IdleSessionMiddleware:
    """Idle sessions end DUBAN_SESSION_IDLE_MINUTES after the last request. A signed-in session's
    end is pushed back at most once a minute (DUBAN_SESSION_RENEW_SECONDS): it used to be written on
    every request (SESSION_SAVE_EVERY_REQUEST), an UPDATE and a commit per page view that bought
    nothing between two clicks a few seconds apart (issue 13). The limit is thus kept to the
    minute: a session ends between idle − 1 minute and idle after its last request."""

    KEY = "_duban_renewed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not request.path.startswith(SESSIONLESS_PREFIXES):
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= settings.DUBAN_SESSION_RENEW_SECONDS:
                session[self.KEY] = now  # modified: the session is saved with a fresh expiry
        return self.get_response(request)
