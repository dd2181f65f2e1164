"""The circular's life in the domain layer: drafted from the period's facts, edited, units named,
approved by the principal leader, issued under a gapless number, frozen, and sent to every unit.
Seeds: 001 art. 7(7) (通报: collect, analyse, circulate each unit's completion), art. 14(5)
(通报权: praise or criticism with the principal leader's consent), art. 16 (criticism counted for
sanctions); 000 art. 4(6) (mid-year and year-end inspections end in a circular), art. 5(4) (通报 within a
scope), art. 6 (通报批评); 004 (weekly, monthly, quarterly circulars)."""

import datetime as dt
import io
import threading

import pytest
from django.db import connection
from openpyxl import load_workbook

from duban.circulars import services
from duban.circulars.exporting import circular_xlsx
from duban.circulars.models import Circular, CircularSeries, CircularSettings, CircularStatus
from duban.circulars.selectors import suggestions_for
from duban.circulars.signals import circular_issued
from duban.items import services as item_svc
from duban.items.errors import InvalidInput, PermissionDenied, StaleVersion, TransitionNotAllowed
from duban.notify.models import Notification
from tests.counting.period import END, START, close
from tests.factories import World, aware

from .conftest import issue_one, monthly


def test_the_draft_is_written_from_the_periods_facts_in_the_offices_wording(world, draft):
    """001 art. 7(7): the office collects and analyses each unit's completion and circulates it."""
    assert draft.status == CircularStatus.DRAFT and draft.number == ""
    assert draft.title == "关于2026年10月督查事项办理情况的通报"
    body = draft.body
    assert body.startswith("一、总体情况\n2026年10月，共交办督查事项3项，办结2项，其中按时办结1项，按时办结率50.00%。")
    assert "截至2026年11月5日，逾期未办结事项1项。" in body
    assert "申请延期1次，发出催办单1份" in body and "办结报告退回重办1次，定期报告缺报1次" in body
    assert f"{world.units['lead'].name}（1项）、{world.units['other'].name}（1项）仍有逾期未办结事项" in body
    assert draft.figures["as_of"] == "2026-11-05" and draft.figures_as_of == dt.date(2026, 11, 5)
    units = {u["unit_name"]: u for u in draft.figures["units"]}
    assert units[world.units["lead"].name]["closed"] == 2 and units[world.units["lead"].name]["on_time_rate"] == "50.00"
    assert draft.figures["totals"] == {"assigned": 3, "closed": 2, "closed_on_time": 1, "overdue_now": 1,
                                       "on_time_rate": "50.00"}


@pytest.mark.parametrize("who", ["leader", "principal", "liaison", "head"])
def test_only_the_office_drafts_a_circular(world, who):
    person = world.liaison["lead"] if who == "liaison" else world.head["lead"] if who == "head" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.draft_circular(world.org, person, kind="monthly", period_start=START, period_end=END)
    assert not Circular.objects.exists()


@pytest.mark.parametrize("kind,start,end,message", [
    ("daily", START, END, "通报类别"),
    ("monthly", END, START, "起始日不能晚于"),
    ("monthly", dt.date(1999, 1, 1), END, "范围"),
    ("annual", dt.date(2025, 1, 1), dt.date(2026, 12, 31), "不能超过一年"),
])
def test_a_bad_period_is_refused_with_a_clear_message(world, kind, start, end, message):
    with pytest.raises(InvalidInput, match=message):
        services.draft_circular(world.org, world.supervisor, kind=kind, period_start=start, period_end=end)


def test_the_office_edits_the_text_and_a_stale_form_is_refused(world, draft):
    services.edit_circular(draft.id, world.supervisor, title="十月督查通报", body="一、总体情况\n改写后的正文。",
                           closing="", version=draft.version)
    draft.refresh_from_db()
    assert (draft.title, draft.body, draft.version) == ("十月督查通报", "一、总体情况\n改写后的正文。", 2)
    with pytest.raises(StaleVersion):
        services.edit_circular(draft.id, world.office_head, title="别的标题", body="正文", version=1)
    draft.refresh_from_db()
    assert draft.title == "十月督查通报"
    with pytest.raises(InvalidInput, match="请填写正文"):
        services.edit_circular(draft.id, world.supervisor, title="标题", body="  ")


def test_suggestions_name_units_with_supervision_orders_or_overdue_items_for_criticism(world, draft):
    """001 art. 16(2): a unit still without progress after a 督办令 is criticised; the office decides."""
    by_unit = {s["unit_id"]: s for s in suggestions_for(draft)}
    assert by_unit[world.units["other"].id]["kind"] == "criticism"
    assert "逾期未办结1项" in by_unit[world.units["other"].id]["facts"]
    assert by_unit[world.units["lead"].id]["kind"] == "criticism"  # C, as co-unit, is overdue too
    assert world.units["co"].id not in by_unit  # all on time, but a periodic report missed: neither
    services.add_mention(draft.id, world.supervisor, unit=world.units["other"], kind="criticism",
                         facts=by_unit[world.units["other"].id]["facts"])
    assert world.units["other"].id not in {s["unit_id"] for s in suggestions_for(draft)}


