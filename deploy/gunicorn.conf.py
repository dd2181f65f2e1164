"""gunicorn configuration for Duban (issue 13, point 4). Every value can be set from the
environment (deploy/duban.env.example), so one file serves the systemd unit, deploy/check.sh and
the load test:

    gunicorn -c deploy/gunicorn.conf.py duban.wsgi

DUBAN_BIND            where to listen (127.0.0.1:8000; 0.0.0.0:8000 when a separate machine balances)
DUBAN_WEB_WORKERS     worker processes (default 2 × CPU cores + 1, at most 12)
DUBAN_WEB_THREADS     threads per worker (1: sync workers; >1 runs gthread)
DUBAN_WEB_TIMEOUT     seconds a request may take before its worker is killed and replaced (60:
                      the PDF of a sealed volume is the slowest page)
DUBAN_WEB_MAX_REQUESTS  recycle a worker after this many requests, with jitter (1000; 0 = never)
DUBAN_ACCESS_LOG      access log file, "-" for stderr (journald under systemd), "" for none
PROMETHEUS_MULTIPROC_DIR  where workers write their metric samples (default: a directory under
                      DUBAN_WEB_TMP_DIR, emptied when gunicorn starts)
DUBAN_WEB_CONTROL_SOCKET  gunicorn's control socket (off unless set; /run/duban/web.ctl under systemd)
DUBAN_WEB_TMP_DIR     worker heartbeat files and the metrics directory (/dev/shm when it exists:
                      a disk-backed /tmp can stall heartbeats and get workers killed)

Reload code or configuration without dropping a request: `systemctl reload duban-web` (SIGHUP:
new workers start, old ones finish what they serve). With preload_app the application is imported
once in the master, so a code change needs `systemctl restart duban-web` instead, or SIGUSR2 for a
new master beside the old one (see docs/architecture.md, "Production and scale-out").
"""

import multiprocessing
import os
import shutil
from pathlib import Path


def _int(name, default):
    return int(os.environ.get(name) or default)


bind = os.environ.get("DUBAN_BIND", "127.0.0.1:8000").split(",")
workers = _int("DUBAN_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 12))
threads = _int("DUBAN_WEB_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("DUBAN_WEB_TIMEOUT", 60)
graceful_timeout = _int("DUBAN_WEB_GRACEFUL_TIMEOUT", 30)
keepalive = 5  # behind nginx's upstream keepalive
max_requests = _int("DUBAN_WEB_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10

# Import Django once in the master: workers fork ready (faster start, shared memory pages), and a
# broken configuration stops the master at once instead of every worker crash-looping.
preload_app = True

_tmp = os.environ.get("DUBAN_WEB_TMP_DIR") or ("/dev/shm" if os.path.isdir("/dev/shm") else None)
worker_tmp_dir = _tmp

accesslog = os.environ.get("DUBAN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("DUBAN_LOG_LEVEL", "info")
# The client's address as nginx forwarded it, and the time taken in microseconds.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
forwarded_allow_ips = os.environ.get("DUBAN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "duban-web"
# gunicorn 27's control socket (gunicornc) defaults to ~/.gunicorn/gunicorn.ctl: one path for every
# master of a user, and outside what systemd lets the service write. Only where asked for.
if os.environ.get("DUBAN_WEB_CONTROL_SOCKET"):
    control_socket = os.environ["DUBAN_WEB_CONTROL_SOCKET"]
else:
    control_socket_disable = True

# prometheus_client's multiprocess mode: the variable must be set before the application (and so
# prometheus_client) is imported, which preload does right after this file is read.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or str(
    Path(_tmp or "/tmp") / f"duban-metrics-{bind[0].replace(':', '-').replace('/', '-')}"
)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir


def on_starting(server):
    """A new master starts with no samples from a previous run's workers."""
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)


def child_exit(server, worker):
    """A dead worker's live gauges stop counting; its counters and histograms stay summed."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
