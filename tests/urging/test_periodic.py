"""Periodic reporting (issue 3, point 4): each period's report is owed, reminded, flagged when
missing, and owed again until the item is closed (000 art. 4(2); 001 art. 12)."""

import datetime as dt

import pytest

from duban.items.models import ItemKind, ReportCycle, Status
from duban.urging.models import ReportObligation
from duban.urging.periodic import due_date, period_of, sweep_obligations

from ..factories import aware

D = dt.date.fromisoformat


@pytest.mark.parametrize("cycle,day,start,end", [
    (ReportCycle.WEEKLY, "2026-10-08", "2026-10-05", "2026-10-11"),
    (ReportCycle.MONTHLY, "2026-02-14", "2026-02-01", "2026-02-28"),
    (ReportCycle.QUARTERLY, "2026-11-24", "2026-10-01", "2026-12-31"),
    (ReportCycle.HALF_YEARLY, "2026-03-01", "2026-01-01", "2026-06-30"),
    (ReportCycle.HALF_YEARLY, "2026-07-01", "2026-07-01", "2026-12-31"),
])
def test_periods_are_calendar_aligned(cycle, day, start, end):
    assert period_of(cycle, D(day)) == (D(start), D(end))


@pytest.mark.django_db
def test_due_date_rolls_over_rest_days():
    assert due_date(D("2026-10-04")) == D("2026-10-08")  # National Day
    assert due_date(D("2026-12-31")) == D("2026-12-31")


def test_policy_documents_default_to_half_yearly_reports(world):
    """000 art. 4(2): 未规定报告日期的，一般要每半年报告一次."""
    assert world.draft(kind=ItemKind.POLICY_DOCUMENT).report_cycle == ReportCycle.HALF_YEARLY
    assert world.draft(kind=ItemKind.MEETING_DECISION).report_cycle == ReportCycle.NONE
    assert world.draft(kind=ItemKind.POLICY_DOCUMENT, report_cycle=ReportCycle.MONTHLY).report_cycle == ReportCycle.MONTHLY


def test_monthly_obligations_open_remind_fulfil_and_flag(world):
    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), report_cycle=ReportCycle.MONTHLY,
                         deadline=D("2026-12-31"), deadline_override_reason="年底")
    c = sweep_obligations(now=aware(2026, 9, 2))
    assert c["opened"] == 1 and sweep_obligations(now=aware(2026, 9, 2))["opened"] == 0
    sep = ReportObligation.objects.get(item=item, period_start=D("2026-09-01"))
    assert sep.due == D("2026-09-30")
    assert sweep_obligations(now=aware(2026, 9, 25))["reminded"] == 1  # 3 working days before 09-30
    assert sweep_obligations(now=aware(2026, 9, 26))["reminded"] == 0  # once
    world.file_report(item, body="九月进展", now=aware(2026, 9, 28))
    assert sweep_obligations(now=aware(2026, 9, 29))["fulfilled"] == 1
    # October: nothing filed → missed on the first day after its due date (10-31 is a Saturday → 11-02)
    sweep_obligations(now=aware(2026, 10, 5))
    assert sweep_obligations(now=aware(2026, 11, 2))["missed"] == 0
    assert sweep_obligations(now=aware(2026, 11, 3))["missed"] == 1
    assert item.events.filter(action="report_missed").count() == 1
    states = dict(ReportObligation.objects.filter(item=item).values_list("period_start", "state"))
    assert states[D("2026-09-01")] == "fulfilled" and states[D("2026-10-01")] == "missed"


def test_long_items_keep_reporting_until_closed(world):
    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 1, 5), report_cycle=ReportCycle.QUARTERLY,
                         deadline=D("2026-03-31"), deadline_override_reason="一季度")
    for month in (1, 4, 7):  # past its deadline, still owed (续报)
        sweep_obligations(now=aware(2026, month, 10))
    assert ReportObligation.objects.filter(item=item).count() == 3
    item.status = Status.CLOSED
    item.save()
    sweep_obligations(now=aware(2026, 10, 10))
    assert ReportObligation.objects.filter(item=item).count() == 3


def test_item_page_and_list_show_missing_reports(client, world):
    from django.urls import reverse

    item = world.item_in(Status.IN_PROGRESS, now=aware(2026, 9, 1), report_cycle=ReportCycle.MONTHLY,
                         deadline=D("2026-12-31"), deadline_override_reason="年底", title="按月报告的事项")
    sweep_obligations(now=aware(2026, 9, 2))
    sweep_obligations(now=aware(2026, 10, 9))
    client.force_login(world.supervisor)
    page = client.get(reverse("item_detail", args=[item.id])).content.decode()
    assert "定期报告（每月）" in page and "缺报" in page
    assert "按月报告的事项" in client.get(reverse("item_list"), {"light": "missing"}).content.decode()
    assert "按月报告的事项" not in client.get(reverse("item_list"), {"light": "red"}).content.decode()
