"""Reading the configuration history (issue 8, point 6): rules, calendar, ladder, urging policy,
units and people, with who changed them, when, and each field's value before → after.

The office head reads their own organisation's changes (and the national calendar, shared by all);
a system administrator or superuser of an organisation the same; a superuser without an
organisation reads everything."""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from django.db.models import Q

from duban.deadlines.models import CalendarDay, CalendarYear, DeadlineRule
from duban.orgs.models import Organization, Role, Unit, User
from duban.urging.models import LadderStep, UrgingPolicy

# kind -> (model, how its rows name their organisation; None: shared by all organisations)
KINDS = {
    "deadline_rule": (DeadlineRule, "org_id"),
    "calendar_year": (CalendarYear, None),
    "calendar_day": (CalendarDay, None),
    "ladder_step": (LadderStep, "org_id"),
    "urging_policy": (UrgingPolicy, "org_id"),
    "unit": (Unit, "org_id"),
    "person": (User, "org_id"),
    "organization": (Organization, "id"),
}
ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}


def can_read(user) -> bool:
    return user.is_authenticated and (user.role in (Role.OFFICE_HEAD, Role.ADMIN) or user.is_superuser)


def history_of(user, kind: str):
    """The history rows of one kind that ``user`` may read, newest first."""
    model, org_field = KINDS[kind]
    rows = model.history.select_related("history_user").order_by("-history_date", "-history_id")
    if user.is_superuser and user.org_id is None:
        return rows
    if org_field is None:
        return rows
    return rows.filter(Q(**{org_field: user.org_id}))


class EntryList:
    """Every kind's history merged newest first, sliceable for a Paginator."""

    def __init__(self, user, kind: str | None = None):
        self.kinds = [kind] if kind else list(KINDS)
        self.user = user

    def count(self) -> int:
        return sum(history_of(self.user, k).count() for k in self.kinds)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        start, stop = index.start or 0, index.stop
        streams = [[(row.history_date, row.history_id, kind, row) for row in history_of(self.user, kind)[:stop]]
                   for kind in self.kinds]
        merged = heapq.merge(*streams, key=lambda t: (t[0], t[1]), reverse=True)
        return [(kind, row) for _, _, kind, row in list(merged)[start:stop]]


@dataclass
class Entry:
    when: object
    who: str
    kind_label: str
    action: str
    subject: str
    reason: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def describe(rows: list[tuple[str, object]]) -> list[Entry]:
    """Each row with its changes against the row before it of the same object."""
    previous = _previous_rows(rows)
    names = _NameCache()
    entries = []
    for kind, row in rows:
        model, _ = KINDS[kind]
        before = previous.get((kind, row.history_id))
        fields = [f for f in row.instance_type._meta.fields if f.name in _tracked(row)]
        changes = []
        if row.history_type != "-":
            for f in fields:
                new = getattr(row, f.attname)
                old = getattr(before, f.attname) if before is not None else None
                if before is None and _unremarkable(f, new):
                    continue
                if before is not None and old == new:
                    continue
                changes.append((str(f.verbose_name), names.show(f, old) if before is not None else "",
                                names.show(f, new)))
        who = row.history_user.display_name if row.history_user else "系统（迁移或后台任务）"
        entries.append(Entry(
            when=row.history_date, who=who, kind_label=str(model._meta.verbose_name),
            action=ACTIONS.get(row.history_type, row.history_type), subject=_subject(row),
            reason=row.history_change_reason or "", changes=changes,
        ))
    return entries


# A new row lists what was filled in; these say nothing a reader needs.
_NOT_SHOWN_AT_CREATION = {"date_joined", "is_staff", "is_superuser", "is_active", "preset"}


def _unremarkable(f, value) -> bool:
    if f.primary_key or f.name in _NOT_SHOWN_AT_CREATION or value in (None, "", [], {}):
        return True
    return f.has_default() and not callable(f.default) and value == f.default


def _tracked(row) -> set[str]:
    return {f.name for f in row.instance_type._meta.fields} & {f.name for f in type(row)._meta.fields}


def _subject(row) -> str:
    try:
        return str(row.instance)
    except Exception:  # a deleted related object can make __str__ fail; the id still names it
        return f"#{row.id}"


def _previous_rows(rows) -> dict:
    """(kind, history_id) -> the previous history row of the same object, in one query per kind."""
    by_kind: dict[str, set] = {}
    for kind, row in rows:
        by_kind.setdefault(kind, set()).add(row.id)
    result = {}
    for kind, ids in by_kind.items():
        model, _ = KINDS[kind]
        last: dict = {}
        for row in model.history.filter(id__in=ids).order_by("history_date", "history_id"):
            result[(kind, row.history_id)] = last.get(row.id)
            last[row.id] = row
    return result


class _NameCache:
    """Values as people read them: choice labels, 是/否, names of related objects."""

    def __init__(self):
        self.cache: dict = {}

    def show(self, f, value) -> str:
        if value is None or value == "":
            return "（空）"
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "是" if value else "否"
        if f.is_relation:
            model = f.related_model
            key = (model, value)
            if key not in self.cache:
                obj = model._default_manager.filter(pk=value).first()
                self.cache[key] = str(obj) if obj else f"#{value}（已删除）"
            return self.cache[key]
        if isinstance(value, list):
            return "、".join(str(v) for v in value) or "（空）"
        return str(value)
