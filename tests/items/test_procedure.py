"""The procedure of an item, rule by rule, citing the regulation each implements."""

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from duban.items import services as svc
from duban.items.errors import InvalidInput, PermissionDenied, TransitionNotAllowed
from duban.items.models import ExtensionRequest, Item, ItemKind, NumberSeries, Report, Status, Urgency

from ..factories import World, aware

S = Status


def test_approval_registers_with_next_number_of_the_year(world):
    """Seed 002 art. 5(1): 列入督查事项，并进行编号登记."""
    now = aware(2026, 3, 2)
    a = world.item_in(S.ASSIGNED, now=now)
    b = world.item_in(S.ASSIGNED, now=now)
    assert (a.number, b.number) == ("督〔2026〕1号", "督〔2026〕2号")
    c = world.item_in(S.ASSIGNED, now=aware(2027, 1, 5))
    assert c.number == "督〔2027〕1号"


def test_rejected_proposal_returns_to_drafter_with_reason_and_gets_no_number(world):
    item = world.item_in(S.PENDING_APPROVAL)
    svc.reject_proposal(item.id, world.leader, comment="请补充协办单位")
    item.refresh_from_db()
    assert item.status == S.DRAFT and item.number == ""
    assert item.events.last().comment == "请补充协办单位"
    with pytest.raises(InvalidInput):
        svc.reject_proposal(world.item_in(S.PENDING_APPROVAL).id, world.leader, comment="  ")


def test_deadline_is_proposed_from_the_rules_and_recounted_from_assignment(world):
    """Seed 001 art. 9: leader instruction items, 5 working days from the assignment."""
    draft_day = aware(2026, 9, 28)
    item = world.item_in(S.ASSIGNED, now=draft_day, kind=ItemKind.INSTRUCTION)
    # Assigned Mon 2026-09-28 (not counted): 09-29, 09-30; 10-01..10-07 National Day; 10-08, 10-09,
    # and the fifth is Saturday 10-10, a makeup workday.
    assert item.start_date == dt.date(2026, 9, 28)
    assert item.deadline == dt.date(2026, 10, 10)
    assert item.deadline_rule is not None and not item.deadline_provisional


def test_overriding_the_proposed_deadline_needs_a_reason(world):
    with pytest.raises(InvalidInput) as err:
        world.draft(deadline=dt.date(2099, 1, 1))
    assert err.value.field == "deadline_override_reason"
    item = world.draft(deadline=dt.date(2099, 1, 1), deadline_override_reason="领导要求年底前完成")
    assert item.deadline == dt.date(2099, 1, 1) and item.deadline_rule is None


def test_deadline_in_unpublished_year_is_provisional(world):
    item = world.draft(now=aware(2026, 12, 20), kind=ItemKind.DEPUTY_SUGGESTION)
    assert item.deadline.year == 2027
    assert item.deadline_provisional


def test_draft_validation_messages_are_chinese_and_nothing_is_saved(world, other_world):
    before = Item.objects.count()
    for kw, field in [
        (dict(title=""), "title"),
        (dict(title="长" * 201), "title"),
        (dict(lead_unit=other_world.units["lead"]), "lead_unit"),
        (dict(co_units=[world.units["lead"]]), "co_units"),
        (dict(responsible_leader=world.liaison["lead"]), "responsible_leader"),
        (dict(kind="bogus"), "kind"),
        (dict(deadline=dt.date(2001, 1, 1), deadline_override_reason="x"), "deadline"),
    ]:
        with pytest.raises(InvalidInput) as err:
            world.draft(**kw)
        assert err.value.field == field
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err.value.message)
    assert Item.objects.count() == before


def test_only_office_drafts(world):
    with pytest.raises(PermissionDenied):
        svc.create_draft(world.org, world.liaison["lead"], world.fields())


