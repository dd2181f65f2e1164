"""Who may read /metrics: an address in ``DUBAN_METRICS_ALLOWED`` (addresses or networks; the
client's address as django-axes sees it, so behind ``DUBAN_PROXY_COUNT`` proxies the forwarded one),
or anyone presenting ``Authorization: Bearer <DUBAN_METRICS_TOKEN>`` when that is set."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings

from duban.accounts.lockout import client_address


def allowed_networks() -> list:
    return [ipaddress.ip_network(n.strip(), strict=False) for n in settings.DUBAN_METRICS_ALLOWED if n.strip()]


def may_read_metrics(request) -> bool:
    token = settings.DUBAN_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    address = client_address(request)
    if not address:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in net for net in allowed_networks())
