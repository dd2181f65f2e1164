"""Sessions and passwords (issue 8, point 3): a changed password ends the person's other sessions
and revokes their API tokens, whoever changes it; idle sessions expire."""

import datetime as dt
import time

from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from duban.accounts.middleware import IdleSessionMiddleware
from duban.api.models import ApiToken

from .conftest import PASSWORD, token_request


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    assert c.get("/").status_code == 200
    return c


def test_changing_ones_password_ends_other_sessions_and_tokens_but_keeps_this_one(world):
    user = world.supervisor
    here, elsewhere = signed_in(user), signed_in(user)
    _, key = ApiToken.issue(user)
    r = here.post("/account/password/", {"old_password": PASSWORD, "new_password1": "Xin-mima-2026!",
                                         "new_password2": "Xin-mima-2026!"})
    assert r.status_code == 302 and r.url == "/account/"
    assert "密码已修改" in here.get("/account/").content.decode()
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302  # back to the login page
    assert not ApiToken.objects.filter(user=user).exists()
    api = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 401


def test_a_wrong_old_password_changes_nothing_and_says_so_in_chinese(world):
    user = world.supervisor
    c = signed_in(user)
    ApiToken.issue(user)
    r = c.post("/account/password/", {"old_password": "nope", "new_password1": "Xin-mima-2026!",
                                      "new_password2": "Xin-mima-2026!"})
    assert r.status_code == 200 and "原密码不正确" in r.content.decode()
    assert ApiToken.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_admin_changing_someones_password_ends_that_persons_sessions_and_tokens(world, superuser):
    victim = world.liaison["lead"]
    theirs = signed_in(victim)
    ApiToken.issue(victim)
    bystander_token = ApiToken.issue(world.supervisor)[0]
    admin = signed_in(superuser)
    r = admin.post(f"/admin/orgs/user/{victim.pk}/password/", {"password1": "Admin-set-2026!",
                                                                  "password2": "Admin-set-2026!"})
    assert r.status_code == 302
    assert theirs.get("/").status_code == 302
    assert not ApiToken.objects.filter(user=victim).exists()
    assert ApiToken.objects.filter(pk=bystander_token.pk).exists()
    assert admin.get("/").status_code == 200


def test_signing_in_again_does_not_revoke_tokens(world, client):
    _, key = ApiToken.issue(world.supervisor)
    client.post("/login/", {"username": world.supervisor.username, "password": PASSWORD})
    assert token_request(Client(), world.supervisor.username).status_code == 200
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_the_idle_limit_is_thirty_minutes_unless_configured():
    import duban.settings as production

    assert production.DUBAN_SESSION_IDLE_MINUTES == 30
    assert production.SESSION_COOKIE_AGE == 30 * 60
    assert "duban.accounts.middleware.IdleSessionMiddleware" in production.MIDDLEWARE
    assert production.DUBAN_SESSION_RENEW_SECONDS == 60


def _age_renewal(c, seconds):
    """Pretend the session's end was last pushed back `seconds` ago."""
    session = c.session
    session[IdleSessionMiddleware.KEY] = int(time.time()) - seconds
    session.save()


def test_a_session_lasts_the_idle_minutes_from_the_last_request(world, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60  # tests/settings.py lengthens it for clock-moving tests
    c = signed_in(world.supervisor)
    session = Session.objects.get(session_key=c.session.session_key)
    # Pretend the last request was 20 minutes ago: the next request pushes the end 30 minutes on.
    _age_renewal(c, 20 * 60)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + dt.timedelta(minutes=10))
    assert c.get("/").status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > timezone.now() + dt.timedelta(minutes=29)


def test_a_session_is_written_at_most_once_a_minute(world, settings):
    """A page view does not write its session when the end was pushed back under a minute ago."""
    settings.SESSION_COOKIE_AGE = 30 * 60
    c = signed_in(world.supervisor)
    c.get("/items/")
    session = Session.objects.get(session_key=c.session.session_key)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + dt.timedelta(minutes=10))
    with CaptureQueriesContext(connection) as ctx:
        assert c.get("/items/").status_code == 200
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    assert Session.objects.get(pk=session.pk).expire_date < timezone.now() + dt.timedelta(minutes=11)
    _age_renewal(c, 61)
    assert c.get("/items/").status_code == 200
    assert Session.objects.get(pk=session.pk).expire_date > timezone.now() + dt.timedelta(minutes=29)


def test_a_session_idle_past_the_limit_is_over(world):
    c = signed_in(world.supervisor)
    Session.objects.filter(session_key=c.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    r = c.get("/items/")
    assert r.status_code == 302 and r.url.startswith("/login/")