def test_report_needs_unit_head_approval_before_liaison_submits(world):
    """Seed 002 art. 5(3): 承办单位收到督查事项后，要呈主要领导审阅."""
    item = world.item_in(S.IN_PROGRESS)
    r = svc.draft_report(item.id, world.liaison["lead"], kind=Report.Kind.PROGRESS, body="已完成选址")
    with pytest.raises(TransitionNotAllowed):
        svc.submit_report(r.id, world.liaison["lead"])
    svc.send_report_to_head(r.id, world.liaison["lead"])
    with pytest.raises(PermissionDenied):
        svc.approve_report(r.id, world.head["other"])
    with pytest.raises(PermissionDenied):
        svc.approve_report(r.id, world.liaison["lead"])
    svc.return_report_to_author(r.id, world.head["lead"], comment="数据需核实")
    r.refresh_from_db()
    assert r.state == Report.State.DRAFT and r.head_comment == "数据需核实"
    svc.edit_report(r.id, world.liaison["lead"], body="已完成选址，数据已核实")
    svc.send_report_to_head(r.id, world.liaison["lead"])
    svc.approve_report(r.id, world.head["lead"], comment="同意")
    svc.submit_report(r.id, world.liaison["lead"])
    r.refresh_from_db()
    assert r.state == Report.State.SUBMITTED and r.head == world.head["lead"]


def test_progress_reports_are_each_kept(world):
    """Seed 001 art. 12: 报告阶段性进展情况，并续报直至完成."""
    item = world.item_in(S.IN_PROGRESS)
    for i in range(3):
        world.file_report(item, body=f"第{i + 1}次进展")
    assert list(item.reports.filter(kind=Report.Kind.PROGRESS).values_list("body", flat=True)) == [
        "第1次进展", "第2次进展", "第3次进展"]
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS


def test_co_unit_submits_input_to_lead_unit(world):
    item = world.item_in(S.IN_PROGRESS)
    svc.accept_as_co(item.id, world.liaison["co"], responsible_person="李四")
    world.file_report(item, Report.Kind.CO_INPUT, body="协办意见：同意方案", unit="co")
    with pytest.raises(InvalidInput) as err:
        svc.draft_report(item.id, world.liaison["co"], kind=Report.Kind.COMPLETION, body="越权办结")
    assert err.value.message == "本单位不能起草此类报告"
    assert item.reports.get(kind=Report.Kind.CO_INPUT).unit == world.units["co"]


def test_overdue_unit_must_file_explanation_first(world):
    """Seed 000 art. 4(4): 在规定时限未办结的，承办部门需书面报告情况、说明原因."""
    start = aware(2026, 3, 2)
    item = world.item_in(S.IN_PROGRESS, now=start)
    late = aware(2026, 6, 1)
    with pytest.raises(TransitionNotAllowed) as err:
        svc.draft_report(item.id, world.liaison["lead"], kind=Report.Kind.PROGRESS, body="进展", now=late)
    assert "情况说明" in err.value.message
    with pytest.raises(TransitionNotAllowed):
        svc.request_extension(item.id, world.liaison["lead"], until=dt.date(2026, 7, 1), reason="r", progress="p", now=late)
    world.file_report(item, Report.Kind.EXPLANATION, body="因征地未完成导致超期", now=late)
    world.file_report(item, Report.Kind.PROGRESS, body="征地已完成", now=late)
    assert item.reports.filter(state=Report.State.SUBMITTED).count() == 2


def test_extension_before_deadline_approved_keeps_old_deadline(world):
    """Seed 001 art. 9: 提前向区督查室报告原因和进展情况，并申请延长办理期限."""
    now = aware(2026, 3, 2)
    item = world.item_in(S.IN_PROGRESS, now=now)
    old = item.deadline
    req = svc.request_extension(item.id, world.liaison["lead"], until=old + dt.timedelta(days=30),
                                reason="涉及多部门协调", progress="已完成方案", now=now)
    with pytest.raises(TransitionNotAllowed):
        svc.request_extension(item.id, world.liaison["lead"], until=old + dt.timedelta(days=40),
                              reason="再次", progress="p", now=now)
    svc.decide_extension(req.id, world.supervisor, approve=True, comment="同意", now=now)
    item.refresh_from_db()
    req.refresh_from_db()
    assert item.deadline == old + dt.timedelta(days=30)
    assert item.original_deadline == old and req.old_deadline == old
    assert item.events.last().action == "approve_extension"


