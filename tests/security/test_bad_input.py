"""Bad input on the pages gets a clear Chinese message and changes nothing; never a 500 (issue 8,
point 2). The probe's three ways to a 500 are here, with the pages that read fields without a form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.items.models import Item, Report, Status, Urge
from duban.ledgers import services as ledgers

S = Status
BAD_VERSIONS = ["abc", "", "1.5", "9" * 5000, "-1", "１"]

# (state, who acts, action, the rest of the form): every action form that carries a version.
ACTIONS = [
    (S.DRAFT, "supervisor", "submit_proposal", {"comment": ""}),
    (S.PENDING_APPROVAL, "leader", "approve_proposal", {"comment": ""}),
    (S.PENDING_APPROVAL, "leader", "reject_proposal", {"comment": "请补充"}),
    (S.ASSIGNED, "lead_liaison", "accept", {"responsible_person": "张三"}),
    (S.ASSIGNED, "co_liaison", "accept_as_co", {"responsible_person": "李四"}),
    (S.ASSIGNED, "lead_liaison", "decline", {"comment": "不属于本单位职责"}),
    (S.ASSIGNED, "co_liaison", "decline_as_co", {"comment": "不属于本单位职责"}),
    (S.ASSIGNED, "supervisor", "reassign", {"comment": "改派"}),
    (S.IN_PROGRESS, "lead_liaison", "request_extension",
     {"until": "2099-01-01", "reason": "工程量大", "progress": "已完成一半"}),
    (S.UNDER_REVIEW, "supervisor", "accept_report", {"task_done": "on", "problem_solved": "on",
                                                    "conclusion_sound": "on", "lawful": "on"}),
    (S.UNDER_REVIEW, "supervisor", "return_for_rework", {"comment": "请补充材料"}),
    (S.PENDING_LEADER, "leader", "close", {"text": "同意办结"}),
    (S.PENDING_LEADER, "leader", "instruct", {"text": "继续办理"}),
    (S.CLOSED, "supervisor", "archive", {}),
]


def actor(world, who):
    return {"lead_liaison": world.liaison["lead"], "co_liaison": world.liaison["co"]}.get(who) or getattr(world, who)


@pytest.mark.parametrize("bad", BAD_VERSIONS, ids=["letters", "empty", "decimal", "5000-digits", "negative", "fullwidth"])
@pytest.mark.parametrize(("state", "who", "action", "data"), ACTIONS, ids=[a[2] for a in ACTIONS])
def test_an_action_form_with_a_version_that_is_not_a_whole_number_is_refused_in_chinese(
        client, world, state, who, action, data, bad):
    item = world.item_in(state)
    before = (item.status, item.version, item.events.count())
    client.force_login(actor(world, who))
    data = dict(data)
    if action == "reassign":
        data["lead_unit"] = world.units["other"].id
    r = client.post(reverse("item_action", args=[item.id, action]), {**data, "version": bad})
    assert r.status_code == 400
    assert "版本号无效" in r.content.decode()
    item.refresh_from_db()
    assert (item.status, item.version, item.events.count()) == before


@pytest.mark.parametrize("bad", BAD_VERSIONS[:4])
def test_the_draft_edit_form_refuses_a_bad_version(client, world, bad):
    item = world.draft()
    client.force_login(world.supervisor)
    r = client.post(reverse("item_edit", args=[item.id]), {
        "title": "改过的标题", "kind": item.kind, "urgency": item.urgency, "content": "内容",
        "lead_unit": world.units["lead"].id, "responsible_leader": world.leader.id, "report_cycle": "auto",
        "version": bad,
    })
    assert r.status_code == 200 and "版本号无效" in r.content.decode()
    assert Item.objects.get(pk=item.pk).title == item.title


def test_a_right_version_still_works_and_a_stale_one_is_409(client, world):
    item = world.item_in(S.ASSIGNED)
    client.force_login(world.liaison["lead"])
    url = reverse("item_action", args=[item.id, "accept"])
    stale = client.post(url, {"responsible_person": "张三", "version": item.version + 1})
    assert stale.status_code == 409 and "已被他人更新" in stale.content.decode()
    ok = client.post(url, {"responsible_person": "张三", "version": f" {item.version} "})
    assert ok.status_code == 302
    assert Item.objects.get(pk=item.pk).status == S.IN_PROGRESS


@pytest.mark.parametrize("bad", BAD_VERSIONS[:4])
def test_filing_a_report_with_a_bad_version_says_so_and_files_nothing(client, world, bad):
    item = world.item_in(S.IN_PROGRESS)
    report = world.file_report(item)  # filed: make another one the head has approved
    from duban.items import services as svc

    draft = svc.draft_report(item.id, world.liaison["lead"], kind=Report.Kind.PROGRESS, body="第二次进展")
    svc.send_report_to_head(draft.id, world.liaison["lead"])
    svc.approve_report(draft.id, world.head["lead"])
    client.force_login(world.liaison["lead"])
    r = client.post(reverse("report_action", args=[draft.id, "submit_report"]), {"version": bad}, follow=True)
    assert r.status_code == 200 and "版本号无效" in r.content.decode()
    draft.refresh_from_db()
    assert draft.submitted_at is None and report.pk != draft.pk


# --- one-click urge ----------------------------------------------------------------------------

@pytest.mark.parametrize("ids", [["9" * 25], [str(2**63)], ["abc"], ["1.5"], ["-3"], [""]],
                         ids=["25-digits", "2^63", "letters", "decimal", "negative", "empty"])
def test_one_click_urge_with_an_id_beyond_64_bits_or_not_a_number_says_the_selection_is_invalid(client, world, ids):
    item = world.item_in(S.IN_PROGRESS)
    client.force_login(world.supervisor)
    r = client.post(reverse("urge_selected"), {"items": [str(item.id), *ids]}, follow=True)
    assert r.status_code == 200
    assert "所选事项无效" in r.content.decode()
    assert not Urge.objects.filter(item=item).exists()


def test_one_click_urge_still_urges_a_good_selection(client, world):
    item = world.item_in(S.IN_PROGRESS)
    client.force_login(world.supervisor)
    r = client.post(reverse("urge_selected"), {"items": [str(item.id)], "message": "请抓紧"}, follow=True)
    assert "已向 1 件事项" in r.content.decode()
    assert Urge.objects.get(item=item).summary == "请抓紧"


# --- NUL bytes on pages that read fields without a form -------------------------------------------

def test_one_click_urge_text_with_a_nul_byte_is_refused(client, world):
    item = world.item_in(S.IN_PROGRESS)
    client.force_login(world.supervisor)
    r = client.post(reverse("urge_selected"), {"items": [str(item.id)], "message": "请\x00抓紧"}, follow=True)
    assert "不能包含空字符" in r.content.decode()
    assert not Urge.objects.filter(item=item).exists()


@pytest.fixture
def draft_report(world):
    from duban.items import services as svc

    item = world.item_in(S.IN_PROGRESS)
    report = svc.draft_report(item.id, world.liaison["lead"], kind=Report.Kind.PROGRESS, body="原内容")
    return report


def test_editing_a_report_with_a_nul_byte_is_refused_and_keeps_the_text(client, world, draft_report):
    client.force_login(world.liaison["lead"])
    r = client.post(reverse("report_action", args=[draft_report.id, "edit_report"]), {"body": "新\x00内容"}, follow=True)
    assert "不能包含空字符" in r.content.decode()
    draft_report.refresh_from_db()
    assert draft_report.body == "原内容"


@pytest.mark.parametrize("action", ["approve_report", "return_report_to_author"])
def test_a_heads_comment_with_a_nul_byte_is_refused(client, world, draft_report, action):
    from duban.items import services as svc

    svc.send_report_to_head(draft_report.id, world.liaison["lead"])
    client.force_login(world.head["lead"])
    r = client.post(reverse("report_action", args=[draft_report.id, action]), {"comment": "同意\x00"}, follow=True)
    assert "不能包含空字符" in r.content.decode()
    draft_report.refresh_from_db()
    assert draft_report.head_comment == "" and draft_report.state == Report.State.AWAITING_HEAD


# --- dates ---------------------------------------------------------------------------------------

@pytest.fixture
def plan(world):
    import datetime as dt

    from duban.ledgers.models import Plan

    params = ledgers.clean_params(world.org, title="整改方案", kind=Plan.Kind.RECTIFICATION,
                                  start_date=dt.date(2026, 11, 24))
    return ledgers.create_plan(world.org, world.supervisor, params)


@pytest.mark.parametrize("name", ["plan_report", "plan_report_docx", "plan_report_xlsx"])
@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "2026-02-30", "abc"])
def test_the_plan_report_at_a_date_beyond_the_calendar_says_so_and_makes_no_file(client, world, plan, name, as_of):
    client.force_login(world.supervisor)
    r = client.get(reverse(name, args=[plan.id]), {"as_of": as_of})
    assert r.status_code == 400
    assert r["Content-Type"].startswith("text/html")
    body = r.content.decode()
    assert "日期应在 2000—2099 年之间" in body or "有效的日期" in body


@pytest.mark.parametrize(("state", "who", "action", "data"), [
    (S.IN_PROGRESS, "lead_liaison", "request_extension", {"until": "9999-12-31", "reason": "理由", "progress": "进展"}),
    (S.IN_PROGRESS, "supervisor", "log_urge", {"method": "phone", "summary": "电话催办", "occurred_at": "9999-12-31T23:59"}),
])
def test_a_date_in_year_9999_on_an_action_form_is_refused(client, world, state, who, action, data):
    item = world.item_in(state)
    client.force_login(actor(world, who))
    r = client.post(reverse("item_action", args=[item.id, action]), {**data, "version": item.version})
    assert r.status_code == 400
    assert "日期应在 2000—2099 年之间" in r.content.decode()


def test_a_draft_with_a_deadline_in_year_9999_is_refused(client, world):
    client.force_login(world.supervisor)
    r = client.post(reverse("item_create"), {
        "title": "标题", "kind": "meeting_decision", "urgency": "normal", "content": "内容",
        "lead_unit": world.units["lead"].id, "responsible_leader": world.leader.id, "report_cycle": "auto",
        "deadline": "9999-12-31", "deadline_override_reason": "领导要求",
    })
    assert r.status_code == 200 and "日期应在 2000—2099 年之间" in r.content.decode()
    assert not Item.objects.filter(title="标题").exists()


# --- ids beyond 64 bits in addresses and filters ----------------------------------------------------

HUGE = "9" * 30


@pytest.mark.parametrize("path", [
    f"/items/{HUGE}/", f"/items/{HUGE}/edit/", f"/plans/{HUGE}/", f"/plans/{HUGE}/report/",
    f"/plans/jobs/{HUGE}/", f"/items/?unit={HUGE}&leader={HUGE}", f"/items/export.csv?unit={HUGE}",
    f"/items/export.xlsx?leader={HUGE}", f"/plans/new/?item={HUGE}", f"/items/?page={HUGE}",
    f"/notifications/?page={HUGE}", f"/plans/1/?tab={HUGE}&page=-1",
])
def test_an_id_beyond_64_bits_in_an_address_or_filter_is_not_found_or_ignored(client, world, path):
    client.force_login(world.supervisor)
    r = client.get(path)
    assert r.status_code in (200, 302, 400, 404)


@pytest.mark.parametrize("path", [f"/items/{HUGE}/act/accept/", f"/items/{HUGE}/attachments/", f"/notifications/{HUGE}/read/", f"/notifications/{HUGE}/open/",
                                  f"/reports/{HUGE}/edit_report/", f"/extensions/{HUGE}/decide/"])
def test_a_post_to_an_id_beyond_64_bits_is_not_found(client, world, path):
    client.force_login(world.supervisor)
    assert client.post(path, {"version": "1"}).status_code == 404


# --- file names --------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "kept"), [
    ("关于整改情况的报告" * 30 + ".docx", ".docx"),
    ("a" * 250 + ".pdf", ".pdf"),
    ("b" * 199 + ".xlsx", ".xlsx"),
])
def test_a_file_name_longer_than_200_characters_keeps_its_extension(client, world, name, kept):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from duban.items.models import Attachment

    item = world.item_in(S.IN_PROGRESS)
    client.force_login(world.supervisor)
    r = client.post(reverse("attachment_upload", args=[item.id]),
                    {"files": [SimpleUploadedFile(name, b"content")]}, follow=True)
    assert "已上传 1 个附件" in r.content.decode()
    att = Attachment.objects.get(item=item)
    assert len(att.original_name) <= 200 and att.original_name.endswith(kept)
    assert att.original_name[:20] == name[:20]
    download = client.get(reverse("attachment_download", args=[att.token]))
    assert kept in download["Content-Disposition"]


# --- every page, every parameter, hostile values ----------------------------------------------------

JUNK = ["\x00", "9" * 30, "-1", "9999-12-31", "' OR 1=1 --", "１２"]
PARAMS = ["page", "q", "status", "kind", "unit", "leader", "light", "sort", "overdue", "due_this_week", "tab",
          "state", "deadline_class", "category", "problem", "as_of", "item", "all", "urgency"]


@pytest.mark.parametrize("who", ["supervisor", "lead_liaison"])
def test_no_page_answers_a_hostile_query_string_with_a_500(client, world, plan, who):
    item = world.item_in(S.IN_PROGRESS)
    client.force_login(actor(world, who))
    pages = ["/", "/items/", "/items/export.csv", "/items/export.xlsx", "/items/deadline-preview/",
             f"/items/{item.id}/", "/notices/", "/notifications/", "/notifications/preferences/", "/plans/",
             "/plans/new/", f"/plans/{plan.id}/", f"/plans/{plan.id}/export.xlsx", f"/plans/{plan.id}/report/",
             f"/plans/{plan.id}/report.docx", f"/plans/{plan.id}/report.xlsx"]
    for value in JUNK:
        for url in pages:
            r = client.get(url, dict.fromkeys(PARAMS, value))
            assert r.status_code < 500, (url, value, r.status_code)


@pytest.mark.parametrize("params", [{"kind": "\x00"}, {"urgency": "urgent\x00"}, {"kind": "x" * 5000}])
def test_the_deadline_preview_with_a_kind_that_is_no_choice_proposes_nothing(client, world, params):
    """On PostgreSQL a NUL byte in the query reached the rule lookup and raised DataError (a 500)."""
    client.force_login(world.supervisor)
    r = client.get(reverse("deadline_preview"), params)
    assert r.status_code == 200 and "没有适用的时限规则" in r.content.decode()
    ok = client.get(reverse("deadline_preview"), {"kind": "instruction", "urgency": "normal"})
    assert "建议时限" in ok.content.decode()
