"""/healthz: what a load balancer probes (issue 13, point 4)."""

import pytest
from django.db import OperationalError, connection
from huey import RedisHuey
from huey.contrib import djhuey


@pytest.fixture
def anonymous(client):
    return client


def test_healthz_answers_ok_when_database_and_queue_answer(db, anonymous):
    r = anonymous.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"database": "ok", "queue": "ok", "status": "ok"}


def test_healthz_touches_no_session_and_is_never_cached(db, anonymous):
    r = anonymous.get("/healthz")
    assert "Cookie" not in r.get("Vary", "")
    assert not r.cookies and "Set-Cookie" not in r.headers
    assert "no-cache" in r["Cache-Control"]


def test_healthz_is_503_when_the_database_does_not_answer(db, anonymous, monkeypatch):
    def refuse(*a, **kw):
        raise OperationalError("connection refused")

    # Undone before the test's transaction is rolled back, which needs the real cursor.
    with monkeypatch.context() as m:
        m.setattr(connection, "cursor", refuse)
        r = anonymous.get("/healthz")
    assert r.status_code == 503
    assert r.json() == {"database": "error", "queue": "ok", "status": "error"}


def test_healthz_is_503_when_the_queue_does_not_answer(db, anonymous, monkeypatch):
    # A real Redis client pointed at a port where nothing listens.
    monkeypatch.setattr(djhuey, "HUEY", RedisHuey("duban-test", url="redis://127.0.0.1:1/0"))
    r = anonymous.get("/healthz")
    assert r.status_code == 503
    assert r.json() == {"database": "ok", "queue": "error", "status": "error"}


def test_healthz_skips_the_https_redirect_for_a_probe_over_plain_http(db, anonymous, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert anonymous.get("/healthz").status_code == 200
    assert anonymous.get("/login/").status_code == 301
