"""The demo's circular: last month's 督查通报, drafted from the demo's facts, one unit criticised and
one praised, approved by the principal leader and issued through the services.

Call it after the demo's items exist: ``duban.circulars.demo.seed_demo(org)``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from duban.orgs.models import Role, Unit, User

from . import services, writing
from .models import Circular, CircularKind, Mention


def _pick(figures: dict) -> tuple[dict | None, dict | None]:
    """The office's choice the demo makes: the suggested criticism with the most overdue items and
    督办令, and the suggested praise (or, failing one, the best on-time rate among the others)."""
    sugg = writing.suggestions(figures)
    rows = {u["unit_id"]: u for u in figures.get("units", [])}
    crit = sorted((s for s in sugg if s["kind"] == "criticism"),
                  key=lambda s: -(rows[s["unit_id"]]["overdue_now"] + rows[s["unit_id"]]["supervision_orders"]))
    criticism = crit[0] if crit else None
    praise = next((s for s in sugg if s["kind"] == "praise"), None)
    if praise is None:
        others = [u for u in rows.values() if u["closed"] and (criticism is None or u["unit_id"] != criticism["unit_id"])]
        others.sort(key=lambda u: (-float(u["on_time_rate"] or 0), -u["closed"]))
        if others:
            as_of = dt.date.fromisoformat(figures["as_of"])
            praise = {"unit_id": others[0]["unit_id"], "kind": "praise", "facts": writing.facts_of(others[0], as_of)}
    return criticism, praise


@transaction.atomic
def seed_demo(org, *, now=None) -> Circular | None:
    """Issue one monthly circular for the last complete month; None if it is there already."""
    now = now or timezone.now()
    start, end = writing.default_period(CircularKind.MONTHLY, timezone.localdate(now))
    if Circular.objects.filter(org=org, kind=CircularKind.MONTHLY, period_start=start, period_end=end).exists():
        return None
    people = User.objects.filter(org=org, is_active=True).order_by("id")
    office = people.filter(role=Role.SUPERVISOR).first() or people.filter(role=Role.OFFICE_HEAD).first()
    head = people.filter(role=Role.OFFICE_HEAD).first() or office
    principal = people.filter(role=Role.PRINCIPAL_LEADER).first()
    if office is None or principal is None:
        return None
    c = services.draft_circular(org, office, kind=CircularKind.MONTHLY, period_start=start, period_end=end, now=now)
    criticism, praise = _pick(c.figures)
    units = Unit.objects.filter(org=org, is_active=True).exclude(kind__in=(Unit.Kind.OFFICE, Unit.Kind.LEADERSHIP))
    if criticism is None:  # a quiet month: the demo still shows both kinds of naming
        u = units.order_by("order", "id").first()
        criticism = u and {"unit_id": u.id, "facts": "定期进展报告内容简单、数据不实，督查室核实后要求重报。"}
    if praise is None:
        u = units.exclude(pk=criticism["unit_id"] if criticism else None).order_by("order", "id").first()
        praise = u and {"unit_id": u.id, "facts": "交办事项全部按时办结，办理质量高。"}
    for s, kind in ((praise, Mention.Kind.PRAISE), (criticism, Mention.Kind.CRITICISM)):
        if s:
            services.add_mention(c.id, office, unit=s["unit_id"], kind=kind, facts=s["facts"], now=now)
    services.submit(c.id, office, now=now)
    services.approve(c.id, principal, comment="同意印发。", now=now)
    return services.issue(c.id, head, now=now)
