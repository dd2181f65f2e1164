"""Demo data for inspections and re-checks: an issued on-site inspection of 住建局 with a photo
and a rectification notice, an unannounced visit in progress, and a re-check rule. Made through
the services, as a person would. Call ``seed_demo(org)`` after the demo's people and items exist."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from duban.orgs.models import Role, Unit, User

from . import services
from .models import Inspection, InspectionKind, RecheckRule, Target


def _photo(color) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (1280, 960), color).save(buf, "JPEG", quality=80)
    return SimpleUploadedFile("现场.jpg", buf.getvalue(), content_type="image/jpeg")


def seed_demo(org, *, now=None) -> list[Inspection]:
    if Inspection.objects.filter(org=org).exists():
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    sup = User.objects.filter(org=org, role=Role.SUPERVISOR).order_by("id").first()
    head = User.objects.filter(org=org, role=Role.OFFICE_HEAD).order_by("id").first()
    leader = User.objects.filter(org=org, role=Role.RESPONSIBLE_LEADER).order_by("id").first()
    units = list(Unit.objects.filter(org=org, kind=Unit.Kind.DEPARTMENT, is_active=True).order_by("order", "id")[:2])
    if not (sup and leader and units):
        return []
    start = today - dt.timedelta(days=10)
    onsite = services.plan_inspection(org, sup, services.InspectionFields(
        title="城区积水点整治实地督查", kind=InspectionKind.JOINT, start_date=start, end_date=start + dt.timedelta(days=2),
        leader=leader, purpose="检查汛前积水点整治进度。", team_leader=sup, members=[head] if head else [],
        external_members="市应急管理局 赵某某", targets=[
            services.TargetSpec(Target.Kind.UNIT, unit=units[0]),
            services.TargetSpec(Target.Kind.SITE, address="建设路与解放路交叉口"),
        ]), now=now - dt.timedelta(days=10))
    unit_target, site_target = onsite.targets.order_by("id")
    f1 = services.record_finding(onsite.id, sup, target_id=unit_target.id, text="排水口被建筑垃圾堵塞，路面积水约20厘米。",
                                 latitude="36.061000", longitude="103.834000", accuracy_m=15,
                                 now=now - dt.timedelta(days=9))
    services.add_media(sup, _photo((70, 110, 160)), finding=f1, now=now - dt.timedelta(days=9))
    f2 = services.record_finding(onsite.id, sup, target_id=site_target.id, text="临时泵站值守规范，台账齐全。",
                                 unit=units[-1], now=now - dt.timedelta(days=9))
    services.decide_finding(f1.id, sup, outcome="rectify", note="限期15日内清理疏通并报送整改情况。",
                            now=now - dt.timedelta(days=8))
    services.decide_finding(f2.id, sup, outcome="praise", note="予以通报表扬。", now=now - dt.timedelta(days=8))
    services.save_report(onsite.id, sup, body=services.compose_report(onsite), now=now - dt.timedelta(days=7))
    services.submit_report(onsite.id, sup, now=now - dt.timedelta(days=7))
    onsite = services.decide_report(onsite.id, leader, approve=True, comment="同意印发。", now=now - dt.timedelta(days=6))
    unannounced = services.plan_inspection(org, sup, services.InspectionFields(
        title="窗口单位作风明察暗访", kind=InspectionKind.UNANNOUNCED, start_date=today, end_date=today + dt.timedelta(days=5),
        leader=leader, team_leader=sup, targets=[services.TargetSpec(Target.Kind.UNIT, unit=units[-1])]), now=now)
    RecheckRule.objects.get_or_create(org=org, kind=RecheckRule.Kind.AFTER_CLOSE, item_kind="rectification",
                                      defaults={"months": 6})
    RecheckRule.objects.get_or_create(org=org, kind=RecheckRule.Kind.SAMPLE, item_kind="instruction",
                                      defaults={"months": 1, "percent": 10})
    return [onsite, unannounced]
