"""The office publishes on the portal what may be public (002 art. 6(5): 网络督查……在网上公开), and
nothing else: answers marked for publication, plans' progress, items it chooses to disclose."""

import pytest

from duban.items.errors import PermissionDenied, TransitionNotAllowed
from duban.portal import selectors, services
from duban.proposals.models import AnswerClass, Publishable


def test_an_answer_marked_full_is_published_in_full(world, journey):
    p, a, _ = journey.answered()
    pub = services.publish_answer(p.id, world.supervisor)
    assert pub.body == a.body and pub.reference == "市十七届人大五次会议第1号建议"
    assert pub.unit_name == world.units["lead"].name and pub.status_label == "已答复（A类）"
    assert list(selectors.published()) == [pub]


def test_an_answer_marked_abstract_publishes_only_the_abstract(world, journey):
    p = journey.assign(journey.receive())
    from duban.proposals import services as ps

    a = ps.draft_answer(p.id, world.liaison["lead"], ps.AnswerFields(
        body="全文含内部协调细节", answer_class=AnswerClass.A, publishable=Publishable.ABSTRACT, abstract="已加装电梯12部"))
    ps.record_contact(p.id, world.liaison["lead"], method="visit", on=p.received_on, who="王建国")
    ps.send_answer_to_head(a.id, world.liaison["lead"])
    ps.sign_answer(a.id, world.head["lead"])
    ps.send_answer(a.id, world.liaison["lead"])
    ps.review_answer(a.id, world.supervisor, accept=True, criteria=dict.fromkeys(ps.REVIEW_CRITERIA, True))
    pub = services.publish_answer(p.id, world.supervisor)
    assert pub.body == "已加装电梯12部"


def test_an_answer_the_unit_marked_private_cannot_be_published(world, journey):
    p, a, _ = journey.answered(publishable=Publishable.NO)
    with pytest.raises(TransitionNotAllowed, match="不公开"):
        services.publish_answer(p.id, world.supervisor)


def test_an_answer_not_yet_accepted_cannot_be_published(world, journey):
    p = journey.assign(journey.receive())
    journey.answer(p)
    with pytest.raises(TransitionNotAllowed):
        services.publish_answer(p.id, world.supervisor)


def test_units_cannot_publish(world, journey):
    p, a, _ = journey.answered()
    with pytest.raises(PermissionDenied):
        services.publish_answer(p.id, world.liaison["lead"])


def test_an_item_is_disclosed_with_the_text_the_office_writes_and_a_secret_one_never(world):
    item = world.item_in("in_progress")
    pub = services.publish_item(item.id, world.supervisor, body="已完成3处内涝点整治，其余汛前完成。")
    assert pub.body.startswith("已完成3处") and pub.reference == item.number
    secret = world.item_in("in_progress", is_secret=True)
    with pytest.raises(TransitionNotAllowed, match="涉密"):
        services.publish_item(secret.id, world.supervisor, body="x")
    draft = world.draft()
    with pytest.raises(TransitionNotAllowed, match="未立项"):
        services.publish_item(draft.id, world.supervisor, body="x")


def test_republishing_updates_and_withdrawing_removes(world):
    item = world.item_in("in_progress")
    first = services.publish_item(item.id, world.supervisor, body="进展一")
    second = services.publish_item(item.id, world.supervisor, body="进展二")
    assert first.id == second.id and selectors.published().get().body == "进展二"
    services.withdraw(first.id, world.supervisor)
    assert not selectors.published().exists()


def test_a_plan_progress_is_published_as_figures_and_summary(world):
    from duban.ledgers import services as ledgers
    from duban.ledgers.importing import PlanParams

    import datetime as dt

    plan = ledgers.create_plan(world.org, world.supervisor, PlanParams(
        title="巡视整改方案", kind="rectification", source_text="", item_kind="rectification",
        start_date=dt.date(2026, 3, 1)))
    pub = services.publish_plan(plan.id, world.supervisor)
    assert pub.kind == "plan" and "整体整改率" in pub.body and pub.figures["measures"] == 0


def test_search_finds_by_title_number_unit_and_text(world):
    item = world.item_in("in_progress", title="关于城区内涝点整治的督查事项")
    services.publish_item(item.id, world.supervisor, body="已完成加装电梯12部")
    assert selectors.published(q="内涝").count() == 1
    assert selectors.published(q="电梯").count() == 1
    assert selectors.published(q=item.number).count() == 1
    assert selectors.published(q=world.units["lead"].name).count() == 1
    assert selectors.published(q="不存在的词").count() == 0
