"""manage.py calendar_publish_year: the same publication from a text file."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from duban.deadlines import services
from duban.deadlines.models import CalendarYear

from .conftest import SCHEDULE_2027

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def test_publishes_the_year_from_a_file(tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text(SCHEDULE_2027, encoding="utf-8")
    out = StringIO()
    call_command("calendar_publish_year", "2027", "--file", str(notice), "--source", "国办发明电〔2026〕9号", stdout=out)
    assert "已发布2027年节假日安排：放假11天，调休上班1天。" in out.getvalue()
    assert CalendarYear.objects.get(year=2027).source == "国办发明电〔2026〕9号"
    assert services.add_working_days(D("2026-12-31"), 1).provisional is False


def test_source_defaults_to_the_file_name(tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text(SCHEDULE_2027, encoding="utf-8")
    call_command("calendar_publish_year", "2027", "--file", str(notice), stdout=StringIO())
    assert CalendarYear.objects.get(year=2027).source == "官方通知（notice.txt）"


@pytest.mark.parametrize(
    "text, message",
    [
        ("2027-01-01 元旦\n2027-13-01 春节\n", "第2行日期无效"),
        ("2028-01-01 元旦\n", "2028-01-01 不在2027年"),
    ],
)
def test_errors_name_the_problem_and_publish_nothing(tmp_path, text, message):
    notice = tmp_path / "2027.txt"
    notice.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("calendar_publish_year", "2027", "--file", str(notice), stdout=StringIO())
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="无法读取"):
        call_command("calendar_publish_year", "2027", "--file", str(tmp_path / "none.txt"))
