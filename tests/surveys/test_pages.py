"""The office's survey pages: build, hand out links, open, close (满意度测评: seed 001 art. 13)."""

from duban.surveys.models import Survey, SurveyLink


def test_the_office_builds_a_survey_hands_out_links_and_opens_it(world, client):
    client.force_login(world.supervisor)
    r = client.post("/surveys/new/", {"title": "窗口单位满意度测评", "units": [world.units["lead"].id],
                                      "questions": "服务态度\n\n办事效率"})
    s = Survey.objects.get()
    assert r["Location"] == f"/surveys/{s.id}/"
    assert list(s.questions.values_list("text", flat=True)) == ["服务态度", "办事效率"]
    client.post(f"/surveys/{s.id}/links/", {"audience": "public", "count": 3, "label": "窗口"})
    client.post(f"/surveys/{s.id}/open/")
    s.refresh_from_db()
    assert s.state == Survey.State.OPEN and SurveyLink.objects.filter(survey=s).count() == 3
    page = client.get(f"/surveys/{s.id}/").content.decode()
    for link in SurveyLink.objects.all():
        assert f"/s/{link.token}/" in page
    client.post(f"/surveys/{s.id}/close/")
    assert Survey.objects.get().state == Survey.State.CLOSED


def test_a_survey_without_subjects_is_refused_on_the_page_and_nothing_is_created(world, client):
    client.force_login(world.supervisor)
    r = client.post("/surveys/new/", {"title": "x", "questions": "q"})
    assert "请选择测评的单位或事项" in r.content.decode()
    assert not Survey.objects.exists()


def test_too_many_links_at_once_get_a_message(world, client):
    client.force_login(world.supervisor)
    client.post("/surveys/new/", {"title": "x", "units": [world.units["lead"].id], "questions": "q"})
    s = Survey.objects.get()
    r = client.post(f"/surveys/{s.id}/links/", {"audience": "public", "count": 9999}, follow=True)
    assert "请选择测评对象并填写份数（1—500）" in r.content.decode()
    assert not SurveyLink.objects.exists()


def test_a_unit_cannot_build_surveys(world, client):
    client.force_login(world.liaison["lead"])
    assert client.get("/surveys/new/").status_code == 404
