"""The admin pages where the office enters each year's official schedule and its deadline rules."""

from datetime import date

import pytest
from django.urls import reverse

from duban.deadlines import services
from duban.deadlines.models import CalendarDay, CalendarYear

from .conftest import SCHEDULE_2027

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def add_year(client, schedule, year=2027, source="国务院办公厅通知 国办发明电〔2026〕9号"):
    return client.post(
        reverse("admin:deadlines_calendaryear_add"),
        {"year": year, "source": source, "note": "", "schedule": schedule},
    )


def test_entering_the_2027_notice_publishes_the_year(admin_client, admin_user):
    """When the State Council's notice comes out, an admin pastes it and 2027 deadlines become final."""
    response = add_year(admin_client, SCHEDULE_2027)
    assert response.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert (year.published, year.published_by) == (True, admin_user)
    assert CalendarDay.objects.filter(date__year=2027, is_workday=False).count() == 11
    assert services.add_working_days(D("2026-12-31"), 1).date == D("2027-01-04")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "已发布2027年节假日安排：放假11天，调休上班1天。" in messages


def test_a_bad_line_is_shown_on_the_form_and_nothing_is_saved(admin_client):
    response = add_year(admin_client, "2027-01-01 至 2027-01-03 元旦\n2027-02-30 春节")
    assert response.status_code == 200
    assert "第2行日期无效" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_dates_of_another_year_are_refused(admin_client):
    response = add_year(admin_client, "2028-01-01 元旦")
    assert "2028-01-01 不在2027年" in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2028).exists()


def test_publishing_needs_a_source(admin_client):
    response = add_year(admin_client, SCHEDULE_2027, source="")
    assert "请填写来源" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_years_page_shows_its_schedule_as_editable_text(admin_client):
    year = CalendarYear.objects.get(year=2026)
    response = admin_client.get(reverse("admin:deadlines_calendaryear_change", args=[year.pk]))
    assert "2026-02-15 至 2026-02-23 春节" in response.content.decode()


def test_saving_a_year_without_touching_its_schedule_does_not_republish(admin_client):
    year = CalendarYear.objects.get(year=2026)
    url = reverse("admin:deadlines_calendaryear_change", args=[year.pk])
    schedule = services.schedule_text_for_year(2026).replace("\n", "\r\n")  # as a browser sends it
    response = admin_client.post(url, {"source": year.source, "note": "已核对", "schedule": schedule})
    assert response.status_code == 302
    year.refresh_from_db()
    assert (year.note, year.published_at) == ("已核对", None)


def test_correcting_a_published_year_replaces_its_days(admin_client):
    year = CalendarYear.objects.get(year=2026)
    url = reverse("admin:deadlines_calendaryear_change", args=[year.pk])
    schedule = services.schedule_text_for_year(2026).replace("2026-02-28 春节调休上班\n", "")
    admin_client.post(url, {"source": "更正通知", "note": "", "schedule": schedule})
    assert services.is_working_day(D("2026-02-28")) is False
    assert CalendarYear.objects.get(year=2026).source == "更正通知"


def test_a_published_years_schedule_cannot_be_emptied(admin_client):
    year = CalendarYear.objects.get(year=2026)
    url = reverse("admin:deadlines_calendaryear_change", args=[year.pk])
    response = admin_client.post(url, {"source": year.source, "note": "", "schedule": ""})
    assert "已发布年份的官方安排不能清空" in response.content.decode()
    assert CalendarDay.objects.filter(date__year=2026).count() == 39


def test_days_can_be_listed_by_year(admin_client):
    response = admin_client.get(reverse("admin:deadlines_calendarday_changelist"), {"year": "2026"})
    assert response.context["cl"].result_count == 39
    assert "2026年" in response.content.decode()


def test_rules_are_listed_with_their_period(admin_client, org):
    services.install_presets(org)
    response = admin_client.get(reverse("admin:deadlines_deadlinerule_changelist"), {"org__id__exact": org.pk})
    content = response.content.decode()
    assert response.context["cl"].result_count == 6
    assert "5个工作日" in content and "3个月" in content


def test_year_list_shows_each_years_source_and_day_counts(admin_client):
    response = admin_client.get(reverse("admin:deadlines_calendaryear_changelist"))
    content = response.content.decode()
    assert response.context["cl"].result_count == 23  # 2004-2026
    row_2026 = content[content.index(">2026<"):].split("</tr>")[0]
    assert "chinesecalendar 1.11.0" in row_2026
    assert ">33<" in row_2026 and ">6<" in row_2026  # days off, makeup workdays
