"""Two levels: a city (``World``) and a district that is an organisation of its own (a second
``World`` whose parent is the city), and the city's unit "东城区人民政府" standing for it.

Supervision runs level by level (一级抓一级, seed 001 art. 3) and each level carries out what the
level above sends down (分级负责, art. 5): the tests here follow one upper item down and back up.
"""

from __future__ import annotations

import pytest

from duban.deadlines.official import ensure_official_calendar
from duban.items import services as svc
from duban.items.models import Item, Status
from duban.orgs.models import Unit

from ..factories import UnitFactory, World
from ..api.conftest import as_user  # noqa: F401  (fixture: a JSON API client for a user)


class Levels:
    """``city`` and ``district`` are Worlds (office, leaders, units lead/co/other with liaison and
    head); ``link`` is the city's unit standing for the district."""

    def __init__(self):
        self.city = World()
        self.district = World("东")
        d = self.district.org
        d.parent, d.short_name, d.number_prefix = self.city.org, "东城区", "东督"
        d.save()
        self.link = UnitFactory(org=self.city.org, name="东城区人民政府", kind=Unit.Kind.DISTRICT, org_link=d)

    # the people of the district office, in the parts they play for the city's unit
    @property
    def dc_supervisor(self):
        return self.district.supervisor

    @property
    def dc_office_head(self):
        return self.district.office_head

    def send_down(self, status=Status.ASSIGNED, *, co=False, now=None, **kw) -> Item:
        """A city item assigned to the district (as lead unit, or as co-unit beside the city's
        lead unit), registered by the city leader and, from IN_PROGRESS on, signed by the district."""
        if co:
            kw.setdefault("co_units", [self.link])
        else:
            kw.setdefault("lead_unit", self.link)
            kw.setdefault("co_units", [])
        kw.setdefault("title", "关于开展城镇燃气安全专项整治的督查事项")
        item = self.city.draft(now=now, **kw)
        svc.submit_proposal(item.id, self.city.supervisor, now=now)
        svc.approve_proposal(item.id, self.city.leader, now=now)
        if status != Status.ASSIGNED:
            if co:
                svc.accept(item.id, self.city.liaison["lead"], responsible_person="张三", now=now)
                svc.accept_as_co(item.id, self.dc_supervisor, responsible_person="何志强", now=now)
            else:
                svc.accept(item.id, self.dc_supervisor, responsible_person="何志强", now=now)
        item.refresh_from_db()
        assert item.status == status
        return item

    def register(self, upper, *, unit="lead", co_units=(), now=None) -> Item:
        """The district registers the upper item, names its own units and leader, and its leader
        approves: the district's own item, numbered in the district's series."""
        d = self.district
        lower = svc.register_lower(upper.id, self.dc_supervisor, now=now)
        svc.update_draft(lower.id, self.dc_supervisor, svc.DraftFields(
            title=lower.title, content=lower.content, kind=lower.kind, urgency=lower.urgency,
            lead_unit=d.units[unit], co_units=[d.units[u] for u in co_units], responsible_leader=d.leader,
            deadline=lower.deadline if lower.deadline_override_reason else None,
            deadline_override_reason=lower.deadline_override_reason, source_text=lower.source_text,
        ), now=now)
        svc.submit_proposal(lower.id, self.dc_supervisor, now=now)
        svc.approve_proposal(lower.id, d.leader, now=now)
        lower.refresh_from_db()
        return lower

    def file_upward(self, upper, kind, body="已完成阶段任务。", now=None):
        """The district files a report on the upper item: its supervisor drafts and files, its
        office head signs (审签) — the same procedure as any unit (seed 002 art. 5(3))."""
        r = svc.draft_report(upper.id, self.dc_supervisor, kind=kind, body=body, now=now)
        svc.send_report_to_head(r.id, self.dc_supervisor, now=now)
        svc.approve_report(r.id, self.dc_office_head, now=now)
        return svc.submit_report(r.id, self.dc_supervisor, now=now)


@pytest.fixture
def levels(db):
    ensure_official_calendar()
    return Levels()


def login(client, user):
    client.logout()
    client.force_login(user)
    return client
