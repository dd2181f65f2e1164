"""The answer letter, the office's review, the proposer's rating through a personal link, re-handling
of an unsatisfied answer and commitments as follow-up items (001 art. 10: the unit strengthens contact
with the proposer who disagrees with the answer and handles it again)."""

import datetime as dt

import pytest

from duban.items.errors import InvalidInput, NotFound, PermissionDenied, TransitionNotAllowed
from duban.items.models import Item, Status
from duban.proposals import services as ps
from duban.proposals.models import Answer, AnswerClass, ProposalState, Rating, RatingLink

from .conftest import NOW

LATER = NOW + dt.timedelta(days=40)


def test_the_answer_needs_a_contact_with_the_proposer_before_it_is_sent(world, journey):
    p = journey.assign(journey.receive())
    with pytest.raises(TransitionNotAllowed, match="面商"):
        journey.answer(p, contact=False)


def test_the_unit_head_signs_before_it_is_sent(world, journey):
    p = journey.assign(journey.receive())
    a = ps.draft_answer(p.id, world.liaison["lead"], ps.AnswerFields(body="答复", answer_class=AnswerClass.A), now=NOW)
    ps.record_contact(p.id, world.liaison["lead"], method="call", on=NOW.date(), who="王建国", now=NOW)
    with pytest.raises(TransitionNotAllowed):
        ps.send_answer(a.id, world.liaison["lead"], now=NOW)
    ps.send_answer_to_head(a.id, world.liaison["lead"], now=NOW)
    with pytest.raises(PermissionDenied):
        ps.sign_answer(a.id, world.liaison["lead"], now=NOW)
    with pytest.raises(PermissionDenied):
        ps.sign_answer(a.id, world.head["co"], now=NOW)
    ps.sign_answer(a.id, world.head["lead"], now=NOW)
    a = ps.send_answer(a.id, world.liaison["lead"], now=NOW)
    assert a.state == Answer.State.SENT and a.is_on_time
    p.refresh_from_db()
    assert p.state == ProposalState.ANSWER_REVIEW and p.item.status == Status.UNDER_REVIEW


@pytest.mark.parametrize("cls", [AnswerClass.B, AnswerClass.C])
def test_b_and_c_answers_must_name_their_commitments(world, journey, cls):
    p = journey.assign(journey.receive())
    with pytest.raises(InvalidInput, match="承诺事项"):
        ps.draft_answer(p.id, world.liaison["lead"], ps.AnswerFields(body="答复", answer_class=cls), now=NOW)


def test_an_abstract_is_needed_to_publish_the_abstract(world, journey):
    p = journey.assign(journey.receive())
    with pytest.raises(InvalidInput, match="公开摘要"):
        ps.draft_answer(p.id, world.liaison["lead"], ps.AnswerFields(body="答复", answer_class="A",
                                                                     publishable="abstract"), now=NOW)


def test_the_office_returns_an_answer_that_does_not_answer_the_question(world, journey):
    p = journey.assign(journey.receive())
    a = journey.answer(p)
    with pytest.raises(InvalidInput, match="是否答其所问"):
        ps.review_answer(a.id, world.supervisor, accept=True, criteria={"lawful": True, "commitments_concrete": True})
    with pytest.raises(InvalidInput):
        ps.review_answer(a.id, world.supervisor, accept=False, criteria={})
    ps.review_answer(a.id, world.supervisor, accept=False, criteria={}, comment="未回应补助标准问题")
    p.refresh_from_db()
    assert p.state == ProposalState.HANDLING and p.item.status == Status.IN_PROGRESS
    # A second letter is drafted and sent; the contact already made still counts.
    a2 = journey.answer(p, contact=False)
    assert a2.id != a.id and a2.state == Answer.State.SENT


def test_commitments_of_a_b_answer_become_follow_up_items(world, journey):
    p, a, _ = journey.answered(cls=AnswerClass.B, commitments=[("出台加装电梯补助办法", "2026-09-30")])
    c = a.commitments.get()
    assert c.item is not None
    assert c.item.status == Status.ASSIGNED and c.item.lead_unit == world.units["lead"]
    assert c.item.deadline == dt.date(2026, 9, 30)
    assert c.item.number.startswith("督〔2026〕")


def test_a_satisfied_rating_closes_the_suggestion(world, journey):
    p, a, token = journey.answered()
    assert p.state == ProposalState.AWAITING_RATING
    r = ps.rate_by_link(token, value=Rating.Value.SATISFIED, comment="", now=LATER)
    p.refresh_from_db()
    assert r.via == Rating.Via.LINK
    assert p.state == ProposalState.CLOSED and p.item.status == Status.CLOSED


