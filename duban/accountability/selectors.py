"""Reads of the accountability record: who may see a unit's year, and what it holds."""

from __future__ import annotations

from django.db.models import Count, Q

from duban.orgs.acting import acting_for
from duban.orgs.models import LEADER_ROLES, OFFICE_ROLES, Role, Unit

from .models import Sanction
from .services import CRITICISM, ISSUED, criticisms_of, year_bounds


def sees_all_units(user) -> bool:
    """The office and the leaders see every unit of their organisation."""
    return bool(getattr(user, "is_authenticated", False) and user.org_id
                and (user.role in OFFICE_ROLES or user.role in LEADER_ROLES or user.role == Role.ADMIN))


def units_visible_to(user):
    """Units whose accountability record ``user`` may read: all of the organisation for the office
    and leaders; a unit's own people (and a lower office, for the unit standing for it) their unit."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    q = Q(pk__in=acting_for(user).units)
    if sees_all_units(user):
        q |= Q(org_id=user.org_id)
    return Unit.objects.filter(q)


def sanctions_visible_to(user):
    units = units_visible_to(user).values("pk")
    return Sanction.objects.filter(unit__in=units).select_related("unit", "mention__circular", "item", "rule")


def unit_year(unit, year: int) -> dict:
    """A unit's year: each criticism with its ordinal, and the sanctions it brought."""
    mentions = list(criticisms_of(unit.org, unit.id, year))
    sanctions = list(Sanction.objects.filter(unit=unit, year=year).select_related("mention__circular", "item")
                     .order_by("ordinal", "id"))
    by_mention: dict[int, list] = {}
    for s in sanctions:
        by_mention.setdefault(s.mention_id, []).append(s)
    rows = [{"ordinal": i, "mention": m, "circular": m.circular, "sanctions": by_mention.get(m.id, [])}
            for i, m in enumerate(mentions, start=1)]
    return {"unit": unit, "year": year, "criticisms": rows, "sanctions": sanctions,
            "pending": sum(1 for s in sanctions if s.effective_state == Sanction.State.PENDING)}


def overview(user, year: int) -> list[dict]:
    """Per visible unit: criticisms and sanctions in the year (units without any left out)."""
    from duban.circulars.models import Mention

    lo, hi = year_bounds(year)
    units = units_visible_to(user).exclude(kind__in=[Unit.Kind.OFFICE, Unit.Kind.LEADERSHIP])
    crit = dict(Mention.objects.filter(unit__in=units.values("pk"), kind=CRITICISM, circular__status=ISSUED,
                                       circular__issued_at__gte=lo, circular__issued_at__lt=hi)
                .order_by().values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))
    sanc = dict(Sanction.objects.filter(unit__in=units.values("pk"), year=year).order_by().values("unit_id")
                .annotate(n=Count("id")).values_list("unit_id", "n"))
    return [{"unit": u, "criticisms": crit.get(u.id, 0), "sanctions": sanc.get(u.id, 0)}
            for u in units.order_by("order", "id") if crit.get(u.id) or sanc.get(u.id)]
