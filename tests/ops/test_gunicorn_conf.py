"""deploy/gunicorn.conf.py reads the machine's environment (issue 13, point 4)."""

import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def load(monkeypatch, tmp_path, **env):
    for name in ("DUBAN_BIND", "DUBAN_WEB_WORKERS", "DUBAN_WEB_THREADS", "DUBAN_WEB_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    # The file exports the metrics directory for the app it preloads; keep it inside the test.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_workers_bind_and_threads_come_from_the_environment(monkeypatch, tmp_path):
    conf = load(monkeypatch, tmp_path, DUBAN_BIND="0.0.0.0:8000", DUBAN_WEB_WORKERS="5", DUBAN_WEB_THREADS="4")
    assert conf["bind"] == ["0.0.0.0:8000"]
    assert conf["workers"] == 5
    assert conf["worker_class"] == "gthread" and conf["threads"] == 4
    assert conf["preload_app"] is True
    assert conf["control_socket_disable"] is True


def test_by_default_workers_follow_the_cores_and_are_sync(monkeypatch, tmp_path):
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    conf = load(monkeypatch, tmp_path)
    assert conf["workers"] == 5 and conf["worker_class"] == "sync"
    assert conf["bind"] == ["127.0.0.1:8000"]


def test_a_new_master_starts_with_an_empty_metrics_directory(monkeypatch, tmp_path):
    conf = load(monkeypatch, tmp_path)
    stale = tmp_path / "metrics" / "histogram_4242.db"
    stale.parent.mkdir()
    stale.write_bytes(b"left by the previous master's workers")
    conf["on_starting"](server=None)
    assert (tmp_path / "metrics").is_dir() and not any((tmp_path / "metrics").iterdir())
