"""Several web machines share one cache when DUBAN_CACHE_URL is set (issue 13, point 5)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_with(**env) -> dict:
    """The settings module as a fresh process would read it with this environment."""
    code = ("import json, duban.settings as s; "
            "print(json.dumps({'caches': getattr(s, 'CACHES', None), 'engine': s.SESSION_ENGINE "
            "if hasattr(s, 'SESSION_ENGINE') else None}))")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DUBAN_", "DATABASE_URL"))}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, "DUBAN_DEBUG": "1", **env},
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_cache_url_makes_every_process_use_that_redis():
    conf = settings_with(DUBAN_CACHE_URL="redis://cache.internal:6379/1")
    assert conf["caches"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert conf["caches"]["default"]["LOCATION"] == "redis://cache.internal:6379/1"


def test_without_it_each_process_keeps_its_own_memory_cache_and_sessions_stay_in_the_database():
    conf = settings_with()
    assert conf["caches"] is None  # Django's default: local memory
    assert conf["engine"] is None  # Django's default: django.contrib.sessions.backends.db