def test_a_unit_that_closed_everything_on_time_is_suggested_for_praise(world):
    item = item_flow_closed_on_time(world)
    c = monthly(world)
    (s,) = suggestions_for(c)
    assert (s["unit_id"], s["kind"]) == (world.units["lead"].id, "praise")
    assert "按时办结率100.00%" in s["facts"] and item.number


def item_flow_closed_on_time(world):
    from tests.counting.period import registered

    item = registered(world, dt.date(2026, 10, 8), deadline=dt.date(2026, 10, 20), co=())
    return close(world, item, dt.date(2026, 10, 19))


def test_naming_a_unit_checks_the_unit_and_the_facts(world, other_world, draft):
    with pytest.raises(InvalidInput, match="本组织的承办单位"):
        services.add_mention(draft.id, world.supervisor, unit=other_world.units["lead"], kind="criticism", facts="x")
    with pytest.raises(InvalidInput, match="本组织的承办单位"):
        services.add_mention(draft.id, world.supervisor, unit=world.office, kind="praise", facts="x")
    with pytest.raises(InvalidInput, match="事实依据"):
        services.add_mention(draft.id, world.supervisor, unit=world.units["lead"], kind="criticism", facts=" ")
    with pytest.raises(InvalidInput, match="表扬或批评"):
        services.add_mention(draft.id, world.supervisor, unit=world.units["lead"], kind="warning", facts="x")
    services.add_mention(draft.id, world.supervisor, unit=world.units["lead"], kind="criticism", facts="逾期。")
    with pytest.raises(InvalidInput, match="已在通报批评名单中"):
        services.add_mention(draft.id, world.supervisor, unit=world.units["lead"], kind="criticism", facts="又逾期。")
    assert draft.mentions.count() == 1


def test_only_the_principal_leader_approves_and_he_may_return_it_with_a_reason(world, draft):
    """001 art. 14(5): praise or criticism by name needs the principal leader's consent."""
    services.submit(draft.id, world.supervisor)
    with pytest.raises(PermissionDenied):
        services.approve(draft.id, world.leader)  # 分管领导
    with pytest.raises(PermissionDenied):
        services.approve(draft.id, world.office_head)
    with pytest.raises(InvalidInput, match="退回理由"):
        services.return_circular(draft.id, world.principal, reason="")
    services.return_circular(draft.id, world.principal, reason="批评要写清督办令的编号")
    draft.refresh_from_db()
    assert (draft.status, draft.return_reason) == (CircularStatus.RETURNED, "批评要写清督办令的编号")
    services.edit_circular(draft.id, world.supervisor, title=draft.title, body=draft.body + "\n补充。")
    services.submit(draft.id, world.supervisor)
    services.approve(draft.id, world.principal, comment="同意")
    draft.refresh_from_db()
    assert (draft.status, draft.approved_by) == (CircularStatus.APPROVED, world.principal)
    assert [e.action for e in draft.events.all()] == ["draft", "submit", "return", "edit", "submit", "approve"]


def test_a_circular_cannot_be_issued_before_approval_nor_changed_after_submission(world, draft):
    with pytest.raises(TransitionNotAllowed):
        services.issue(draft.id, world.supervisor)
    services.submit(draft.id, world.supervisor)
    with pytest.raises(TransitionNotAllowed):
        services.edit_circular(draft.id, world.supervisor, title="x", body="y")
    with pytest.raises(TransitionNotAllowed):
        services.add_mention(draft.id, world.supervisor, unit=world.units["lead"], kind="praise", facts="x")
    with pytest.raises(PermissionDenied):
        services.issue(draft.id, world.principal)


def test_issuing_numbers_the_circular_in_its_own_yearly_series(world, draft):
    c = issue_one(world, draft)
    assert (c.status, c.year, c.seq, c.number) == (CircularStatus.ISSUED, 2026, 1, "督查通报〔2026〕第1期")
    second = issue_one(world, monthly(world, 9), criticise=None)
    assert second.number == "督查通报〔2026〕第2期"
    assert CircularSeries.objects.get(org=world.org, year=2026).last == 2
    next_year = issue_one(world, monthly(world, 12), criticise=None, now=aware(2027, 1, 4))
    assert next_year.number == "督查通报〔2027〕第1期"


def test_the_prefix_is_configured_per_organisation(world, other_world, draft):
    CircularSettings.objects.create(org=world.org, prefix="督办通报")
    assert issue_one(world, draft).number == "督办通报〔2026〕第1期"
    other = services.draft_circular(other_world.org, other_world.supervisor, kind="monthly", period_start=START,
                                    period_end=END)
    assert issue_one(other_world, other, criticise=None).number == "督查通报〔2026〕第1期"


