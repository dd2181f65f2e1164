"""The suggestion pages: import, the proposal page and its actions, who sees what (001 art. 10)."""

import re

from duban.proposals.models import Answer, Proposal, ProposalState

from .test_import import row, workbook


def test_the_office_imports_a_batch_through_the_page(world, client):
    client.force_login(world.supervisor)
    r = client.post("/proposals/import/", {"body": "congress", "year": 2026, "default_session": "",
                                           "file": _upload([row(1), row(2, title="关于增设公交线路的建议")])})
    assert r.status_code == 302
    assert Proposal.objects.count() == 2
    page = client.get("/proposals/?year=2026").content.decode()
    assert "关于增设公交线路的建议" in page


def test_import_errors_are_listed_and_nothing_is_written(world, client):
    client.force_login(world.supervisor)
    r = client.post("/proposals/import/", {"body": "congress", "year": 2026, "default_session": "",
                                           "file": _upload([row(1), row("x")])})
    text = r.content.decode()
    assert r.status_code == 200 and "未导入任何一件" in text and "第4行" in text
    assert not Proposal.objects.exists()


def _upload(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("batch.xlsx", workbook(rows).getvalue())


def test_the_journey_through_the_pages(world, journey, client):
    p = journey.receive()
    office, liaison, head = world.supervisor, world.liaison["lead"], world.head["lead"]
    client.force_login(office)
    client.post(f"/proposals/{p.id}/act/assign/", {"lead_unit": world.units["lead"].id,
                                                    "co_units": [world.units["co"].id]})
    p.refresh_from_db()
    assert p.state == ProposalState.HANDLING
    client.force_login(liaison)
    page = client.get(f"/proposals/{p.id}/").content.decode()
    assert "提出交办异议" in page and "起草答复函" in page and "13800000000" in page
    client.post(f"/proposals/{p.id}/act/record_contact/", {"method": "visit", "on": p.assigned_on.isoformat(),
                                                            "who": "局长、王建国"})
    client.post(f"/proposals/{p.id}/act/draft_answer/", {
        "answer_class": "B", "body": "答复正文", "publishable": "full", "abstract": "",
        "commitments": "出台补助办法｜2099-09-30"})
    a = Answer.objects.get()
    client.post(f"/proposals/answers/{a.id}/send_answer_to_head/")
    client.force_login(head)
    client.post(f"/proposals/answers/{a.id}/sign_answer/", {"comment": "同意"})
    client.force_login(liaison)
    client.post(f"/proposals/answers/{a.id}/send_answer/")
    client.force_login(office)
    r = client.post(f"/proposals/answers/{a.id}/review/", {"answers_question": "on", "lawful": "on",
                                                            "commitments_concrete": "on", "decision": "accept"},
                    follow=True)
    text = r.content.decode()
    token = re.search(r"/public/rate/([A-Za-z0-9_-]+)/", text).group(1)
    p.refresh_from_db()
    assert p.state == ProposalState.AWAITING_RATING
    assert a.commitments.get().item is not None
    client.post(f"/proposals/{p.id}/act/publish_answer/")
    client.logout()
    assert "已答复（B类）" in client.get("/public/").content.decode()
    client.post(f"/public/rate/{token}/", {"value": "satisfied"})
    p.refresh_from_db()
    assert p.state == ProposalState.CLOSED


def test_a_bad_action_input_changes_nothing_and_says_why(world, journey, client):
    p = journey.receive()
    client.force_login(world.supervisor)
    r = client.post(f"/proposals/{p.id}/act/assign/", {"lead_unit": world.office.id}, follow=True)
    assert r.status_code == 200
    p.refresh_from_db()
    assert p.state == ProposalState.RECEIVED
    assert "主办单位" in r.content.decode()


def test_a_unit_not_on_the_suggestion_gets_404(world, journey, client):
    p = journey.assign(journey.receive())
    client.force_login(world.liaison["other"])
    assert client.get(f"/proposals/{p.id}/").status_code == 404
    assert client.post(f"/proposals/{p.id}/act/contest/", {"reason": "x"}).status_code == 404


def test_the_office_moderates_opinions_on_the_disclosure_page(world, client):
    from duban.portal import selectors, services
    from duban.portal.models import PublicOpinion

    item = world.item_in("in_progress")
    client.force_login(world.supervisor)
    client.post("/disclosure/item/", {"item": item.id, "body": "已完成一半"})
    pub = selectors.published().get()
    op = services.submit_opinion(pub.id, body="请加快", address="1.2.3.4")
    assert "请加快" in client.get("/disclosure/").content.decode()
    client.post(f"/disclosure/moderate/{op.id}/", {"approve": "1", "reply": "收到"})
    assert PublicOpinion.objects.get().state == PublicOpinion.State.APPROVED
    client.force_login(world.liaison["lead"])
    assert client.get("/disclosure/").status_code == 404


def test_an_answer_the_head_returns_is_edited_and_sent_again(world, journey, client):
    from duban.proposals import services as ps

    p = journey.assign(journey.receive())
    liaison, head = world.liaison["lead"], world.head["lead"]
    a = ps.draft_answer(p.id, liaison, ps.AnswerFields(body="初稿", answer_class="A"))
    ps.send_answer_to_head(a.id, liaison)
    ps.return_answer_to_author(a.id, head, comment="请补充补助标准")
    client.force_login(liaison)
    page = client.get(f"/proposals/{p.id}/").content.decode()
    assert "修改答复函" in page and "请补充补助标准" in page and "初稿" in page
    client.post(f"/proposals/answers/{a.id}/edit/", {
        "answer_class": "B", "body": "修改稿：补助标准为每台15万元", "publishable": "abstract",
        "abstract": "每台补助15万元", "commitments": "出台补助办法｜2099-06-30"})
    a.refresh_from_db()
    assert a.body.startswith("修改稿") and a.answer_class == "B" and a.commitments.count() == 1
    client.force_login(head)
    assert client.post(f"/proposals/answers/{a.id}/edit/", {"answer_class": "A", "body": "x",
                                                            "publishable": "no"}).status_code == 302
    a.refresh_from_db()
    assert a.body.startswith("修改稿")  # the head may not rewrite the unit's draft
