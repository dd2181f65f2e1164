"""Satisfaction surveys (满意度测评: seed 000 art. 5; seed 001 art. 13): one-answer links needing no
account, results per unit, export, and the figures the assessment reads."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from duban.items.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from duban.surveys import services
from duban.surveys.models import Answer
from duban.surveys.selectors import unit_satisfaction


@pytest.fixture
def survey(world):
    s = services.create_survey(world.org, world.supervisor, title="2026年度部门满意度测评",
                               units=[world.units["lead"], world.units["co"]], questions=["工作落实", "服务态度"])
    services.open_survey(s.id, world.supervisor)
    return s


def answers_for(s, rating="satisfied"):
    return {f"r_{sub.id}_{q.id}": rating for sub in s.subjects.all() for q in s.questions.all()}


def test_only_the_office_builds_a_survey(world):
    with pytest.raises(PermissionDenied):
        services.create_survey(world.org, world.liaison["lead"], title="x", units=[world.units["lead"]], questions=["q"])


def test_links_are_unguessable_and_distinct(world, survey):
    links = services.make_links(survey.id, world.supervisor, audience="public", count=20)
    tokens = {li.token for li in links}
    assert len(tokens) == 20 and all(len(t) >= 32 for t in tokens)


def test_a_link_accepts_one_answer_and_needs_no_account(world, survey, client):
    (link,) = services.make_links(survey.id, world.supervisor, audience="deputy", count=1)
    page = client.get(f"/s/{link.token}/")
    assert page.status_code == 200 and "满意" in page.content.decode()
    r = client.post(f"/s/{link.token}/", answers_for(survey) | {f"c_{survey.subjects.first().id}": "很好"})
    assert "提交成功" in r.content.decode()
    assert Answer.objects.count() == 4
    r = client.post(f"/s/{link.token}/", answers_for(survey, "unsatisfied"))
    assert r.status_code == 410 and Answer.objects.count() == 4
    with pytest.raises(TransitionNotAllowed):
        services.answer(link.token, answers_for(survey))


def test_a_survey_link_reveals_nothing_else(world, survey, client):
    (link,) = services.make_links(survey.id, world.supervisor, audience="public", count=1, label="张某某")
    html = client.get(f"/s/{link.token}/").content.decode()
    assert "督查事项" not in html and "我的待办" not in html and "张某某" not in html  # no nav, no label
    assert client.get(f"/surveys/{survey.id}/").status_code == 302  # results need an account
    assert client.get(f"/s/{link.token[:-1]}x/").status_code == 404
    client.post(f"/s/{link.token}/", answers_for(survey))
    after = client.get(f"/s/{link.token}/").content.decode()
    assert "满意率" not in after and "lead" not in after


def test_an_incomplete_answer_is_refused_and_the_link_stays_usable(world, survey, client):
    (link,) = services.make_links(survey.id, world.supervisor, audience="unit", count=1)
    r = client.post(f"/s/{link.token}/", {})
    assert "请对每一项作出评价" in r.content.decode()
    assert Answer.objects.count() == 0
    link.refresh_from_db()
    assert link.used_at is None


def test_a_closed_survey_takes_no_answer(world, survey):
    (link,) = services.make_links(survey.id, world.supervisor, audience="unit", count=1)
    services.close_survey(survey.id, world.supervisor)
    with pytest.raises(Exception, match="测评未在进行中"):
        services.answer(link.token, answers_for(survey))


def test_results_per_unit_feed_the_assessment(world, survey):
    links = services.make_links(survey.id, world.supervisor, audience="public", count=3)
    lead = survey.subjects.get(unit=world.units["lead"])
    for link, rating in zip(links, ["satisfied", "basic", "unsatisfied"]):
        data = answers_for(survey)
        data.update({f"r_{lead.id}_{q.id}": rating for q in survey.questions.all()})
        services.answer(link.token, data)
    today = dt.date.today()
    res = unit_satisfaction(world.org, today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    r = res[world.units["lead"].id]
    assert (r.satisfied, r.basic, r.unsatisfied, r.total) == (2, 2, 2, 6)
    assert str(r.rate) == "66.67" and str(r.score) == "53.33"
    assert res[world.units["co"].id].score == 100
    assert unit_satisfaction(world.org, today - dt.timedelta(days=30), today - dt.timedelta(days=20)) == {}


def test_results_export_as_xlsx(world, survey, client):
    (link,) = services.make_links(survey.id, world.supervisor, audience="public", count=1)
    services.answer(link.token, answers_for(survey) | {f"c_{survey.subjects.first().id}": "=HYPERLINK(1)"})
    client.force_login(world.office_head)
    r = client.get(f"/surveys/{survey.id}/export.xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb["按单位汇总"].values)
    assert rows[0][:2] == ("单位", "满意") and len(rows) == 3
    assert wb["意见建议"]["C2"].value == "'=HYPERLINK(1)"


def test_a_unit_sees_no_survey_results(world, survey, client):
    client.force_login(world.liaison["lead"])
    assert client.get(f"/surveys/{survey.id}/").status_code == 404


def test_a_survey_needs_questions_and_subjects(world):
    with pytest.raises(InvalidInput, match="问题"):
        services.create_survey(world.org, world.supervisor, title="x", units=[world.units["lead"]], questions=[])
    with pytest.raises(InvalidInput, match="单位或事项"):
        services.create_survey(world.org, world.supervisor, title="x", questions=["q"])


def test_the_answer_page_never_sends_its_token_to_another_site(world, survey, client):
    (link,) = services.make_links(survey.id, world.supervisor, audience="public", count=1)
    r = client.get(f"/s/{link.token}/")
    assert r["Referrer-Policy"] == "same-origin" and "no-cache" in r["Cache-Control"]
