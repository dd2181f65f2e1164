"""Who acts for which unit: the one place that answers "is this person this unit's liaison, or
its head?".

Supervision runs level by level (一级抓一级, seed 001 art. 3; 分级负责, art. 5: each level
"负责对上级督促检查工作的落实"). When the upper organisation assigns an item to a unit that stands
for a lower organisation (``Unit.org_link``: the city's unit "东城区人民政府" stands for the
district's own organisation), nobody in the city answers for that unit: the district's supervision
office does, in the unit's roles and through the same procedure as any unit:

- the district's supervisors and its office head act as the unit's liaison (签收, reports, extension
  requests, registering the item in the district's own series);
- the district's office head acts as the unit's head (审签 of the reports going up).

Everything that used to compare ``user.unit_id`` with a unit and ``user.role`` with liaison or
head asks this module instead: the workflow's predicates, the services, the selectors, urging and
notifications. The upper office's own rights (``office``, ``responsible_leader``) are untouched:
they still require the item's organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from .models import UNIT_ROLES, Organization, Role, Unit, User

LINKED_LIAISON_ROLES = (Role.SUPERVISOR, Role.OFFICE_HEAD)
LINKED_HEAD_ROLES = (Role.OFFICE_HEAD,)


@dataclass(frozen=True)
class Acting:
    """The units a person answers for, by capacity (unit ids)."""

    liaison: frozenset[int] = frozenset()  # as 联络员: signs for items, drafts and files reports
    head: frozenset[int] = frozenset()  # as 单位负责人: approves (审签) the unit's reports
    member: frozenset[int] = frozenset()  # whose items the person sees as a unit
    linked: frozenset[int] = frozenset()  # of these, units of the upper organisation standing for the person's own

    @property
    def units(self) -> frozenset[int]:
        return self.liaison | self.head | self.member


NOBODY = Acting()


def linked_unit_id(org_id) -> int | None:
    """The unit of the upper organisation that stands for this organisation, if any."""
    if not org_id:
        return None
    return Unit.objects.filter(org_link_id=org_id).values_list("id", flat=True).first()


def _read_linked_unit_id(user) -> int | None:
    """``linked_unit_id`` of the user's organisation, without a query when the person was read with
    ``org__upper_unit`` (accounts.backends.PeopleBackend does, for every signed-in request)."""
    org = user._state.fields_cache.get("org")
    if org is not None and org.pk == user.org_id and Organization.upper_unit.is_cached(org):
        try:
            return org.upper_unit.pk
        except Unit.DoesNotExist:
            return None
    return linked_unit_id(user.org_id)


def acting_for(user) -> Acting:
    """The units ``user`` answers for. Read once per user object (one request, one service call
    chain): only the lower office's people cost a query."""
    if not getattr(user, "is_authenticated", False):
        return NOBODY
    cached = user.__dict__.get("_acting")
    if cached is not None:
        return cached
    own = frozenset([user.unit_id]) if user.unit_id and user.role in UNIT_ROLES else frozenset()
    linked = frozenset()
    if user.role in LINKED_LIAISON_ROLES:
        unit_id = _read_linked_unit_id(user)
        linked = frozenset([unit_id]) if unit_id else frozenset()
    result = Acting(
        liaison=(own if user.role == Role.LIAISON else frozenset()) | linked,
        head=(own if user.role == Role.UNIT_HEAD else frozenset()) | (linked if user.role in LINKED_HEAD_ROLES else frozenset()),
        member=own | linked,
        linked=linked,
    )
    user.__dict__["_acting"] = result
    return result


def _capacity_roles(liaison: bool, head: bool) -> tuple[set[str], set[str]]:
    """The roles that answer for a unit in these capacities: in the unit itself, and in the lower
    organisation's office when the unit stands for it."""
    unit_roles = {Role.LIAISON} if liaison else set()
    office_roles = set(LINKED_LIAISON_ROLES) if liaison else set()
    if head:
        unit_roles.add(Role.UNIT_HEAD)
        office_roles.update(LINKED_HEAD_ROLES)
    return unit_roles, office_roles


def people_acting_for(unit_ids, *, liaison=True, head=True) -> QuerySet[User]:
    """The people who answer for these units as liaison and/or head: the units' own liaisons and
    heads, and for a linked unit the lower organisation's office (the reverse of ``acting_for``)."""
    unit_roles, office_roles = _capacity_roles(liaison, head)
    return User.objects.filter(
        Q(unit_id__in=unit_ids, role__in=unit_roles) | Q(org__upper_unit__in=unit_ids, role__in=office_roles)
    )


def people_acting_for_each(unit_ids, *, liaison=True, head=True, active_only=True) -> dict[int, list[User]]:
    """``people_acting_for`` of many units in one query, as {unit id: people in id order} (the
    ladder's batched sweep tells each item's lead unit its own people)."""
    unit_ids = set(unit_ids)
    unit_roles, office_roles = _capacity_roles(liaison, head)
    qs = people_acting_for(unit_ids, liaison=liaison, head=head).annotate(stands_for_unit=F("org__upper_unit"))
    if active_only:
        qs = qs.filter(is_active=True)
    each: dict[int, list[User]] = {u: [] for u in unit_ids}
    for person in qs.order_by("id"):
        if person.unit_id in unit_ids and person.role in unit_roles:
            each[person.unit_id].append(person)
        if person.stands_for_unit in unit_ids and person.role in office_roles:
            each[person.stands_for_unit].append(person)
    return each