def test_extension_refused_needs_reason_and_keeps_deadline(world):
    now = aware(2026, 3, 2)
    item = world.item_in(S.IN_PROGRESS, now=now)
    req = svc.request_extension(item.id, world.liaison["lead"], until=item.deadline + dt.timedelta(days=5),
                                reason="r", progress="p", now=now)
    with pytest.raises(InvalidInput):
        svc.decide_extension(req.id, world.supervisor, approve=False, comment="", now=now)
    svc.decide_extension(req.id, world.supervisor, approve=False, comment="理由不充分", now=now)
    req.refresh_from_db()
    assert req.state == ExtensionRequest.State.REFUSED


def test_extension_of_deputy_suggestion_capped_at_six_months(world):
    """Seed 001 art. 10: 答复期限一般为3个月……最迟不得超过6个月."""
    now = aware(2026, 1, 5)
    item = world.item_in(S.IN_PROGRESS, now=now, kind=ItemKind.DEPUTY_SUGGESTION)
    assert item.deadline == dt.date(2026, 4, 7)  # 2026-04-05 is a Sunday in the Qingming holiday (04-04..04-06)
    with pytest.raises(InvalidInput) as err:
        svc.request_extension(item.id, world.liaison["lead"], until=dt.date(2026, 8, 1), reason="r", progress="p", now=now)
    assert "最迟" in err.value.message
    svc.request_extension(item.id, world.liaison["lead"], until=dt.date(2026, 7, 3), reason="r", progress="p", now=now)


def test_extension_after_deadline_is_refused(world):
    item = world.item_in(S.IN_PROGRESS, now=aware(2026, 3, 2))
    world.file_report(item, Report.Kind.EXPLANATION, body="说明", now=aware(2026, 6, 1))
    with pytest.raises(TransitionNotAllowed):
        svc.request_extension(item.id, world.liaison["lead"], until=dt.date(2026, 7, 1), reason="r", progress="p",
                              now=aware(2026, 6, 1))


def test_review_needs_all_four_criteria_to_accept(world):
    """Seed 002 art. 5(5): 任务是否完成、问题是否解决、结论是否恰当、是否合法合规."""
    item = world.item_in(S.UNDER_REVIEW)
    crit = dict.fromkeys(svc.REVIEW_CRITERIA, True) | {"lawful": False}
    with pytest.raises(InvalidInput) as err:
        svc.review(item.id, world.supervisor, accept=True, criteria=crit)
    assert "是否合法合规" in err.value.message
    with pytest.raises(InvalidInput):
        svc.review(item.id, world.supervisor, accept=False, criteria=crit, comment="")
    svc.review(item.id, world.supervisor, accept=False, criteria=crit, comment="程序不合规，请重办")
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS
    assert item.reports.get(kind=Report.Kind.COMPLETION).state == Report.State.RETURNED
    # the lead unit reports again
    world.file_report(item, Report.Kind.COMPLETION, body="已重新办理")
    item.refresh_from_db()
    assert item.status == S.UNDER_REVIEW


def test_leader_instruction_sends_item_back_for_further_handling(world):
    item = world.item_in(S.PENDING_LEADER)
    svc.instruct(item.id, world.leader, text="请会同财政局再研究")
    item.refresh_from_db()
    assert item.status == S.IN_PROGRESS
    assert item.instructions.get().text == "请会同财政局再研究"


def test_archived_item_is_read_only(world):
    item = world.item_in(S.ARCHIVED)
    with pytest.raises(TransitionNotAllowed):
        svc.log_urge(item.id, world.supervisor, method="phone", summary="x")
    with pytest.raises(PermissionDenied):
        svc.add_attachment(item.id, world.supervisor, SimpleUploadedFile("a.pdf", b"%PDF-1"))


def test_reassign_after_decline_moves_visibility(world):
    item = world.item_in(S.DECLINED)
    svc.reassign(item.id, world.supervisor, lead_unit=world.units["other"], co_units=[world.units["co"]])
    item.refresh_from_db()
    assert item.status == S.ASSIGNED and item.lead_unit == world.units["other"]
    svc.accept(item.id, world.liaison["other"], responsible_person="王五")


def test_urge_is_on_the_record(world):
    item = world.item_in(S.IN_PROGRESS)
    svc.log_urge(item.id, world.supervisor, method="phone", contact_person="张三", summary="对方称周五前报送")
    u = item.urges.get()
    assert (u.method, u.contact_person, u.by) == ("phone", "张三", world.supervisor)
    assert item.events.last().action == "log_urge"