def test_the_leader_is_told_of_a_circular_to_approve_and_the_office_of_his_decision(world, draft):
    url = f"/circulars/{draft.id}/"
    services.submit(draft.id, world.supervisor)
    assert list(Notification.objects.filter(url=url).values_list("recipient_id", "title")) == [
        (world.principal.id, f"督查通报待审批：{draft.title}")]
    services.return_circular(draft.id, world.principal, reason="补充数据来源")
    note = Notification.objects.filter(url=url, recipient=world.supervisor).get()
    assert note.title.startswith("督查通报被退回") and "补充数据来源" in note.body
    services.submit(draft.id, world.supervisor)
    services.approve(draft.id, world.principal)
    assert Notification.objects.filter(url=url, recipient=world.supervisor, title__startswith="领导已同意印发").exists()


def test_every_units_liaison_and_head_is_told_and_the_office_is_not(world, draft):
    c = issue_one(world, draft)
    notes = Notification.objects.filter(url=f"/circulars/{c.id}/", title__startswith="督查通报〔")
    expected = {world.liaison[k].id for k in world.units} | {world.head[k].id for k in world.units}
    assert set(notes.values_list("recipient_id", flat=True)) == expected
    assert all(n.title == f"督查通报〔2026〕第1期 {c.title}" for n in notes)


def test_the_signal_is_sent_inside_the_transaction_and_a_failing_receiver_undoes_the_issue(world, draft):
    """The accountability ladder counts criticisms from the signal (001 art. 16): if it fails, the
    circular is not issued, no number is used and nobody is told."""
    seen = []

    def count(sender, circular, now, **kw):
        seen.append((circular.number, [m.unit_id for m in circular.mentions.all()], connection.in_atomic_block))
        raise RuntimeError("accountability failed")

    circular_issued.connect(count, dispatch_uid="test-fail")
    try:
        with pytest.raises(RuntimeError):
            issue_one(world, draft)
    finally:
        circular_issued.disconnect(dispatch_uid="test-fail")
    assert seen == [("督查通报〔2026〕第1期", [world.units["other"].id], True)]
    draft.refresh_from_db()
    assert (draft.status, draft.number) == (CircularStatus.APPROVED, "")
    assert not CircularSeries.objects.filter(last__gt=0).exists()
    assert not Notification.objects.filter(url=f"/circulars/{draft.id}/", title__startswith="督查通报〔").exists()
    assert services.issue(draft.id, world.supervisor, now=aware(2026, 11, 6)).number == "督查通报〔2026〕第1期"


def test_an_issued_circular_does_not_change_when_the_items_change_later(world, october, draft):
    """A circular is a record (issue 9): figures frozen at issue, text and names fixed."""
    c = issue_one(world, draft, praise="co")
    frozen = (c.title, c.body, c.closing, c.figures, list(c.mentions.values_list("unit_id", "kind", "facts")))
    before = circular_xlsx(c)
    # C is finally closed and another item is closed: nothing of it reaches the issued circular
    close(world, october["c"], dt.date(2026, 11, 10), unit="other")
    item_svc.archive(october["a"].id, world.supervisor)
    c = Circular.objects.get(pk=c.pk)
    assert (c.title, c.body, c.closing, c.figures, list(c.mentions.values_list("unit_id", "kind", "facts"))) == frozen
    assert c.figures["totals"]["overdue_now"] == 1
    assert c.figures["mentions"] == [
        {"unit_id": world.units["co"].id, "unit_name": world.units["co"].name, "kind": "praise", "facts": "本期交办事项全部按时办结。"},
        {"unit_id": world.units["other"].id, "unit_name": world.units["other"].name, "kind": "criticism",
         "facts": "收到督办令后工作仍无明显进展。"},
    ]
    def cells(data):
        return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(data))["各单位办理情况"].iter_rows()]

    assert cells(circular_xlsx(c)) == cells(before)
    for act in (lambda: services.recount(c.id, world.supervisor), lambda: services.edit_circular(c.id, world.supervisor, title="x", body="y"),
                lambda: services.submit(c.id, world.supervisor), lambda: services.issue(c.id, world.supervisor)):
        with pytest.raises(TransitionNotAllowed):
            act()


def test_recount_rewrites_a_draft_from_todays_facts(world, october, draft):
    close(world, october["c"], dt.date(2026, 11, 10), unit="other")
    services.recount(draft.id, world.supervisor, now=aware(2026, 11, 11))
    draft.refresh_from_db()
    assert draft.figures["totals"]["overdue_now"] == 0 and draft.figures_as_of == dt.date(2026, 11, 11)
    assert "逾期未办结事项0项" in draft.body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_circulars_issued_at_the_same_moment_get_distinct_consecutive_numbers():
    """Numbering under concurrency: never duplicated or skipped (as items' numbers, issue 2 point 3)."""
    world = World("通报并发")
    drafts = []
    for month in range(1, 7):
        c = monthly(world, month)
        services.submit(c.id, world.supervisor)
        services.approve(c.id, world.principal)
        drafts.append(c)
    barrier = threading.Barrier(len(drafts))
    errors = []

    def issue(circular_id):
        try:
            barrier.wait()
            services.issue(circular_id, world.supervisor, now=aware(2026, 11, 6))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(c.id,)) for c in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(Circular.objects.filter(org=world.org).values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert CircularSeries.objects.get(org=world.org, year=2026).last == 6
    assert Circular.objects.filter(org=world.org, status=CircularStatus.ISSUED).count() == 6
