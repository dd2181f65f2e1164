"""Browser journeys of sign-in (issue 8, points 3, 4, 6) in Chromium, a screenshot per step:
the office head of an organisation requiring two-factor sets it up at first login; a guesser is
locked out with the Chinese page; the office head reads the configuration history.

Here rather than in tests/auth/ so that the session's one Chromium (conftest.py) serves them."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from duban.deadlines.models import DeadlineRule

from .helpers import PASSWORD, nav

pytestmark = pytest.mark.browser


def code_for(device, shift=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=shift):06d}"


def test_the_office_head_sets_up_two_factor_at_first_login_and_uses_it_next_time(web, demo):
    org, users = demo
    org.require_two_factor = True
    org.save()
    page = web.page()
    page.goto("/")
    page.get_by_label("用户名").fill("duchashi_zhuren")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="设置两步验证")).to_be_visible()
    expect(page.locator("#totp-qr svg")).to_be_visible()
    web.shot(page, "setup-qr")
    # Any other page sends the person back here until it is done.
    page.goto("/items/")
    expect(page).to_have_url(re.compile(r"/account/two-factor/setup/"))
    device = TOTPDevice.objects.get(user=users["duchashi_zhuren"], confirmed=False)
    page.get_by_label("验证码").fill(code_for(device))
    page.get_by_role("button", name="完成设置").click()
    expect(page.get_by_role("heading", name="两步验证已启用")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    web.shot(page, "recovery-codes")
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page.locator("#two-factor-state")).to_contain_text("已启用")
    web.shot(page, "account")

    # Next time: password, then the code.
    again = web.page()
    again.goto("/")
    again.get_by_label("用户名").fill("duchashi_zhuren")
    again.get_by_label("密码").fill(PASSWORD)
    again.get_by_role("button", name="登录").click()
    expect(again.get_by_role("heading", name="两步验证")).to_be_visible()
    again.get_by_label("验证码或恢复码").fill("000000")
    again.get_by_role("button", name="验证").click()
    expect(again.locator(".invalid-feedback")).to_contain_text("验证码不正确")
    web.shot(again, "wrong-code")
    TOTPDevice.objects.filter(user=users["duchashi_zhuren"]).update(throttling_failure_count=0,
                                                                     throttling_failure_timestamp=None)
    device = TOTPDevice.objects.get(user=users["duchashi_zhuren"])
    again.get_by_label("验证码或恢复码").fill(code_for(device, shift=1))
    again.get_by_role("button", name="验证").click()
    expect(again.get_by_role("heading", name=re.compile("我的待办"))).to_be_visible()
    web.shot(again, "worklist")


def test_a_guesser_sees_when_to_try_again_in_chinese(web, demo):
    page = web.page()
    page.goto("/login/")
    for _ in range(5):
        page.get_by_label("用户名").fill("duchayuan")
        page.get_by_label("密码").fill("wrong-password")
        page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("heading", name="暂停登录")).to_be_visible()
    expect(page.locator("#lockout-message")).to_contain_text(re.compile(r"请于\d\d:\d\d后再试"))
    web.shot(page, "locked-out")


def test_the_office_head_reads_who_changed_a_time_limit(web, demo):
    org, users = demo
    admin = web.login("admin")
    rule = DeadlineRule.objects.filter(org=org).order_by("priority", "id").first()
    admin.goto(f"/admin/deadlines/deadlinerule/{rule.pk}/change/")
    admin.locator("#id_amount").fill(str(rule.amount + 2))
    admin.get_by_role("button", name="保存", exact=True).click()
    expect(admin.locator(".messagelist")).to_be_visible()
    head = web.login("duchashi_zhuren")
    nav(head, "配置变更记录")
    row = head.locator("#audit-table tbody tr", has_text=rule.name).first
    expect(row).to_contain_text(f"{rule.amount} → {rule.amount + 2}")
    expect(row).to_contain_text("系统管理员")
    web.shot(head, "audit")
