"""Factories: an organisation with its office, leaders and units, and items in every state.

Items are driven to a state through the same services a person uses, so a test states only the
state it needs: ``ItemFlow(org).to(Status.UNDER_REVIEW)``.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from duban.deadlines.services import install_presets
from duban.items import services as svc
from duban.items.models import Item, ItemKind, Report, Status, Urgency
from duban.orgs.models import Organization, Role, Unit, User


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试市人民政府{n}")
    short_name = "测试市"
    number_prefix = "督"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    org = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"测试局{n}")
    kind = Unit.Kind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试{n}")
    org = factory.SelfAttribute("unit.org")
    unit = factory.SubFactory(UnitFactory)
    role = Role.STAFF
    password = factory.django.Password("pw-12345")


class World:
    """An organisation with an office, two leaders and three units, each with a liaison and head."""

    def __init__(self, name_suffix=""):
        self.org = OrganizationFactory()
        install_presets(self.org)
        self.office = UnitFactory(org=self.org, name=f"督查室{name_suffix}", kind=Unit.Kind.OFFICE)
        self.leadership = UnitFactory(org=self.org, name=f"领导{name_suffix}", kind=Unit.Kind.LEADERSHIP)
        self.supervisor = UserFactory(unit=self.office, role=Role.SUPERVISOR)
        self.office_head = UserFactory(unit=self.office, role=Role.OFFICE_HEAD)
        self.leader = UserFactory(unit=self.leadership, role=Role.RESPONSIBLE_LEADER)
        self.other_leader = UserFactory(unit=self.leadership, role=Role.RESPONSIBLE_LEADER)
        self.principal = UserFactory(unit=self.leadership, role=Role.PRINCIPAL_LEADER)
        self.units = {}
        self.liaison = {}
        self.head = {}
        for key in ("lead", "co", "other"):
            u = UnitFactory(org=self.org, name=f"{key}局{name_suffix}{self.org.id}")
            self.units[key] = u
            self.liaison[key] = UserFactory(unit=u, role=Role.LIAISON)
            self.head[key] = UserFactory(unit=u, role=Role.UNIT_HEAD)

    def fields(self, **kw) -> svc.DraftFields:
        base = dict(
            title="关于城区内涝点整治的督查事项", content="逐一制定整治方案，汛前完成。", kind=ItemKind.MEETING_DECISION,
            urgency=Urgency.NORMAL, lead_unit=self.units["lead"], co_units=[self.units["co"]],
            responsible_leader=self.leader,
        )
        base.update(kw)
        return svc.DraftFields(**base)

    def draft(self, now=None, **kw) -> Item:
        return svc.create_draft(self.org, self.supervisor, self.fields(**kw), now=now)

    def file_report(self, item, kind=Report.Kind.PROGRESS, body="已完成阶段任务。", unit="lead", now=None) -> Report:
        r = svc.draft_report(item.id, self.liaison[unit], kind=kind, body=body, now=now)
        svc.send_report_to_head(r.id, self.liaison[unit], now=now)
        svc.approve_report(r.id, self.head[unit], now=now)
        return svc.submit_report(r.id, self.liaison[unit], now=now)

    ORDER = [Status.DRAFT, Status.PENDING_APPROVAL, Status.ASSIGNED, Status.IN_PROGRESS, Status.UNDER_REVIEW,
             Status.PENDING_LEADER, Status.CLOSED, Status.ARCHIVED]

    def item_in(self, status, now=None, **kw) -> Item:
        """An item driven through the procedure to `status` (DECLINED is reached from ASSIGNED)."""
        item = self.draft(now=now, **kw)
        target = Status.ASSIGNED if status == Status.DECLINED else status
        steps = {
            Status.PENDING_APPROVAL: lambda: svc.submit_proposal(item.id, self.supervisor, now=now),
            Status.ASSIGNED: lambda: svc.approve_proposal(item.id, self.leader, now=now),
            Status.IN_PROGRESS: lambda: svc.accept(item.id, self.liaison["lead"], responsible_person="张三", now=now),
            Status.UNDER_REVIEW: lambda: self.file_report(item, Report.Kind.COMPLETION, now=now),
            Status.PENDING_LEADER: lambda: svc.review(item.id, self.supervisor, accept=True,
                                                      criteria=dict.fromkeys(svc.REVIEW_CRITERIA, True), now=now),
            Status.CLOSED: lambda: svc.close(item.id, self.leader, now=now),
            Status.ARCHIVED: lambda: svc.archive(item.id, self.supervisor, now=now),
        }
        for s in self.ORDER[1: self.ORDER.index(target) + 1]:
            steps[s]()
        if status == Status.DECLINED:
            svc.decline(item.id, self.liaison["lead"], comment="不属于本单位职责", now=now)
        item.refresh_from_db()
        assert item.status == status
        return item


def aware(y, m, d, h=10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h, 0))
