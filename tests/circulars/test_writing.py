"""The words of a circular: periods as offices name them (seed 004: weekly, monthly, quarterly and
year-end circulars; 000 art. 6: mid-year and year-end), and the numbering of its sections."""

import datetime as dt

import pytest

from duban.circulars.writing import chinese_numeral, default_period, period_label

D = dt.date


@pytest.mark.parametrize("kind,today,period", [
    ("weekly", D(2026, 11, 5), (D(2026, 10, 26), D(2026, 11, 1))),
    ("monthly", D(2026, 11, 5), (D(2026, 10, 1), D(2026, 10, 31))),
    ("monthly", D(2026, 1, 3), (D(2025, 12, 1), D(2025, 12, 31))),
    ("quarterly", D(2026, 10, 9), (D(2026, 7, 1), D(2026, 9, 30))),
    ("half_yearly", D(2026, 7, 2), (D(2026, 1, 1), D(2026, 6, 30))),
    ("annual", D(2027, 1, 5), (D(2026, 1, 1), D(2026, 12, 31))),
    ("special", D(2026, 11, 5), (D(2026, 1, 1), D(2026, 11, 4))),
])
def test_the_default_period_is_the_last_complete_one(kind, today, period):
    assert default_period(kind, today) == period


@pytest.mark.parametrize("start,end,label", [
    (D(2026, 10, 1), D(2026, 10, 31), "2026年10月"),
    (D(2026, 7, 1), D(2026, 9, 30), "2026年第三季度"),
    (D(2026, 1, 1), D(2026, 6, 30), "2026年上半年"),
    (D(2026, 7, 1), D(2026, 12, 31), "2026年下半年"),
    (D(2026, 1, 1), D(2026, 12, 31), "2026年"),
    (D(2026, 10, 26), D(2026, 11, 1), "2026年10月26日至11月1日"),
    (D(2025, 12, 29), D(2026, 1, 4), "2025年12月29日至2026年1月4日"),
])
def test_periods_are_named_as_offices_name_them(start, end, label):
    assert period_label(start, end) == label


def test_section_numerals():
    assert [chinese_numeral(n) for n in (1, 3, 10, 11, 20, 23)] == ["一", "三", "十", "十一", "二十", "二十三"]
