import datetime as dt

import pytest

from duban.proposals import services as ps
from duban.proposals.models import AnswerClass, Body, Contact, Publishable
from tests.factories import aware

NOW = aware(2026, 3, 2)  # a Monday in spring, when the batch is handed over


@pytest.fixture
def session(world):
    return ps.create_session(world.org, world.supervisor, body=Body.CONGRESS, year=2026, name="市十七届人大五次会议")


class Journey:
    """Drives a suggestion through its steps, as the people of ``world`` would."""

    def __init__(self, world, session):
        self.w, self.session = world, session

    def receive(self, number=1, title="关于加快老旧小区加装电梯的建议", now=NOW):
        return ps.register_proposal(self.session, self.w.supervisor, ps.ProposalFields(
            number=number, title=title, content="建议简化审批，加大补助。", category="城乡建设",
            proposers=[ps.ProposerFields(name="王建国", group="城关代表团", phone="13800000000", is_lead=True),
                       ps.ProposerFields(name="李红", group="城关代表团")]), now=now)

    def assign(self, p, now=NOW, co=True):
        return ps.assign(p.id, self.w.supervisor, lead_unit=self.w.units["lead"],
                         co_units=[self.w.units["co"]] if co else [], now=now)

    def answer(self, p, cls=AnswerClass.A, commitments=(), now=None, contact=True, publishable=Publishable.FULL):
        now = now or NOW + dt.timedelta(days=30)
        liaison, head = self.w.liaison["lead"], self.w.head["lead"]
        if contact:
            ps.record_contact(p.id, liaison, method=Contact.Method.VISIT, on=now.date(), who="局长张三、代表王建国",
                              summary="上门听取意见", now=now)
        a = ps.draft_answer(p.id, liaison, ps.AnswerFields(
            body="经研究，答复如下：……", answer_class=cls, publishable=publishable, commitments=list(commitments)),
            now=now)
        ps.send_answer_to_head(a.id, liaison, now=now)
        ps.sign_answer(a.id, head, now=now)
        return ps.send_answer(a.id, liaison, now=now)

    def accept(self, a, now=None):
        now = now or NOW + dt.timedelta(days=31)
        return ps.review_answer(a.id, self.w.supervisor, accept=True, criteria=dict.fromkeys(ps.REVIEW_CRITERIA, True),
                                now=now)

    def answered(self, number=1, **kw):
        p = self.assign(self.receive(number))
        a = self.answer(p, **kw)
        a, token = self.accept(a)
        p.refresh_from_db()
        return p, a, token


@pytest.fixture
def journey(world, session):
    return Journey(world, session)
