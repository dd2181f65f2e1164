import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from duban.api.models import ApiToken

from .conftest import ApiClient, error_of


def test_token_is_issued_for_right_credentials_and_opens_the_api(world, anonymous):
    r = anonymous.post("/auth/token", {"username": world.supervisor.username, "password": "pw-12345"})
    assert r.status_code == 200
    body = r.json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert dt.timedelta(days=29) < expires - timezone.now() <= dt.timedelta(days=30)
    me = ApiClient(anonymous.client, body["token"]).get("/me")
    assert me.status_code == 200
    assert me.json()["username"] == world.supervisor.username


def test_token_lifetime_follows_the_setting(world, anonymous, settings):
    settings.DUBAN_API_TOKEN_DAYS = 2
    r = anonymous.post("/auth/token", {"username": world.supervisor.username, "password": "pw-12345"})
    expires = dt.datetime.fromisoformat(r.json()["expires_at"])
    assert expires - timezone.now() <= dt.timedelta(days=2)


def test_only_the_hash_of_a_token_is_stored(world, anonymous):
    key = anonymous.post("/auth/token", {"username": world.supervisor.username, "password": "pw-12345"}).json()["token"]
    row = ApiToken.objects.get(user=world.supervisor)
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert not any(key in str(value) for value in stored.values())


@pytest.mark.parametrize("username, password", [
    ("nobody", "pw-12345"),
    (None, "wrong-password"),  # the supervisor's name
    (None, ""),
])
def test_wrong_credentials_are_401_in_chinese(world, anonymous, username, password):
    r = anonymous.post("/auth/token", {"username": username or world.supervisor.username, "password": password})
    assert error_of(r, 401)["detail"] == "用户名或密码不正确"
    assert not ApiToken.objects.exists()


def test_inactive_user_gets_no_token_and_loses_the_ones_held(world, anonymous, as_user):
    api = as_user(world.supervisor)
    world.supervisor.is_active = False
    world.supervisor.save()
    error_of(anonymous.post("/auth/token", {"username": world.supervisor.username, "password": "pw-12345"}), 401)
    error_of(api.get("/items"), 401)


@pytest.mark.parametrize("header", [
    None,
    "Bearer",
    "Bearer ",
    "Bearer not-a-token",
    "Token abc",
    "Basic dXNlcjpwYXNz",
    "Bearer " + "x" * 5000,
])
def test_missing_or_invalid_token_is_401(world, anonymous, header):
    headers = {"Authorization": header} if header is not None else {}
    for path in ("/items", "/units", "/worklist", "/me", "/calendar/add-working-days?start=2026-09-30&days=1"):
        r = anonymous.get(path, headers=headers)
        body = error_of(r, 401)
        assert "令牌" in body["detail"]
        assert r["WWW-Authenticate"].startswith("Bearer")
    error_of(anonymous.post("/items", {"title": "x"}, headers=headers), 401)


def test_expired_token_is_refused(world, as_user):
    api = as_user(world.supervisor)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    error_of(api.get("/items"), 401)


def test_last_use_is_recorded(world, as_user):
    api = as_user(world.supervisor)
    assert ApiToken.objects.get().last_used is None
    assert api.get("/me").status_code == 200
    assert ApiToken.objects.get().last_used is not None


def test_revoked_token_no_longer_works_and_others_still_do(world, as_user):
    first, second = as_user(world.supervisor), as_user(world.supervisor)
    assert first.delete("/auth/token").status_code == 204
    error_of(first.get("/me"), 401)
    assert second.get("/me").status_code == 200


def test_a_new_token_clears_the_users_expired_ones(world, as_user):
    as_user(world.supervisor)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(days=1))
    as_user(world.supervisor)
    assert ApiToken.objects.count() == 1


def test_session_cookie_alone_does_not_open_the_api(world, client, anonymous):
    client.force_login(world.supervisor)
    error_of(anonymous.get("/items"), 401)


def test_docs_and_schema_are_public(anonymous, db):
    assert anonymous.get("/openapi.json").status_code == 200
    assert anonymous.get("/docs").status_code == 200
