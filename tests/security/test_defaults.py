"""Safe defaults (issue 8, point 5): a fresh set-up by README's "Production" steps works, DEBUG is
on only when asked for, and with DUBAN_HTTPS=1 the site redirects to HTTPS, sends HSTS and passes
`manage.py check --deploy`. Each runs Django in a subprocess with the environment production has."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = secrets.token_urlsafe(60)


def production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("DUBAN_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env |= {"DUBAN_DEBUG": "0", "DUBAN_SECRET_KEY": PRODUCTION_KEY, "DUBAN_ALLOWED_HOSTS": "duban.example.gov.cn",
            "DJANGO_SETTINGS_MODULE": "duban.settings"}
    env |= extra
    return {k: v for k, v in env.items() if v is not None}


def run(args, env, cwd=ROOT, timeout=240):
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
c = Client(HTTP_HOST="duban.example.gov.cn")
plain, secure = c.get("/no-such-page/"), c.get("/no-such-page/", secure=True)
print(json.dumps({
    "debug": settings.DEBUG, "plain": plain.status_code, "location": plain.get("Location", ""),
    "hsts": secure.get("Strict-Transport-Security", ""), "secure_cookies": settings.SESSION_COOKIE_SECURE,
    "loaders": [type(l).__module__ for l in __import__("django.template", fromlist=["engines"]).engines["django"].engine.template_loaders],
}))
"""


def probe(**env):
    import json

    r = run(["-c", PROBE], production_env(**env))
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_a_fresh_copy_migrates_by_readmes_production_steps_without_a_var_folder(tmp_path):
    """README "Production": set the variables, then `manage.py migrate` (the queue used to open var/
    before anything had created it)."""
    copy = tmp_path / "duban-fresh"
    copy.mkdir()
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    shutil.copytree(ROOT / "duban", copy / "duban", ignore=shutil.ignore_patterns("__pycache__"))
    assert not (copy / "var").exists()
    r = run(["manage.py", "migrate", "--noinput"], production_env(), cwd=copy, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert (copy / "var" / "duban.sqlite3").exists()
    check = run(["manage.py", "check"], production_env(), cwd=copy)
    assert check.returncode == 0, check.stderr[-3000:]


def test_debug_is_off_unless_asked_for():
    assert probe(DUBAN_DEBUG=None, DUBAN_HTTPS="0")["debug"] is False
    assert probe(DUBAN_DEBUG="1", DUBAN_SECRET_KEY=None)["debug"] is True


def test_production_caches_compiled_templates():
    """Issue 13, point 1: templates are parsed once per process, not on every request."""
    assert probe(DUBAN_DEBUG=None, DUBAN_HTTPS="0")["loaders"] == ["django.template.loaders.cached"]


def test_production_refuses_to_start_on_the_public_demo_key():
    for key in (None, "demo-only-insecure-key-change-me"):
        r = run(["-c", PROBE], production_env(DUBAN_DEBUG=None, DUBAN_SECRET_KEY=key))
        assert r.returncode != 0
        assert "DUBAN_SECRET_KEY" in r.stderr


def test_with_https_plain_requests_are_redirected_and_browsers_told_to_keep_to_https():
    seen = probe(DUBAN_HTTPS="1")
    assert seen["plain"] == 301 and seen["location"].startswith("https://duban.example.gov.cn/")
    assert seen["hsts"].startswith("max-age=31536000")
    assert seen["secure_cookies"] is True


def test_a_plain_http_intranet_gets_neither_redirect_nor_hsts():
    seen = probe(DUBAN_HTTPS="0")
    assert seen["plain"] == 404 and seen["hsts"] == "" and seen["secure_cookies"] is False


def test_the_deployment_check_is_clean_with_https():
    r = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(DUBAN_HTTPS="1"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "System check identified no issues" in r.stdout, r.stdout + r.stderr


@pytest.mark.parametrize("script", ["scripts/demo.sh"])
def test_the_demo_asks_for_debug_itself(script):
    text = (ROOT / script).read_text()
    assert 'export DUBAN_DEBUG="${DUBAN_DEBUG:-1}"' in text
    assert text.index("DUBAN_DEBUG") < text.index("manage.py migrate")