@pytest.mark.parametrize("name,content,size_ok,message", [
    ("evil.exe", b"MZ", True, "不支持的文件类型"),
    ("noext", b"x", True, "不支持的文件类型"),
    ("empty.pdf", b"", True, "文件为空"),
    ("big.pdf", b"x" * 2048, False, "不能超过"),
])
def test_attachment_limits(world, settings, name, content, size_ok, message):
    if not size_ok:
        settings.DUBAN_ATTACHMENT_MAX_BYTES = 1024
    item = world.item_in(S.IN_PROGRESS)
    with pytest.raises(InvalidInput) as err:
        svc.add_attachment(item.id, world.supervisor, SimpleUploadedFile(name, content))
    assert message in err.value.message
    assert item.attachments.count() == 0


def test_attachment_stored_under_opaque_name(world):
    item = world.item_in(S.IN_PROGRESS)
    att = svc.add_attachment(item.id, world.supervisor, SimpleUploadedFile("../../etc/方案.pdf", b"%PDF-1.4"))
    assert att.original_name == "方案.pdf"
    assert "etc" not in att.file.name and att.file.read() == b"%PDF-1.4"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_the_same_moment_get_distinct_consecutive_numbers():
    """Numbering under concurrency: never duplicated or skipped (issue 2, point 3)."""
    world = World("并发")
    items = [world.item_in(S.PENDING_APPROVAL) for _ in range(6)]
    barrier = threading.Barrier(len(items))
    errors = []

    def approve(item_id):
        try:
            barrier.wait()
            svc.approve_proposal(item_id, world.leader)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(i.id,)) for i in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = sorted(Item.objects.filter(org=world.org).values_list("seq", flat=True))
    assert seqs == [1, 2, 3, 4, 5, 6]
    assert NumberSeries.objects.get(org=world.org).last == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_acting_at_once_cannot_both_win():
    world = World("并发2")
    item = world.item_in(S.UNDER_REVIEW)
    barrier = threading.Barrier(2)
    results = []
    crit = dict.fromkeys(svc.REVIEW_CRITERIA, True)

    def act(accept):
        try:
            barrier.wait()
            svc.review(item.id, world.supervisor if accept else world.office_head, accept=accept, criteria=crit,
                       comment="" if accept else "退回", version=item.version)
            results.append("ok")
        except Exception as e:
            results.append(type(e).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(flag,)) for flag in (True, False)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["StaleVersion", "ok"]
    assert Item.objects.get(pk=item.pk).reviews.count() == 1


def test_new_organisation_starts_with_seed_presets(db):
    from duban.deadlines.models import DeadlineRule
    from duban.orgs.models import Organization

    org = Organization.objects.create(name="新建组织")
    assert DeadlineRule.objects.filter(org=org).count() >= 5


def test_secret_item_awaiting_approval_is_visible_to_its_leader(world):
    from duban.items import selectors

    item = world.item_in(S.PENDING_APPROVAL, is_secret=True)
    assert item in selectors.items_visible_to(world.leader)
    svc.approve_proposal(item.id, world.leader)


@pytest.mark.parametrize("unit_key", ["office", "leadership"])
def test_office_and_leadership_cannot_handle_items(world, unit_key):
    unit = getattr(world, unit_key)
    with pytest.raises(InvalidInput):
        world.draft(lead_unit=unit)
    with pytest.raises(InvalidInput):
        world.draft(co_units=[unit])


def test_extension_approval_respects_the_cap(world):
    """Seed 001 art. 10: at most 6 months, also when the office types its own date."""
    now = aware(2026, 1, 5)
    item = world.item_in(S.IN_PROGRESS, now=now, kind=ItemKind.DEPUTY_SUGGESTION)
    req = svc.request_extension(item.id, world.liaison["lead"], until=dt.date(2026, 6, 1), reason="r", progress="p", now=now)
    with pytest.raises(InvalidInput):
        svc.decide_extension(req.id, world.supervisor, approve=True, new_deadline=dt.date(2026, 9, 1), now=now)


def test_recomputation_leaves_closed_items_alone(world):
    item = world.item_in(S.CLOSED, now=aware(2026, 12, 15), kind=ItemKind.DEPUTY_SUGGESTION)
    assert item.deadline_provisional
    assert svc.recompute_provisional_deadlines(2027) == 0
