"""Sign-in with the organisation's identity provider over OpenID Connect (issue 8, point 4),
against a real provider started for the test run: django-oidc-provider in its own small Django
project (tests/auth/oidc_provider/), in a subprocess on a free localhost port.

The provider's user is mapped to a person by a configurable claim; an unknown account is refused
with a Chinese message and nobody is created."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests
from django.test import Client

from duban.orgs.models import User

ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/oidc/callback/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PROVIDER_DB": str(tmp_path_factory.mktemp("op") / "op.sqlite3"), "PROVIDER_URL": url,
           "PROVIDER_PEOPLE": "zhang.wei:op-pass-1:A1001,stranger:op-pass-2:Z9999,lisi:op-pass-3:B2002",
           "DJANGO_SETTINGS_MODULE": "tests.auth.oidc_provider.settings", "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "tests.auth.oidc_provider.serve", str(port), CALLBACK],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            try:
                if requests.get(f"{url}/openid/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(proc.stdout.read().decode())
            time.sleep(0.1)
        else:
            raise RuntimeError("the OIDC provider did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def oidc(settings, provider):
    discovery = requests.get(f"{provider}/openid/.well-known/openid-configuration", timeout=5).json()
    settings.DUBAN_OIDC_ENABLED = True
    settings.DUBAN_OIDC_CLAIM = "preferred_username"
    settings.DUBAN_OIDC_USER_FIELD = "username"
    settings.OIDC_RP_CLIENT_ID = "duban"
    settings.OIDC_RP_CLIENT_SECRET = "duban-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                        "duban.accounts.backends.OrganisationOIDCBackend"]
    return provider


def sign_in_at_provider(duban: Client, username: str, password: str):
    """Click 使用统一身份认证登录, sign in at the provider, come back: the callback's response."""
    start = duban.get("/oidc/authenticate/")
    assert start.status_code == 302
    browser = requests.Session()
    r = browser.get(start.url, allow_redirects=False)
    assert r.status_code == 302 and "/login/" in r.headers["Location"]
    login_url = requests.compat.urljoin(start.url, r.headers["Location"])
    form = browser.get(login_url)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    next_url = re.search(r'name="next" value="([^"]*)"', form.text).group(1).replace("&amp;", "&")
    r = browser.post(login_url, data={"csrfmiddlewaretoken": csrf, "username": username, "password": password,
                                      "next": next_url}, headers={"Referer": login_url}, allow_redirects=False)
    assert r.status_code == 302, r.text[:500]
    r = browser.get(requests.compat.urljoin(login_url, r.headers["Location"]), allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].startswith(CALLBACK), r.text[:500]
    back = urlparse(r.headers["Location"])
    return duban.get(f"{back.path}?{back.query}")


def test_the_login_page_offers_the_provider_only_when_configured(world, client, settings):
    assert "使用统一身份认证登录" not in client.get("/login/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    settings.DUBAN_OIDC_ENABLED = True
    assert "使用统一身份认证登录" in client.get("/login/").content.decode()


def test_a_known_person_signs_in_through_the_provider(world, oidc):
    person = world.liaison["lead"]
    User.objects.filter(pk=person.pk).update(username="zhang.wei")
    duban = Client()
    r = sign_in_at_provider(duban, "zhang.wei", "op-pass-1")
    assert r.status_code == 302 and r.url == "/"
    page = duban.get("/")
    assert page.status_code == 200 and person.display_name in page.content.decode()


def test_an_unknown_account_is_refused_in_chinese_and_nobody_is_created(world, oidc):
    before = User.objects.count()
    duban = Client()
    r = sign_in_at_provider(duban, "stranger", "op-pass-2")
    assert r.status_code == 302 and r.url == "/login/?sso=unknown"
    page = duban.get(r.url).content.decode()
    assert "统一身份认证账号在本系统中没有对应的人员" in page
    assert User.objects.count() == before
    assert duban.get("/").status_code == 302


def test_the_matching_claim_is_configurable(world, oidc, settings):
    """E.g. the staff number the provider sends, matched to a field of the person."""
    settings.DUBAN_OIDC_CLAIM = "staff_number"
    settings.OIDC_RP_SCOPES = "openid profile staff"
    settings.DUBAN_OIDC_USER_FIELD = "phone"  # stands for any field that holds the staff number
    person = world.head["lead"]
    User.objects.filter(pk=person.pk).update(phone="B2002")
    duban = Client()
    r = sign_in_at_provider(duban, "lisi", "op-pass-3")
    assert r.status_code == 302 and r.url == "/"
    assert person.display_name in duban.get("/").content.decode()


def test_a_deactivated_person_is_refused(world, oidc):
    person = world.liaison["lead"]
    User.objects.filter(pk=person.pk).update(username="zhang.wei", is_active=False)
    r = sign_in_at_provider(Client(), "zhang.wei", "op-pass-1")
    assert r.url == "/login/?sso=inactive"


def test_the_second_factor_still_applies_after_the_provider(world, oidc):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = world.liaison["lead"]
    User.objects.filter(pk=person.pk).update(username="zhang.wei")
    TOTPDevice.objects.create(user=person, name="身份验证器", confirmed=True)
    duban = Client()
    sign_in_at_provider(duban, "zhang.wei", "op-pass-1")
    r = duban.get("/items/")
    assert r.status_code == 302 and r.url.startswith("/account/two-factor/verify/")


def test_an_unreachable_provider_is_a_chinese_message_not_a_500(world, oidc, settings):
    person = world.liaison["lead"]
    User.objects.filter(pk=person.pk).update(username="zhang.wei")
    duban = Client()
    start = duban.get("/oidc/authenticate/")
    state = re.search(r"state=([^&]+)", start.url).group(1)
    settings.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{free_port()}/token"
    r = duban.get(f"/oidc/callback/?code=whatever&state={state}")
    assert r.status_code == 302 and r.url == "/login/?sso=unavailable"
    assert "暂时无法连接统一身份认证服务" in duban.get(r.url).content.decode()


def test_an_error_from_the_provider_returns_to_the_login_page(world, oidc):
    r = Client().get("/oidc/callback/?error=access_denied")
    assert r.status_code == 302 and r.url.startswith("/login/?sso=")
