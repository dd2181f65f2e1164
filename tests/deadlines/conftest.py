"""Fixtures for the deadlines app: the official calendar without a database, and organisations."""

import pytest
from chinese_calendar.constants import holidays, workdays

from duban.deadlines import services
from duban.deadlines.calendar import WorkCalendar
from duban.orgs.models import Organization

# A schedule for 2027 in the State Council's shape, made up for the tests (the real notice is not
# out yet): New Year 01-01..01-03, Spring Festival 02-05..02-12, makeup workday Saturday 02-20.
SCHEDULE_2027 = """\
2027-01-01 至 2027-01-03 元旦
2027-02-05 至 2027-02-12 春节
2027-02-20 春节调休上班
"""


@pytest.fixture(scope="session")
def official():
    """The official calendar 2004-2026 as chinesecalendar 1.11.0 has it; later years unpublished."""
    overrides = {d: False for d in holidays} | {d: True for d in workdays}
    return WorkCalendar(overrides, published_years=range(2004, 2027))


def _bare_org(name, short_name):
    """An organisation without the presets installed on creation, so a test states its own rules."""
    from duban.deadlines.models import DeadlineRule

    org = Organization.objects.create(name=name, short_name=short_name)
    DeadlineRule.objects.filter(org=org).delete()
    return org


@pytest.fixture
def org(db):
    return _bare_org("测试市人民政府", "测试市")


@pytest.fixture
def other_org(db):
    return _bare_org("另一区人民政府", "另一区")


@pytest.fixture
def publish_2027(db):
    """Publish SCHEDULE_2027 and return the CalendarYear."""

    def publish(source="国务院办公厅通知（测试）", by=None):
        holidays_2027, workdays_2027 = services.parse_schedule_text(SCHEDULE_2027)
        return services.publish_year(2027, holidays_2027, workdays_2027, source=source, by=by)

    return publish