def test_the_link_works_once(world, journey):
    p, a, token = journey.answered()
    ps.rate_by_link(token, value=Rating.Value.BASICALLY, now=LATER)
    with pytest.raises(NotFound):
        ps.rate_by_link(token, value=Rating.Value.UNSATISFIED, comment="x", now=LATER)


def test_the_link_expires(world, journey):
    p, a, token = journey.answered()
    with pytest.raises(NotFound, match="已过期"):
        ps.rate_by_link(token, value=Rating.Value.SATISFIED, now=LATER + dt.timedelta(days=61))


def test_a_guessed_or_reissued_link_does_not_work(world, journey):
    p, a, token = journey.answered()
    with pytest.raises(NotFound):
        ps.rate_by_link(token[:-1] + ("A" if token[-1] != "A" else "B"), value="satisfied", now=LATER)
    new = ps.issue_rating_link(p.id, world.supervisor, now=LATER)
    with pytest.raises(NotFound):
        ps.rate_by_link(token, value="satisfied", now=LATER)
    ps.rate_by_link(new, value="satisfied", now=LATER)
    # Only hashes are stored.
    assert not RatingLink.objects.filter(token_hash__in=[token, new]).exists()


def test_unsatisfied_reopens_for_re_handling_with_a_new_deadline_and_a_second_answer(world, journey):
    p, a, token = journey.answered()
    with pytest.raises(InvalidInput, match="意见"):
        ps.rate_by_link(token, value=Rating.Value.UNSATISFIED, now=LATER)
    ps.rate_by_link(token, value=Rating.Value.UNSATISFIED, comment="补助标准没有答复", now=LATER)
    p.refresh_from_db()
    assert p.round == 2 and p.state == ProposalState.HANDLING
    assert p.item.status == Status.IN_PROGRESS
    assert p.item.original_deadline == dt.date(2026, 6, 2)
    assert p.item.deadline == dt.date(2026, 5, 11)  # one month from 11 April, the rating day (preset)
    # Re-handling needs a fresh contact and a second answer.
    with pytest.raises(TransitionNotAllowed, match="面商"):
        journey.answer(p, contact=False, now=LATER)
    a2 = Answer.objects.get(proposal=p, round=2)
    ps.record_contact(p.id, world.liaison["lead"], method="meeting", on=LATER.date(), who="王建国", now=LATER)
    a2 = ps.send_answer(a2.id, world.liaison["lead"], now=LATER + dt.timedelta(days=1))
    a2, token2 = journey.accept(a2, now=LATER + dt.timedelta(days=2))
    assert a2.round == 2
    ps.rate_by_link(token2, value=Rating.Value.BASICALLY, now=LATER + dt.timedelta(days=3))
    p.refresh_from_db()
    assert p.state == ProposalState.CLOSED


def test_the_office_records_a_paper_rating(world, journey):
    p, a, token = journey.answered()
    with pytest.raises(PermissionDenied):
        ps.record_paper_rating(p.id, world.liaison["lead"], value="satisfied")
    r = ps.record_paper_rating(p.id, world.supervisor, value="satisfied", now=LATER)
    assert r.via == Rating.Via.PAPER and r.recorded_by == world.supervisor
    # The link can no longer be used.
    with pytest.raises(NotFound):
        ps.rate_by_link(token, value="unsatisfied", comment="x", now=LATER)


def test_answers_are_recorded_on_the_item_timeline(world, journey):
    p, a, token = journey.answered()
    actions = list(Item.objects.get(pk=p.item_id).events.values_list("action", flat=True))
    assert actions[:2] == ["receive_proposal", "assign"]
    assert {"record_contact", "draft_answer", "sign_answer", "send_answer", "accept_answer"} <= set(actions)


def test_the_head_is_told_when_an_answer_awaits_the_signature_and_the_liaison_when_it_comes_back(world, journey):
    from duban.notify.models import Notification

    p = journey.assign(journey.receive())
    a = ps.draft_answer(p.id, world.liaison["lead"], ps.AnswerFields(body="答复", answer_class="A"), now=NOW)
    ps.send_answer_to_head(a.id, world.liaison["lead"], now=NOW)
    note = Notification.objects.get(recipient=world.head["lead"], title__startswith="答复函待签发")
    assert note.url == f"/proposals/{p.id}/"
    ps.return_answer_to_author(a.id, world.head["lead"], comment="请补充", now=NOW)
    assert Notification.objects.filter(recipient=world.liaison["lead"], title__startswith="答复函退回修改").exists()


def test_re_handling_moves_the_co_units_date_into_the_new_period(world, journey):
    p, a, token = journey.answered()
    ps.rate_by_link(token, value=Rating.Value.UNSATISFIED, comment="未解决", now=LATER)
    p.refresh_from_db()
    assert LATER.date() <= p.co_opinion_due <= p.item.deadline
