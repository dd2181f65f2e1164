"""A supervisor records a finding on a 390-px phone: text kept as it is typed, the position from the
device, a photo from the camera with upload progress, and a retry after a dropped connection
(issue 12, point 2; seed 001 art. 13: 实地督查)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from duban.inspections import services
from duban.inspections.models import Finding, InspectionKind, Media, Target
from duban.orgs.models import Unit

from .helpers import PHONE

pytestmark = pytest.mark.browser


def photo_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 120, 200)).save(buf, "JPEG")
    return buf.getvalue()


@pytest.fixture
def inspection(demo):
    org, people = demo
    zjj = Unit.objects.get(org=org, short_name="住建局")
    return services.plan_inspection(org, people["duchayuan"], services.InspectionFields(
        title="城区积水点实地督查", kind=InspectionKind.ONSITE, start_date="2026-06-01", end_date="2026-06-05",
        leader=people["fushizhang_liu"], team_leader=people["duchayuan"],
        targets=[services.TargetSpec(Target.Kind.UNIT, unit=zjj)]))


def test_a_finding_on_a_phone_keeps_typed_text_uploads_with_progress_and_retries(web, inspection):
    page = web.login("duchayuan", viewport=PHONE)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 36.061, "longitude": 103.834, "accuracy": 15})
    page.goto(f"/inspections/{inspection.id}/")
    page.get_by_role("link", name="记录督查发现").click()
    expect(page.get_by_role("heading", name="记录督查发现")).to_be_visible()
    expect(page.locator("#geo-status")).to_contain_text("已获取")
    page.get_by_label("督查对象").select_option(index=1)
    page.get_by_label("发现情况").fill("建设路排水口被建筑垃圾堵塞，路面积水约20厘米。")
    expect(page.locator("#draft-status")).to_contain_text("草稿已自动保存")
    web.shot(page, "typed")

    # A weak signal: the page is reloaded; the typed text comes back from the phone's storage.
    page.reload()
    expect(page.get_by_label("发现情况")).to_have_value(re.compile("建设路排水口"))
    expect(page.locator("#draft-status")).to_contain_text("已恢复")

    # The first upload is cut off; the page offers 重试, which sends the same file again.
    dropped = {"n": 0}

    def drop_once(route):
        if dropped["n"] == 0:
            dropped["n"] += 1
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r"/findings/\d+/media/"), drop_once)
    page.locator("#id_photos").set_input_files([{"name": "site.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}])
    page.get_by_role("button", name="保存").click()
    retry = page.get_by_role("button", name="重试", exact=True)
    expect(retry).to_be_visible()
    expect(page.locator("#upload-list")).to_contain_text("网络中断")
    web.shot(page, "upload-failed")
    assert Finding.objects.count() == 1 and Media.objects.count() == 0
    retry.click()
    expect(page.get_by_role("heading", name="城区积水点实地督查")).to_be_visible()
    web.shot(page, "finding-saved")

    finding = Finding.objects.get()
    assert finding.latitude is not None and abs(float(finding.latitude) - 36.061) < 0.001
    assert Finding.objects.count() == 1  # the retry did not record the finding twice
    m = Media.objects.get()
    assert m.finding == finding and m.is_processed
    expect(page.locator(f"#finding-{finding.id} img")).to_be_visible()
    # The draft is gone once saved: a new finding starts empty.
    page.goto(f"/inspections/{inspection.id}/record/")
    expect(page.get_by_label("发现情况")).to_have_value("")
    web.shot(page, "new-finding-empty")
    assert not web.blocked


def test_a_liaison_proves_a_site_cleaned_up_with_a_photo_on_the_item_page(web, demo):
    """Reports from units accept photos the same way, shown in the item page's gallery (issue 12,
    point 6); the office sees them once the report is filed."""
    from duban.items import services as svc
    from duban.items.models import ItemKind, Report, Urgency

    org, people = demo
    sup, liu, lly, head = (people[u] for u in ("duchayuan", "fushizhang_liu", "zjj_lly", "zjj_fzr"))
    zjj = Unit.objects.get(org=org, short_name="住建局")
    item = svc.create_draft(org, sup, svc.DraftFields(
        title="关于建设路建筑垃圾清运的督查事项", content="三日内清运完毕并报送现场照片。", kind=ItemKind.INSTRUCTION,
        urgency=Urgency.NORMAL, lead_unit=zjj, co_units=[], responsible_leader=liu))
    svc.submit_proposal(item.id, sup)
    svc.approve_proposal(item.id, liu)
    svc.accept(item.id, lly, responsible_person="罗明")
    report = svc.draft_report(item.id, lly, kind=Report.Kind.PROGRESS, body="建筑垃圾已全部清运。")

    page = web.login("zjj_lly", viewport=PHONE)
    page.goto(f"/items/{item.id}/")
    gallery = page.locator("#gallery")
    gallery.locator("input[type=file]").set_input_files(
        [{"name": "cleaned.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}])
    gallery.get_by_role("button", name="为进展报告上传").click()
    expect(page.get_by_role("alert").filter(has_text="已上传1个照片或视频")).to_be_visible()
    expect(page.locator("#gallery img")).to_have_count(1)
    web.shot(page, "liaison-gallery")

    svc.send_report_to_head(report.id, lly)
    svc.approve_report(report.id, head)
    svc.submit_report(report.id, lly)
    office = web.login("duchayuan")
    office.goto(f"/items/{item.id}/")
    img = office.locator("#gallery img")
    expect(img).to_have_count(1)
    img.scroll_into_view_if_needed()  # thumbnails load lazily
    office.wait_for_function("(el) => el.complete && el.naturalWidth > 0", arg=img.element_handle())
    web.shot(office, "office-gallery")
    assert not web.blocked


def test_a_deputy_answers_a_survey_on_a_phone_once_without_an_account(web, demo):
    from duban.surveys import services as surveys

    org, people = demo
    zjj = Unit.objects.get(org=org, short_name="住建局")
    s = surveys.create_survey(org, people["duchayuan"], title="部门服务满意度测评", units=[zjj],
                              questions=["工作落实情况", "服务态度"])
    surveys.open_survey(s.id, people["duchayuan"])
    (link,) = surveys.make_links(s.id, people["duchayuan"], audience="deputy", count=1)
    page = web.page(PHONE)
    page.goto(f"/s/{link.token}/")
    expect(page.get_by_role("heading", name="部门服务满意度测评")).to_be_visible()
    expect(page.locator("nav")).to_have_count(0)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("alert")).to_contain_text("请对每一项作出评价")
    radios = page.get_by_role("radio", name="满意", exact=True)
    for i in range(radios.count()):
        radios.nth(i).check()
    page.get_by_label("意见建议（选填）").fill("窗口服务有改进。")
    web.shot(page, "survey-filled")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#survey-message")).to_have_text("提交成功，感谢参与")
    page.goto(f"/s/{link.token}/")
    expect(page.locator("#survey-message")).to_have_text("该链接已提交，感谢参与")
    web.shot(page, "survey-used")
