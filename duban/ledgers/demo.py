"""The demo's rectification plan: seed 003's ledger shape (54 problems, 193 measures) under the
demo city, registered in one batch, with the measures the report counts as done carried through
the whole procedure (accept, completion report, review, leader's close) by the items services."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from duban.items import services as svc
from duban.items.models import Report, Status
from duban.orgs.models import Role, Unit, User

from . import importing, seed003, services
from .models import Plan

TITLE = "关于市委巡察组反馈意见的整改落实方案"


def _rows_for(org):
    leaders = [u.full_name for u in User.objects.filter(org=org, role=Role.RESPONSIBLE_LEADER).order_by("id")]
    units = list(Unit.objects.filter(org=org, kind=Unit.Kind.DEPARTMENT, parent__isnull=True, is_active=True).order_by("order", "id"))
    return seed003.rows(leaders, [u.name for u in units]), units


@transaction.atomic
def create_demo_plan(org, *, now=None) -> Plan | None:
    if Plan.objects.filter(org=org, title=TITLE).exists():
        return None
    now = now or timezone.now()
    start = now - dt.timedelta(days=75)
    today = timezone.localdate(start)
    sup = User.objects.get(username="duchayuan")
    rows, units = _rows_for(org)
    params = importing.PlanParams(title=TITLE, kind=Plan.Kind.RECTIFICATION, source_text="市委第三巡察组反馈意见",
                                  item_kind="rectification", start_date=today)
    clean, errors = importing.check_rows(org, params, [importing.Row(i + 2, r) for i, r in enumerate(rows)], now=start)
    if errors:
        raise RuntimeError(f"demo ledger does not import: {errors[:3]}")
    plan = importing.write_plan(org, sup, params, clean, now=start)
    for kind, who in (("submit", sup), ("approve", User.objects.get(username="shizhang"))):
        job = services.LedgerJob.objects.create(org=org, plan=plan, kind=kind, created_by=who, phase="")
        services._run_batch(job, start)
    liaisons = {u.unit_id: u for u in User.objects.filter(org=org, role=Role.LIAISON)}
    heads = {u.unit_id: u for u in User.objects.filter(org=org, role=Role.UNIT_HEAD)}
    items = list(plan.nodes.filter(level="measure").select_related("item").order_by("path"))
    when = start + dt.timedelta(days=1)
    for n, (node, r) in enumerate(zip(items, rows)):
        item = node.item
        lly, fzr = liaisons[item.lead_unit_id], heads[item.lead_unit_id]
        svc.accept(item.id, lly, responsible_person=lly.full_name, now=when)
        for a in item.assignments.filter(role="co"):
            svc.accept_as_co(item.id, liaisons[a.unit_id], responsible_person=liaisons[a.unit_id].full_name, now=when)
        if not r["done"]:
            continue
        at = when + dt.timedelta(days=5 + n % 20)  # before the earliest (one-month) deadline
        report = svc.draft_report(item.id, lly, kind=Report.Kind.COMPLETION, body="已按整改措施完成，相关制度已印发。", now=at)
        svc.send_report_to_head(report.id, lly, now=at)
        svc.approve_report(report.id, fzr, comment="同意报送。", now=at)
        svc.submit_report(report.id, lly, now=at)
        svc.review(item.id, sup, accept=True, criteria=dict.fromkeys(svc.REVIEW_CRITERIA, True), comment="整改到位。", now=at)
        svc.close(item.id, item.responsible_leader, text="同意销号。", now=at + dt.timedelta(days=1))
    assert plan.nodes.filter(level="measure", item__status=Status.CLOSED).count() == sum(r["done"] for r in rows)
    return plan
