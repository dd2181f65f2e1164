"""The leaders' dashboard (督查驾驶舱, issue 9 point 4): the figures a principal leader, a
responsible leader or the office head reads on opening the system.

Every figure is counted from ``items_visible_to(user)`` (a 分管领导 does not count the secret items
he is not named on) with the definitions of ``duban.items.counting``, in SQL aggregates over the
indexed columns: a handful of queries whatever the number of items. Each figure carries the
query string of the item list that shows the items behind it (``filter_items``), so a bar or a
slice is a link to exactly what it counts.

Seeds: results are reported to the leaders and circulated (001 art. 7(7), 000 art. 4(6)); the
on-time rate and the overdue units are what circulars and the assessment count (001 arts. 15, 16;
002 arts. 16, 17).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.apps import apps
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from duban.items.counting import DONE_STATUSES, OPEN_STATUSES, done_q, on_time_q, overdue_q, rate
from duban.items.models import Assignment, Item, ItemKind
from duban.items.selectors import items_visible_to, month_range, worklist
from duban.ledgers.selectors import plans_visible_to
from duban.orgs.models import Role, Unit, User
from duban.urging import lights

# Whose home page the dashboard is (issue 9: "the home page of leaders and the office head").
HOME_ROLES = frozenset({Role.PRINCIPAL_LEADER, Role.RESPONSIBLE_LEADER, Role.OFFICE_HEAD})
# Who may open it: also the office's supervisors and the administrator, who see the same items.
READER_ROLES = HOME_ROLES | {Role.SUPERVISOR, Role.ADMIN}

MIN_YEAR, MAX_YEAR = 2000, 2099
TOP_UNITS = 15
PLANS_SHOWN = 8
WORKLIST_ROWS = 5


def is_home(user) -> bool:
    """The dashboard replaces the 待办 page as this user's home page."""
    return bool(user.is_authenticated and user.org_id and user.role in HOME_ROLES)


def may_read(user) -> bool:
    return bool(user.is_authenticated and user.org_id and user.role in READER_ROLES)


