"""Demo data for surveys: an open survey of two units with a few answers. ``seed_demo(org)``."""

from __future__ import annotations

from django.utils import timezone

from duban.orgs.models import Role, Unit, User

from . import services
from .models import Survey


def seed_demo(org, *, now=None) -> Survey | None:
    if Survey.objects.filter(org=org).exists():
        return None
    now = now or timezone.now()
    sup = User.objects.filter(org=org, role=Role.SUPERVISOR).order_by("id").first()
    units = list(Unit.objects.filter(org=org, kind=Unit.Kind.DEPARTMENT, is_active=True).order_by("order", "id")[:2])
    if sup is None or not units:
        return None
    s = services.create_survey(org, sup, title=f"{timezone.localdate(now).year}年度部门服务满意度测评", units=units,
                               questions=["工作落实情况", "工作作风与服务态度"], now=now)
    services.open_survey(s.id, sup, now=now)
    links = services.make_links(s.id, sup, audience="deputy", count=5, label="人大代表", now=now)
    services.make_links(s.id, sup, audience="public", count=5, now=now)
    ratings = ["satisfied", "satisfied", "basic", "unsatisfied"]
    for n, link in enumerate(links[:4]):
        data = {f"r_{sub.id}_{q.id}": ratings[(n + i) % 4]
                for i, sub in enumerate(s.subjects.all()) for q in s.questions.all()}
        services.answer(link.token, data, now=now)
    return s
