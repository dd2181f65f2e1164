"""Each form, filled from the record, carries the same fields in Word and in PDF (issue 10,
point 1; seed 001 art. 11: number, signer and seal; seed 004: the forms offices use)."""

import re

import pytest

from duban.documents import render, selectors
from duban.documents.kinds import FormKind

from .conftest import docx_text, pdf_text

pytestmark = pytest.mark.django_db


def squash(s: str) -> str:
    """PDF text extraction breaks lines where the page does; compare without whitespace."""
    return re.sub(r"\s+", "", s)


def both(user, item, kind, ref=None):
    form, _ = selectors.form_for(user, item.id, kind, ref)
    return form, docx_text(render.to_docx(form, item.org)), squash(pdf_text(render.to_pdf(form, item.org)))


def test_assignment_notice_names_number_units_deadline_in_word_and_pdf(world, handled):
    item = handled["item"]
    form, word, pdf = both(world.supervisor, item, FormKind.ASSIGNMENT_NOTICE)
    for expected in (item.number, item.title, world.units["lead"].name, world.units["co"].name,
                     "2026年5月29日", "督查事项交办通知单", f"{world.org.name}督查室"):
        assert expected in word, expected
        assert squash(expected) in pdf, expected


def test_completion_report_carries_the_unit_head_who_signed_it(world, handled):
    item, report = handled["item"], handled["completion"]
    head = world.head["lead"].display_name
    form, word, pdf = both(world.supervisor, item, FormKind.COMPLETION_REPORT, report.id)
    assert form.signer == head
    for expected in (f"签发人：{head}", "8处内涝点已全部整治完毕。", "经汛期检验无积水。", item.number):
        assert expected in word, expected
        assert squash(expected) in pdf, expected


def test_urge_notice_carries_its_own_number(world, handled):
    n = handled["notice"]
    form, word, pdf = both(world.supervisor, handled["item"], FormKind.URGE_NOTICE, n.id)
    assert n.number == "催〔2026〕1号"
    assert n.number in word and squash(n.number) in pdf
    assert "催办单" in word and world.units["lead"].name in pdf


def test_extension_form_shows_old_and_new_deadline_and_decision(world, handled):
    ext = handled["ext"]
    form, word, pdf = both(world.supervisor, handled["item"], FormKind.EXTENSION_FORM, ext.id)
    for expected in ("汛期施工受限", "已完成8处中的5处", "已同意", "2026年5月29日"):
        assert expected in word and squash(expected) in pdf, expected


def test_handling_card_lists_the_whole_course(world, handled):
    form, word, pdf = both(world.supervisor, handled["item"], FormKind.HANDLING_CARD)
    steps = [row[1] for row in form.table.rows]
    for step in ("批准立项", "交办", "签收", "同意延期", "报送办结报告", "审核通过并呈报领导", "同意办结"):
        assert step in steps, step
        assert step in word and step in pdf, step


def test_instruction_slip_and_explanation(world, handled):
    item = handled["item"]
    form, word, pdf = both(world.supervisor, item, FormKind.INSTRUCTION_SLIP)
    assert world.leader.display_name in word and squash(world.leader.display_name) in pdf
    form, word, pdf = both(world.supervisor, item, FormKind.EXPLANATION, handled["explanation"].id)
    assert "因汛期施工受限，进度滞后。" in word and "因汛期施工受限，进度滞后。" in pdf


def test_every_listed_form_renders_for_the_lead_unit(world, handled):
    """The buttons on the item page all lead somewhere, for a unit as for the office."""
    liaison = world.liaison["lead"]
    listed = selectors.available_forms(liaison, handled["item"])
    assert {f.kind for f in listed} >= {FormKind.ASSIGNMENT_NOTICE, FormKind.HANDLING_CARD,
                                        FormKind.COMPLETION_REPORT, FormKind.URGE_NOTICE}
    for f in listed:
        assert selectors.form_for(liaison, handled["item"].id, f.kind, f.ref) is not None, f


def test_a_unit_cannot_have_a_form_of_an_item_it_does_not_handle(world, handled):
    other = world.liaison["other"]
    assert selectors.form_for(other, handled["item"].id, FormKind.ASSIGNMENT_NOTICE) is None
    assert selectors.available_forms(world.liaison["co"], handled["item"])  # the co-unit sees the item


def test_co_unit_cannot_have_the_lead_units_draft_or_another_units_report(world, handled):
    """A form about a record the reader may not see is not there (issue 8, point 1)."""
    co = world.liaison["co"]
    lead = world.liaison["lead"]
    assert selectors.form_for(co, handled["item"].id, FormKind.COMPLETION_REPORT, handled["completion"].id) is None
    assert selectors.form_for(co, handled["item"].id, FormKind.URGE_NOTICE, handled["notice"].id) is None
    # the co-unit's draft stays its own
    assert handled["co_draft"].id not in [f.ref for f in selectors.available_forms(lead, handled["item"])]


def _forms_on_page(html: str) -> set[tuple[str, int | None]]:
    out = set()
    for kind, body in re.findall(r'data-form="([a-z_]+)">(.*?)</li>', html, re.S):
        ref = re.search(r"\?ref=(\d+)", body)
        out.add((kind, int(ref.group(1)) if ref else None))
    return out


def test_the_item_page_lists_the_forms_the_selector_gives_each_reader(client, world, handled):
    """The page hands the selector the reports and extension requests it has read (issue 13): the
    buttons are still exactly the reader's, a co-unit's without the lead unit's notice or report."""
    item = handled["item"]
    seen = {}
    for user in (world.supervisor, world.liaison["lead"], world.liaison["co"]):
        client.force_login(user)
        r = client.get(f"/items/{item.id}/")
        assert r.status_code == 200
        on_page = _forms_on_page(r.content.decode())
        assert on_page == {(f.kind, f.ref) for f in selectors.available_forms(user, item)}, user.username
        seen[user.username] = on_page
    lead, co = seen[world.liaison["lead"].username], seen[world.liaison["co"].username]
    assert (FormKind.URGE_NOTICE, handled["notice"].id) in lead
    assert (FormKind.URGE_NOTICE, handled["notice"].id) not in co
    assert (FormKind.COMPLETION_REPORT, handled["completion"].id) not in co
