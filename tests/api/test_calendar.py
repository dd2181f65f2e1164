"""GET /calendar/add-working-days over the official calendar the deadlines app loads."""

import pytest

from .conftest import error_of, has_chinese


@pytest.fixture
def api(world, as_user):
    return as_user(world.liaison["lead"])


# 2026 National Day (国办发明电〔2025〕7号): 10-01 (Thu) to 10-07 (Wed) off; Sat 10-10 is worked.
# (In 2025 the holiday ran to 10-08; 2026's ends a day earlier.)

def test_one_working_day_after_30_september_2026_skips_national_day(api):
    r = api.get("/calendar/add-working-days", {"start": "2026-09-30", "days": "1"})
    assert r.status_code == 200, r.content
    assert r.json() == {"start": "2026-09-30", "days": 1, "date": "2026-10-08", "provisional": False,
                        "provisional_years": []}


@pytest.mark.parametrize("days, expected", [(2, "2026-10-09"), (3, "2026-10-10"), (4, "2026-10-12")])
def test_the_makeup_saturday_after_national_day_counts(api, days, expected):
    assert api.get("/calendar/add-working-days", {"start": "2026-09-30", "days": days}).json()["date"] == expected


def test_a_holiday_start_counts_from_the_next_working_day(api):
    assert api.get("/calendar/add-working-days", {"start": "2026-10-03", "days": 1}).json()["date"] == "2026-10-08"


def test_zero_days_from_a_working_day_is_that_day(api):
    assert api.get("/calendar/add-working-days", {"start": "2026-03-02", "days": 0}).json()["date"] == "2026-03-02"


def test_an_unpublished_year_gives_a_provisional_answer(api):
    body = api.get("/calendar/add-working-days", {"start": "2027-03-05", "days": 1}).json()
    # Fri 2027-03-05 + 1 working day, guessed Mon-Fri: Mon 2027-03-08.
    assert body == {"start": "2027-03-05", "days": 1, "date": "2027-03-08", "provisional": True,
                    "provisional_years": [2027]}


def test_crossing_into_an_unpublished_year_names_it(api):
    body = api.get("/calendar/add-working-days", {"start": "2026-12-30", "days": 5}).json()
    assert body["provisional"] is True and body["provisional_years"] == [2027]


@pytest.mark.parametrize("params, field", [
    ({"start": "2026-13-01", "days": 1}, "start"),
    ({"start": "2026-02-30", "days": 1}, "start"),
    ({"start": "tomorrow", "days": 1}, "start"),
    ({"start": "", "days": 1}, "start"),
    ({"start": "1999-12-31", "days": 1}, "start"),
    ({"start": "2100-01-01", "days": 1}, "start"),
    ({"start": "0001-01-01", "days": 1}, "start"),
    ({"start": "9999-12-31", "days": 3650}, "start"),
    ({"days": 1}, "start"),
    ({"start": "2026-09-30"}, "days"),
    ({"start": "2026-09-30", "days": -1}, "days"),
    ({"start": "2026-09-30", "days": "x"}, "days"),
    ({"start": "2026-09-30", "days": "1.5"}, "days"),
    ({"start": "2026-09-30", "days": 3651}, "days"),
    ({"start": "2026-09-30", "days": str(10**30)}, "days"),
    ({"start": "2026-09-30", "days": "false"}, "days"),
])
def test_bad_parameters_are_400_in_chinese(api, params, field):
    err = error_of(api.get("/calendar/add-working-days", params), 400)
    assert err["field"] == field
    assert has_chinese(err["detail"])


def test_the_largest_allowed_request_answers(api):
    body = api.get("/calendar/add-working-days", {"start": "2099-12-31", "days": 3650}).json()
    assert body["date"].startswith("21") and body["provisional"] is True
