"""Reading the schedule an admin pastes from the State Council's yearly notice (parse_schedule_text)."""

from datetime import date

import pytest
from chinese_calendar.constants import Holiday, holidays, workdays
from django.core.exceptions import ValidationError

from duban.deadlines.services import format_schedule_text, parse_schedule_text

D = date.fromisoformat


def test_ranges_become_holidays_and_marked_lines_makeup_workdays():
    """"2027-01-01 至 2027-01-03 元旦" is three holidays; a line naming 上班 is a makeup workday."""
    holidays_, workdays_ = parse_schedule_text(
        "2027-01-01 至 2027-01-03 元旦\n"
        "\n"
        "# 春节\n"
        "2027-02-06 春节调休上班\n"
        "2027-04-05 清明节\n"
    )
    assert holidays_ == [
        (D("2027-01-01"), "元旦"),
        (D("2027-01-02"), "元旦"),
        (D("2027-01-03"), "元旦"),
        (D("2027-04-05"), "清明节"),
    ]
    assert workdays_ == [(D("2027-02-06"), "春节调休上班")]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("2027/1/1 至 2027/1/3 元旦", [(D("2027-01-01"), "元旦"), (D("2027-01-02"), "元旦"), (D("2027-01-03"), "元旦")]),
        ("2027年10月1日至2027年10月2日：国庆节。", [(D("2027-10-01"), "国庆节"), (D("2027-10-02"), "国庆节")]),
        ("2027-10-01（周五）~ 2027-10-02（周六） 国庆节", [(D("2027-10-01"), "国庆节"), (D("2027-10-02"), "国庆节")]),
        ("2027-05-01 - 2027-05-01 劳动节", [(D("2027-05-01"), "劳动节")]),
    ],
)
def test_the_usual_ways_of_writing_dates_are_understood(line, expected):
    assert parse_schedule_text(line) == (expected, [])


@pytest.mark.parametrize("line", ["2027-02-20 上班", "2027-02-20 补班", "2027-02-20 调休上班"])
def test_a_bare_workday_marker_is_named_makeup_workday(line):
    assert parse_schedule_text(line) == ([], [(D("2027-02-20"), "调休上班")])


@pytest.mark.parametrize(
    "text, message",
    [
        ("2027-01-01 元旦\n春节放假七天", "第2行无法识别"),
        ("2027-02-30 春节", "第1行日期无效"),
        ("2027-05-01--2027-05-03 劳动节", "第1行无法识别"),  # not silently one day named "--2027-05-03 …"
        ("2027-01-01 至 2027-01-03", "第1行缺少名称"),
        ("2027-01-03 至 2027-01-01 元旦", "第1行结束日期早于开始日期"),
        ("2027-01-01 至 2027-03-01 寒假", "第1行的区间超过31天"),
        ("2027-01-01 至 2027-01-03 元旦\n2027-01-03 元旦", "第2行的 2027-01-03 与第1行重复"),
        ("2027-02-08 春节调休上班", "第1行的 2027-02-08 是星期一，本来就上班"),
        ("\n# 只有注释\n", "没有填写任何日期"),
    ],
)
def test_bad_lines_are_reported_by_number_in_chinese(text, message):
    with pytest.raises(ValidationError) as error:
        parse_schedule_text(text)
    assert any(message in m for m in error.value.messages), error.value.messages


def test_every_bad_line_is_reported_at_once():
    with pytest.raises(ValidationError) as error:
        parse_schedule_text("2027-02-30 春节\n2027-01-01 元旦\n乱写一行")
    assert len(error.value.messages) == 2
    assert error.value.messages[0].startswith("第1行") and error.value.messages[1].startswith("第3行")


def test_official_2026_schedule_survives_formatting_and_parsing_back():
    """The admin sees a year's stored days as text (format) and may save it back (parse) unchanged."""
    rows = [(d, False, Holiday(v).chinese) for d, v in holidays.items() if d.year == 2026]
    rows += [(d, True, f"{Holiday(v).chinese}调休上班") for d, v in workdays.items() if d.year == 2026]
    text = format_schedule_text(rows)
    assert "2026-02-15 至 2026-02-23 春节" in text.splitlines()
    assert "2026-02-14 春节调休上班" in text.splitlines()
    parsed_holidays, parsed_workdays = parse_schedule_text(text)
    parsed = [(d, False, n) for d, n in parsed_holidays] + [(d, True, n) for d, n in parsed_workdays]
    assert sorted(parsed) == sorted(rows)