def list_url(**params) -> str:
    """The item list filtered by ``params`` (the filters of ``duban.items.selectors.filter_items``)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "", False)})
    return reverse("item_list") + (f"?{query}" if query else "")


@dataclass
class Bar:
    """One category of a chart: its label, its values, and the list behind each value."""

    key: str
    label: str
    values: dict[str, int]
    urls: dict[str, str] = field(default_factory=dict)
    rate: Decimal | None = None
    mine: bool = False


@dataclass
class LowerOrg:
    """What one lower organisation made of the work sent down to it (下级办理情况): no ids into it."""

    unit_id: int
    name: str
    sent: int  # upper items of the year assigned to the unit standing for it
    registered: int  # of them, registered in its own series
    total: int  # its items and the leaves of their decomposition
    done: int
    overdue: int
    url: str

    @property
    def rate(self) -> Decimal:
        return rate(self.done, self.total)


@dataclass
class Dashboard:
    year: int
    today: dt.date
    years: list[int]
    totals: dict[str, int | Decimal]
    total_urls: dict[str, str]
    lights: list[Bar]
    overdue_units: list[Bar]
    overdue_unit_count: int
    kinds: list[Bar]
    leaders: list[Bar]
    months: list[Bar]
    plans: list[Bar]
    lower_orgs: list[LowerOrg]
    circulars: list[dict] | None  # None: the circulars app is not installed
    ranking: list[dict] | None  # None: the assessment app is not installed
    worklist: list[tuple[str, str, list[Item], int]] = field(default_factory=list)

    @property
    def worklist_total(self) -> int:
        return sum(n for *_, n in self.worklist)

    def chart_data(self) -> dict:
        """What the charts draw, for one ``json_script`` tag (the JS only reads it)."""
        def bars(rows):
            return [{"label": b.label, "values": b.values, "urls": b.urls, "mine": b.mine} for b in rows]

        return {
            "year": self.year,
            "lights": bars(self.lights),
            "overdue_units": bars(self.overdue_units),
            "kinds": bars(self.kinds),
            "leaders": bars(self.leaders),
            "months": bars(self.months),
        }


def month_of(field: str, year: int) -> Case:
    """The local month (1–12) of ``field`` for a value within ``year``, by comparing the value with
    each month's first instant: the same month as ``ExtractMonth`` (local time), without converting
    every row to local time first (PostgreSQL: the closings' grouping 35 → 18 ms over 23,000 items)."""
    starts = [month_range(f"{year}-{m:02d}")[0] for m in range(2, 13)]
    return Case(
        When(**{f"{field}__isnull": True}, then=Value(None)),
        *[When(**{f"{field}__lt": start}, then=Value(m)) for m, start in enumerate(starts, 1)],
        default=Value(12), output_field=IntegerField(),
    )


def dashboard(user, *, year: int | None = None, now: dt.datetime | None = None, with_worklist: bool = True) -> Dashboard:
    """All the figures of the dashboard as ``user`` may see them, for ``year`` (default: this year).

    Three grouped queries carry the item figures: the year's registrations by (kind, leader,
    month), the year's closings by month, and the open items by lead unit; the rest (kinds,
    leaders, months, totals, lights, overdue units) is summed from those groups, not from items."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    year = year or today.year
    bounds = lights.boundaries(user.org, now=now)
    # The organisation's own items only: an upper item a lower office handles for its unit is the
    # upper organisation's work, counted there (issue 9: "a lower organisation's items are its own").
    visible = items_visible_to(user).filter(org_id=user.org_id)
    of_year = Q(year=year)  # registered (立项交办) in the year: the number's year is the registration's

    # The year's registrations, grouped by kind, leader and month (a few hundred rows), and its
    # closings, whatever the year of registration, grouped by month: each read from one covering
    # index on PostgreSQL (item_org_year_figures, item_org_closed; see bench/README.md).
    grid = list(
        visible.filter(of_year).order_by().annotate(rm=month_of("registered_at", year))
        .values("kind", "responsible_leader_id", "rm").annotate(**_counts(today))
    )
    start, end = month_range(str(year))
    closings = list(
        visible.filter(done_q(), closed_at__gte=start, closed_at__lt=end).order_by()
        .annotate(m=month_of("closed_at", year)).values("m")
        .annotate(n=Count("id"), on_time=Count("id", filter=on_time_q()))
    )
    totals, total_urls, light_bars, by_unit = _totals(visible, year, today, bounds, grid, closings)
    d = Dashboard(
        year=year, today=today, years=sorted({year, *range(max(MIN_YEAR, today.year - 5), today.year + 1)}, reverse=True),
        totals=totals, total_urls=total_urls, lights=light_bars,
        overdue_units=[], overdue_unit_count=0,
        kinds=_by_kind(grid, year),
        leaders=_by_leader(user, grid, year),
        months=_by_month(grid, closings, year),
        plans=_plans(user, visible, today),
        lower_orgs=_lower_orgs(visible, year, today, of_year),
        circulars=_circulars(user), ranking=_ranking(user),
    )
    d.overdue_units, d.overdue_unit_count = _overdue_units(by_unit)
    if with_worklist:
        d.worklist = [(key, label, list(lights.annotate(qs, bounds)[:WORKLIST_ROWS]), qs.count())
                      for key, label, qs in worklist(user, now=now)]
    return d


def _sum(rows, *keys) -> dict[str, int]:
    return {k: sum(r[k] for r in rows) for k in keys}


def _group(rows, key) -> dict:
    """Sum the grid's counts per value of ``key``."""
    out: dict = {}
    for r in rows:
        acc = out.setdefault(r[key], {"total": 0, "done": 0, "overdue": 0})
        for k in acc:
            acc[k] += r[k]
    return out


def _totals(visible, year, today, b, grid, closings):
    """The year's totals (from the grid and the closings), and the open items by lead unit with
    their lights: one grouped read of the open items (through the status index) gives the lights,
    the overdue total and the overdue units."""
    lit = Q(status__in=lights.LIGHT_STATUSES, deadline__isnull=False)
    by_unit = list(
        visible.filter(status__in=OPEN_STATUSES).order_by().values("lead_unit_id").annotate(
            open=Count("id"),
            overdue=Count("id", filter=overdue_q(today)),
            red=Count("id", filter=lit & Q(deadline__lt=b.today)),
            yellow=Count("id", filter=lit & Q(deadline__gte=b.today, deadline__lte=b.warning)),
            green=Count("id", filter=lit & Q(deadline__gt=b.warning)),
            stalled=Count("id", filter=Q(status__in=lights.STALL_STATUSES, last_progress_at__lt=b.stall)),
        )
    )
    row = _sum(by_unit, "open", "overdue", "red", "yellow", "green", "stalled")
    year_sums = _sum(grid, "total", "done")
    closed = _sum(closings, "n", "on_time")
    totals = {
        "assigned": year_sums["total"], "assigned_done": year_sums["done"],
        "completion_rate": rate(year_sums["done"], year_sums["total"]),
        "closed": closed["n"], "closed_on_time": closed["on_time"], "on_time_rate": rate(closed["on_time"], closed["n"]),
        **row,
    }
    urls = {
        "assigned": list_url(year=year),
        "assigned_done": list_url(year=year, status="done"),
        "closed": list_url(closed_in=str(year)),
        "open": list_url(status="open"),
        "overdue": list_url(overdue="on"),
        "stalled": list_url(light="stalled"),
    }
    light_bars = [
        Bar(key, label, {"n": row[key]}, {"n": list_url(light=key)})
        for key, label in (("red", "超期（红灯）"), ("yellow", "临期（黄灯）"), ("green", "正常（绿灯）"))
    ]
    return totals, urls, light_bars, by_unit


def _triple(rows, label_of, params_of) -> list[Bar]:
    """Bars of the year's items: assigned, of which closed, and overdue now; each value a link."""
    bars = []
    for key, r in rows:
        params = params_of(key)
        urls = {}
        if params is not None:
            urls = {"total": list_url(**params), "done": list_url(**params, status="done"),
                    "overdue": list_url(**params, overdue="on")}
        bars.append(Bar(str(key or ""), label_of(key), {"total": r["total"], "done": r["done"], "overdue": r["overdue"]},
                        urls, rate=rate(r["done"], r["total"])))
    return bars


def _counts(today):
    return dict(total=Count("id"), done=Count("id", filter=done_q()), overdue=Count("id", filter=overdue_q(today)))


def _by_kind(grid, year) -> list[Bar]:
    order = {k: i for i, k in enumerate(ItemKind.values)}
    labels = dict(ItemKind.choices)
    rows = sorted(_group(grid, "kind").items(), key=lambda kv: order.get(kv[0], 99))
    return _triple(rows, lambda k: labels.get(k, k), lambda k: {"kind": k, "year": year})


def _by_leader(user, grid, year) -> list[Bar]:
    """Per responsible leader; a 分管领导 finds his own row first (issue 9, point 4)."""
    groups = _group(grid, "responsible_leader_id")
    names = {u.id: u.display_name for u in User.objects.filter(pk__in=[k for k in groups if k])}
    rows = sorted(groups.items(), key=lambda kv: (kv[0] != user.id, kv[0] is None, -kv[1]["total"], kv[0] or 0))
    bars = _triple(rows, lambda k: names.get(k, "未指定分管领导"), lambda k: {"leader": k, "year": year} if k else None)
    for bar in bars:
        bar.mine = bar.key == str(user.id)
    return bars


def _by_month(grid, closings, year) -> list[Bar]:
    """Assigned (registered) and closed per month of the year, in local time."""
    assigned = {m: r["total"] for m, r in _group(grid, "rm").items()}
    closed: dict[int, int] = {}
    for r in closings:
        closed[r["m"]] = closed.get(r["m"], 0) + r["n"]
    bars = []
    for m in range(1, 13):
        month = f"{year}-{m:02d}"
        bars.append(Bar(month, f"{m}月", {"assigned": assigned.get(m, 0), "closed": closed.get(m, 0)},
                        {"assigned": list_url(registered_in=month), "closed": list_url(closed_in=month)}))
    return bars


def _overdue_units(by_unit) -> tuple[list[Bar], int]:
    """Lead units (主办单位, who answer for the whole item) with overdue items now, worst first."""
    rows = sorted((r for r in by_unit if r["overdue"] and r["lead_unit_id"]),
                  key=lambda r: (-r["overdue"], -r["open"], r["lead_unit_id"]))
    top = rows[:TOP_UNITS]
    names = {u.id: u.short_name or u.name for u in Unit.objects.filter(pk__in=[r["lead_unit_id"] for r in top])}
    bars = [
        Bar(str(r["lead_unit_id"]), names.get(r["lead_unit_id"], ""), {"n": r["overdue"], "open": r["open"]},
            {"n": list_url(unit=r["lead_unit_id"], unit_role="lead", overdue="on")})
        for r in top
    ]
    return bars, len(rows)


def _plans(user, visible, today) -> list[Bar]:
    """The latest plans and their rectification rates, counted over the leaves the user may see."""
    plans = list(plans_visible_to(user).order_by("-id").values("id", "title")[:PLANS_SHOWN])
    rows = {
        r["plan_node__plan_id"]: r
        for r in visible.filter(plan_node__plan_id__in=[p["id"] for p in plans]).order_by()
        .values("plan_node__plan_id").annotate(**_counts(today))
    }
    bars = []
    for p in plans:
        r = rows.get(p["id"], {"total": 0, "done": 0, "overdue": 0})
        bars.append(Bar(str(p["id"]), p["title"], {k: r[k] for k in ("total", "done", "overdue")},
                        {"total": reverse("plan_detail", args=[p["id"]])}, rate=rate(r["done"], r["total"])))
    return bars


def _lower_orgs(visible, year, today, of_year) -> list[LowerOrg]:
    """下级办理情况: per lower organisation, the year's items sent down to the unit standing for it,
    how many it registered, and its items with their decomposition rolled up (as
    ``items.selectors.sent_down_progress`` counts one item), in three grouped queries."""
    upper = visible.filter(of_year).values("pk")
    sent = list(
        Assignment.objects.filter(item__in=upper, unit__org_link__isnull=False).order_by()
        .values("unit_id", "unit__name", "unit__short_name", "unit__org_link_id").annotate(n=Count("id"))
    )
    if not sent:
        return []
    counts = dict(total=Count("id"), done=Count("id", filter=done_q()), overdue=Count("id", filter=overdue_q(today)))
    lower_q = Q(upper_item__in=upper)
    own = {r["org_id"]: r for r in Item.objects.filter(lower_q).order_by().values("org_id").annotate(**counts)}
    leaves = {
        r["org_id"]: r for r in Item.objects.filter(plan_node__plan__source_item__upper_item__in=upper)
        .order_by().values("org_id").annotate(**counts)
    }
    result = []
    for s in sorted(sent, key=lambda r: (r["unit__short_name"] or r["unit__name"])):
        org_id = s["unit__org_link_id"]
        a = own.get(org_id, {"total": 0, "done": 0, "overdue": 0})
        b = leaves.get(org_id, {"total": 0, "done": 0, "overdue": 0})
        result.append(LowerOrg(
            unit_id=s["unit_id"], name=s["unit__short_name"] or s["unit__name"], sent=s["n"], registered=a["total"],
            total=a["total"] + b["total"], done=a["done"] + b["done"], overdue=a["overdue"] + b["overdue"],
            url=list_url(unit=s["unit_id"], year=year),
        ))
    return result


def _try_reverse(names, *args) -> str:
    for name in names:
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return ""


def _circulars(user) -> list[dict] | None:
    """The latest issued circulars (督查通报), when the circulars app is installed."""
    if not apps.is_installed("duban.circulars"):
        return None
    from duban.circulars.models import Circular  # noqa: PLC0415 - optional app (issue 9, INTERFACES §5)

    try:
        from duban.circulars.selectors import circulars_visible_to  # noqa: PLC0415
    except ImportError:
        qs = Circular.objects.filter(org_id=user.org_id)
    else:
        qs = circulars_visible_to(user)
    rows = qs.filter(status="issued").order_by("-issued_at", "-id")[:5]
    return [
        {"id": c.id, "number": c.number, "title": c.title, "issued_at": c.issued_at,
         "url": _try_reverse(["circulars:detail", "circular_detail"], c.id)}
        for c in rows
    ]


def _ranking(user) -> list[dict] | None:
    """The latest published assessment ranking (考核排名), when the assessment app is installed."""
    if not apps.is_installed("duban.assessment"):
        return None
    from duban.assessment.selectors import latest_published_ranking  # noqa: PLC0415 - optional app

    return [{"unit_name": name, "score": score, "rank": rank} for name, score, rank in latest_published_ranking(user.org)]


__all__ = ["DONE_STATUSES", "HOME_ROLES", "READER_ROLES", "Bar", "Dashboard", "LowerOrg", "dashboard",
           "is_home", "list_url", "may_read"]
