"""A suggestion's item is carried by the suggestion's own procedure (seed 001 art. 10): the generic
steps of an item (signing for it, filing a completion report, review, closing) are closed on it, so
no one can put the item in a state the suggestion does not know; extensions stay the item's."""


import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.items import selectors, workflow
from duban.items import services as svc
from duban.items.errors import TransitionNotAllowed
from duban.items.models import Report

from .conftest import NOW


def test_the_page_offers_a_liaison_no_generic_step_on_a_suggestion(client, world, journey):
    p = journey.assign(journey.receive())
    actions = {t.action for t in selectors.actions_for(world.liaison["lead"], p.item)}
    assert not actions & {"accept", "decline", "draft_report"}
    client.force_login(world.liaison["lead"])
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("item_detail", args=[p.item.id])).content.decode()
    assert "起草报告" not in page
    # The page links to the suggestion, read once with the question of who owns the item.
    assert reverse("proposal_detail", args=[p.id]) in page
    assert len([q for q in ctx.captured_queries if 'FROM "proposals_proposal"' in q["sql"]]) == 1
    # An item of a suggestion's kind without a suggestion: no link, and not asked twice either.
    plain = world.item_in("assigned", kind="deputy_suggestion")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("item_detail", args=[plain.id])).content.decode()
    assert "签收" in page and "建议提案页面办理" not in page
    assert len([q for q in ctx.captured_queries if 'FROM "proposals_proposal"' in q["sql"]]) == 1


def test_a_generic_completion_report_on_a_suggestion_is_refused(world, journey):
    p = journey.assign(journey.receive())
    with pytest.raises(TransitionNotAllowed, match="建议提案"):
        svc.draft_report(p.item.id, world.liaison["lead"], kind=Report.Kind.COMPLETION, body="已办结", now=NOW)
    assert not p.item.reports.exists()


def test_an_extension_stays_open_on_a_suggestion(world, journey):
    p = journey.assign(journey.receive())
    assert workflow.procedure_refusal(p.item, "request_extension") is None
    assert workflow.procedure_refusal(p.item, "accept")


def test_an_ordinary_item_of_the_same_kind_keeps_the_generic_procedure(world):
    item = world.item_in("assigned", kind="deputy_suggestion")
    assert workflow.procedure_refusal(item, "accept") is None
    svc.accept(item.id, world.liaison["lead"], responsible_person="张三")
