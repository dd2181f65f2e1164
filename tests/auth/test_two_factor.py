"""Two-factor sign-in (issue 8, point 4): TOTP with recovery codes; required for the office head
and administrators when the organisation turns it on, optional for everyone else."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.accounts import twofactor

from .conftest import PASSWORD, token_request, web_login


def code_for(device, shift=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=shift):06d}"


def enable(client, user) -> list[str]:
    """The person's own way: open the set-up page, type the authenticator's code."""
    page = client.get("/account/two-factor/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    r = client.post("/account/two-factor/setup/", {"code": code_for(device)})
    assert r.status_code == 200 and "两步验证已启用" in r.content.decode()
    return list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


@pytest.fixture
def liaison_with_totp(world):
    user = world.liaison["lead"]
    c = Client()
    c.force_login(user)
    codes = enable(c, user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    # Each code is accepted once (django-otp remembers the last time step used).
    device.last_t = -1
    device.save()
    return user, device, codes


def test_anyone_may_turn_it_on_from_a_qr_code_drawn_on_the_server(world, client):
    user = world.liaison["lead"]
    client.force_login(user)
    page = client.get("/account/two-factor/setup/").content.decode()
    assert "<svg" in page and "otpauth://totp/" in page and 'id="totp-secret"' in page
    assert "cdn" not in page.lower()
    codes = enable(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert twofactor.has_second_factor(user)
    assert "已启用" in client.get("/account/").content.decode()


def test_a_wrong_code_at_set_up_enables_nothing(world, client):
    user = world.liaison["lead"]
    client.force_login(user)
    client.get("/account/two-factor/setup/")
    r = client.post("/account/two-factor/setup/", {"code": "000000"})
    assert "验证码不正确" in r.content.decode()
    assert not twofactor.has_second_factor(user)


def test_after_the_password_the_code_is_asked_before_any_page(liaison_with_totp):
    user, device, _ = liaison_with_totp
    c = Client()
    r = web_login(c, user.username)
    assert r.status_code == 302
    r = c.get("/items/")
    assert r.status_code == 302 and r.url.startswith("/account/two-factor/verify/")
    assert c.get("/api/v1/me").status_code == 401  # no session door into the API either
    r = c.post("/account/two-factor/verify/", {"code": "123456"})
    assert "验证码不正确" in r.content.decode()
    assert c.get("/items/").status_code == 302
    # django-otp slows down guessing: right after a wrong code even the right one waits a moment.
    r = c.post("/account/two-factor/verify/", {"code": code_for(device)})
    assert "秒后再试" in r.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    r = c.post("/account/two-factor/verify/?next=/items/", {"code": code_for(device), "next": "/items/"})
    assert r.status_code == 302 and r.url == "/items/"
    assert c.get("/items/").status_code == 200


def test_a_recovery_code_opens_the_door_once(liaison_with_totp):
    user, _, codes = liaison_with_totp
    first = Client()
    web_login(first, user.username)
    r = first.post("/account/two-factor/verify/", {"code": codes[0]})
    assert r.status_code == 302
    assert "还剩 9 个" in first.get("/").content.decode()
    second = Client()
    web_login(second, user.username)
    r = second.post("/account/two-factor/verify/", {"code": codes[0]})
    assert "验证码不正确或已使用" in r.content.decode()
    assert second.get("/").status_code == 302


def test_people_without_it_sign_in_with_the_password_alone(world, client):
    assert web_login(client, world.liaison["lead"].username).status_code == 302
    assert client.get("/items/").status_code == 200


@pytest.mark.parametrize("role_of", ["office_head", "admin"])
def test_the_organisation_requires_it_of_the_office_head_and_administrators(world, superuser, role_of):
    world.org.require_two_factor = True
    world.org.save()
    user = world.office_head if role_of == "office_head" else superuser
    c = Client()
    assert web_login(c, user.username).status_code == 302
    r = c.get("/")
    assert r.status_code == 302 and r.url.startswith("/account/two-factor/setup/")
    page = c.get("/account/two-factor/setup/").content.decode()
    assert "本单位要求督查室主任和系统管理员启用两步验证" in page
    enable(c, user)
    assert c.get("/").status_code == 200
    # Turning it off is refused while the organisation requires it.
    device = TOTPDevice.objects.get(user=user)
    r = c.post("/account/", {"action": "turn_off", "code": code_for(device, shift=1)})
    assert "不能关闭" in r.content.decode()
    assert twofactor.has_second_factor(user)


def test_the_requirement_leaves_everyone_else_free(world):
    world.org.require_two_factor = True
    world.org.save()
    for user in [world.supervisor, world.leader, world.liaison["lead"]]:
        c = Client()
        web_login(c, user.username)
        assert c.get("/").status_code == 200, user.role


def test_someone_not_required_may_turn_it_off_with_a_current_code(liaison_with_totp):
    user, device, _ = liaison_with_totp
    c = Client()
    web_login(c, user.username)
    c.post("/account/two-factor/verify/", {"code": code_for(device)})
    r = c.post("/account/", {"action": "turn_off", "code": "999999"})
    assert "验证码不正确" in r.content.decode()
    assert twofactor.has_second_factor(user)
    device.refresh_from_db()
    r = c.post("/account/", {"action": "turn_off", "code": code_for(device, shift=1)})
    assert r.status_code == 302
    assert not twofactor.has_second_factor(user)
    assert not StaticToken.objects.filter(device__user=user).exists()


def test_new_recovery_codes_void_the_old_ones(liaison_with_totp):
    user, device, old = liaison_with_totp
    c = Client()
    web_login(c, user.username)
    c.post("/account/two-factor/verify/", {"code": code_for(device)})
    device.refresh_from_db()
    r = c.post("/account/", {"action": "recovery_codes", "code": code_for(device, shift=1)})
    assert "新的恢复码" in r.content.decode()
    new = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)


def test_the_token_endpoint_asks_for_the_code_too(liaison_with_totp):
    user, device, codes = liaison_with_totp
    r = token_request(Client(), user.username)
    assert r.status_code == 401 and r.json()["field"] == "otp" and "两步验证" in r.json()["detail"]
    r = token_request(Client(), user.username, otp="000000")
    assert r.status_code == 401 and "验证码不正确" in r.json()["detail"]
    assert "秒后再试" in token_request(Client(), user.username, otp=code_for(device)).json()["detail"]
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert token_request(Client(), user.username, otp=code_for(device)).status_code == 200
    assert token_request(Client(), user.username, otp=codes[1]).status_code == 200


def test_a_required_person_without_an_authenticator_gets_no_token(world):
    world.org.require_two_factor = True
    world.org.save()
    r = token_request(Client(), world.office_head.username)
    assert r.status_code == 401 and "请先在网页" in r.json()["detail"]


def test_the_admin_resets_a_lost_authenticator(liaison_with_totp, superuser):
    user, _, _ = liaison_with_totp
    admin = Client()
    admin.force_login(superuser)
    r = admin.post("/admin/orgs/user/", {"action": "reset_second_factor", "_selected_action": [user.pk]})
    assert r.status_code == 302
    assert not twofactor.has_second_factor(user)
    c = Client()
    web_login(c, user.username)
    assert c.get("/").status_code == 200


def test_bad_codes_get_a_chinese_message_not_a_500(liaison_with_totp):
    user, _, _ = liaison_with_totp
    c = Client()
    web_login(c, user.username)
    for bad in ["", "x" * 5000, "12\x0034", "１２３４５６"]:
        r = c.post("/account/two-factor/verify/", {"code": bad})
        assert r.status_code == 200, bad
        assert "验证码" in r.content.decode()
