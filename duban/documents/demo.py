"""The demo's documents: the organisation's letterhead, a 督查专报 and a 整改通知书 issued by the
office, and the sealed volume of every archived item. Idempotent: a second call adds nothing.

Called by the demo seeding (the lead wires it in): ``seed_demo(org, now=None)``."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from duban.items.models import Item, Status
from duban.orgs.models import Role, Unit, User

from . import services
from .kinds import FormKind
from .models import DocumentSettings, IssuedDocument


def seed_demo(org, *, now=None) -> dict:
    now = now or timezone.now()
    made = {"settings": 0, "special_reports": 0, "notices": 0, "volumes": 0}
    _, created = DocumentSettings.objects.get_or_create(org=org, defaults={"heading": f"{org.name}督查室"})
    made["settings"] += created
    office = User.objects.filter(org=org, role=Role.SUPERVISOR, is_active=True).order_by("id").first()
    head = User.objects.filter(org=org, role=Role.OFFICE_HEAD, is_active=True).order_by("id").first()
    if office is None or head is None:
        return made
    handling = Item.objects.filter(org=org, status=Status.IN_PROGRESS, is_secret=False).order_by("id").first()
    if handling and not IssuedDocument.objects.filter(org=org, kind=FormKind.SPECIAL_REPORT).exists():
        draft = services.special_report_draft(handling)
        services.issue_special_report(handling.id, office, title=draft["title"], body=draft["body"] + "各项工作正按计划推进。",
                                      signer=head.display_name, main_to=draft["main_to"] or "市政府领导",
                                      cc="市政府办公室", now=now)
        made["special_reports"] += 1
    unit = Unit.objects.filter(org=org, kind=Unit.Kind.DEPARTMENT, is_active=True).order_by("order", "id").first()
    if unit and not IssuedDocument.objects.filter(org=org, kind=FormKind.RECTIFICATION_NOTICE).exists():
        services.issue_rectification_notice(
            org, office, unit=unit, title="关于督查发现问题限期整改的通知",
            body="督查组在实地督查中发现：项目台账不完整，部分事项进展未及时报送。请对照问题逐项整改，"
                 "并在反馈时限内报送整改情况。",
            answer_deadline=timezone.localdate(now) + dt.timedelta(days=30), item=handling, cc="市政府办公室", now=now)
        made["notices"] += 1
    for item_id in Item.objects.filter(org=org, status=Status.ARCHIVED, volume__isnull=True).values_list("id", flat=True):
        services.seal_volume(item_id, head, now=now)
        made["volumes"] += 1
    return made

