#!/usr/bin/env bash
# Start the production recipe on this machine and run an item through it (issue 13, points 4-5):
# DEBUG off, HTTPS on behind one (simulated) proxy, a fresh PostgreSQL database, the Redis queue
# and cache, two web processes (two gunicorn masters with deploy/gunicorn.conf.py, as two machines
# would run them) and two huey consumers (only the first schedules periodic tasks). Then
# deploy/check_lifecycle.py drives the JSON API across both web processes; at the end everything
# is stopped and the database dropped. Exits non-zero with a message at the first failure.
#
#   deploy/check.sh            # needs PostgreSQL on localhost:5432 (user postgres) and Redis on 6379
#
# Settings (environment): DUBAN_CHECK_PG (postgres://postgres@localhost:5432), DUBAN_CHECK_DB
# (duban_deploycheck), DUBAN_CHECK_REDIS (redis://localhost:6379; databases 5 and 6 are flushed),
# DUBAN_CHECK_PORTS ("18401 18402"), DUBAN_CHECK_KEEP=1 keeps the logs directory, DUBAN_CHECK_S3=1
# stores uploaded files in an S3-compatible store (moto's server from requirements-dev.txt, on port
# 18403) instead of DUBAN_VAR_DIR/media, as a scale-out without a shared file system would.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3

PG=${DUBAN_CHECK_PG:-postgres://postgres@localhost:5432}
DB=${DUBAN_CHECK_DB:-duban_deploycheck}
REDIS=${DUBAN_CHECK_REDIS:-redis://localhost:6379}
read -r -a PORTS <<< "${DUBAN_CHECK_PORTS:-18401 18402}"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/duban-deploycheck.XXXXXX")
START=$(date +%s)

say() { printf '[deploy-check %3ss] %s\n' "$(( $(date +%s) - START ))" "$*"; }
fail() {
  echo "deploy/check.sh FAILED: $*" >&2
  for log in "$WORK"/*.log; do
    [ -f "$log" ] || continue
    echo "---- last lines of $(basename "$log") ----" >&2
    tail -n 25 "$log" >&2
  done
  exit 1
}

# The production configuration, as deploy/duban.env.example sets it, on throwaway resources.
# Nothing of the caller's test environment leaks in (scripts/test.sh allows async-unsafe calls for
# Playwright; check --deploy rightly refuses that in production).
unset DJANGO_ALLOW_ASYNC_UNSAFE DUBAN_DEBUG DUBAN_QUEUE_IMMEDIATE DJANGO_SETTINGS_MODULE
export DATABASE_URL="$PG/$DB"
export DUBAN_DEBUG=0
export DUBAN_SECRET_KEY="deploy-check-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DUBAN_ALLOWED_HOSTS="duban.check,127.0.0.1,localhost"
export DUBAN_HTTPS=1 DUBAN_PROXY_COUNT=1
export DUBAN_QUEUE=redis
export DUBAN_REDIS_URL="$REDIS/5?socket_connect_timeout=2&socket_timeout=10"
export DUBAN_CACHE_URL="$REDIS/6?socket_connect_timeout=2&socket_timeout=2"
export DUBAN_VAR_DIR="$WORK/var"
export DUBAN_METRICS_TOKEN="metrics-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DUBAN_WEB_WORKERS=2 DUBAN_ACCESS_LOG=- DUBAN_WEB_GRACEFUL_TIMEOUT=5
export DUBAN_EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
unset DUBAN_QUEUE_IMMEDIATE DUBAN_S3_BUCKET PROMETHEUS_MULTIPROC_DIR DJANGO_SETTINGS_MODULE

PIDS=()
CREATED=0
stop_all() {
  local status=$?
  set +e
  if [ ${#PIDS[@]} -gt 0 ]; then
    say "stopping ${#PIDS[@]} processes"
    # gunicorn stops gracefully on TERM; huey finishes running tasks on INT.
    for pid in "${PIDS[@]}"; do
      case "$(cat "$WORK/$pid.kind" 2>/dev/null)" in
        worker) kill -INT "$pid" 2>/dev/null ;;
        *) kill -TERM "$pid" 2>/dev/null ;;
      esac
    done
    for _ in $(seq 1 100); do
      alive=0
      for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
      [ $alive = 0 ] && break
      sleep 0.2
    done
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && { echo "process $pid did not stop: killed" >&2; kill -KILL "$pid"; status=1; }; done
  fi
  # Only what this run created: a run stopped early (e.g. ports taken by another run) leaves alone
  # the database and Redis databases that may be someone else's.
  if [ "$CREATED" = 1 ]; then
    "$PY" - "$DB" <<'PYEOF' || { echo "could not drop the database $DB" >&2; status=1; }
import os, sys, psycopg, redis
from urllib.parse import urlsplit
url = urlsplit(os.environ["DATABASE_URL"])
with psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username, password=url.password,
                     dbname="postgres", autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{sys.argv[1]}" WITH (FORCE)')
for url in (os.environ["DUBAN_REDIS_URL"], os.environ["DUBAN_CACHE_URL"]):
    redis.Redis.from_url(url).flushdb()
PYEOF
  fi
  if [ "${DUBAN_CHECK_KEEP:-0}" = 1 ] || [ $status != 0 ]; then
    echo "logs kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  say "done (status $status)"
  exit $status
}
trap stop_all EXIT
trap 'exit 130' INT TERM

CHECK_PORTS=("${PORTS[@]}")
[ "${DUBAN_CHECK_S3:-0}" = 1 ] && CHECK_PORTS+=(18403)
for port in "${CHECK_PORTS[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "port $port is already in use (set DUBAN_CHECK_PORTS)"; fi
done

if [ "${DUBAN_CHECK_S3:-0}" = 1 ]; then
  start_s3() {
    .venv/bin/moto_server -H 127.0.0.1 -p 18403 >"$WORK/s3.log" 2>&1 &
    PIDS+=($!)
    echo s3 >"$WORK/$!.kind"
  }
  start_s3
  export DUBAN_S3_BUCKET=duban-check DUBAN_S3_ENDPOINT_URL=http://127.0.0.1:18403 DUBAN_S3_REGION=us-east-1 \
    DUBAN_S3_ACCESS_KEY=check DUBAN_S3_SECRET_KEY=check
  "$PY" - <<'PYEOF' || fail "the S3-compatible store (moto_server) did not start"
import os, time, boto3
s3 = boto3.client("s3", endpoint_url=os.environ["DUBAN_S3_ENDPOINT_URL"], region_name="us-east-1",
                  aws_access_key_id="check", aws_secret_access_key="check")
for _ in range(100):
    try:
        s3.create_bucket(Bucket=os.environ["DUBAN_S3_BUCKET"])
        break
    except Exception:
        time.sleep(0.1)
else:
    raise SystemExit(1)
PYEOF
  say "uploaded files go to the S3-compatible store at $DUBAN_S3_ENDPOINT_URL"
fi

say "fresh database $DB, Redis databases 5 (queue) and 6 (cache) flushed"
CREATED=1
"$PY" - "$DB" <<'PYEOF' || fail "PostgreSQL or Redis does not answer"
import os, sys, psycopg, redis
from urllib.parse import urlsplit
url = urlsplit(os.environ["DATABASE_URL"])
with psycopg.connect(host=url.hostname, port=url.port or 5432, user=url.username, password=url.password,
                     dbname="postgres", autocommit=True, connect_timeout=5) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{sys.argv[1]}" WITH (FORCE)')
    # LC_CTYPE C.UTF-8: pg_trgm indexes Chinese only then (docs/architecture.md, "Search").
    conn.execute(f"CREATE DATABASE \"{sys.argv[1]}\" TEMPLATE template0 ENCODING 'UTF8' "
                 "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'")
for url in (os.environ["DUBAN_REDIS_URL"], os.environ["DUBAN_CACHE_URL"]):
    redis.Redis.from_url(url).flushdb()
PYEOF

say "manage.py check --deploy (must report no issues, warnings included)"
"$PY" manage.py check --deploy --fail-level WARNING >"$WORK/check.log" 2>&1 || fail "check --deploy: $(cat "$WORK/check.log")"
say "migrate"
"$PY" manage.py migrate --noinput -v0 >"$WORK/migrate.log" 2>&1 || fail "migrate failed"
say "collectstatic"
"$PY" manage.py collectstatic --noinput -v0 >"$WORK/collectstatic.log" 2>&1 || fail "collectstatic failed"
[ -f "$DUBAN_VAR_DIR/static/web/duban.css" ] || fail "collectstatic did not write $DUBAN_VAR_DIR/static/web/duban.css"

start() {  # kind name command...
  local kind=$1 name=$2; shift 2
  "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  echo "$kind" >"$WORK/$!.kind"
}
WEBS=()
for i in "${!PORTS[@]}"; do
  port=${PORTS[$i]}
  # Each master is its own machine: its own bind address and metrics directory.
  start web "web$((i + 1))" env DUBAN_BIND="127.0.0.1:$port" PROMETHEUS_MULTIPROC_DIR="$WORK/metrics-$port" \
    .venv/bin/gunicorn -c deploy/gunicorn.conf.py duban.wsgi
  WEBS+=("http://127.0.0.1:$port")
done
start worker worker1 "$PY" manage.py run_huey --workers 2 --worker-type thread --flush-locks
start worker worker2 "$PY" manage.py run_huey --workers 2 --worker-type thread --no-periodic
say "started web processes on ports ${PORTS[*]} (2 workers each) and two consumers (the second with --no-periodic)"

# Ready when /healthz answers on each web process (a process that exits early fails at once).
"$PY" - "${WEBS[@]}" "${PIDS[@]}" <<'PYEOF' || fail "the web processes did not become healthy within 60 s"
import os, sys, time, urllib.request
webs = [a for a in sys.argv[1:] if a.startswith("http")]
pids = [int(a) for a in sys.argv[1:] if a.isdigit()]
deadline = time.monotonic() + 60
for web in webs:
    while True:
        for pid in pids:
            os.kill(pid, 0)  # raises if a process exited
        try:
            with urllib.request.urlopen(web + "/healthz", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"{web}/healthz does not answer")
        time.sleep(0.2)
PYEOF
grep -qi "periodic tasks are disabled" "$WORK/worker2.log" \
  || fail "the second consumer schedules periodic tasks too"
say "both web processes healthy"

"$PY" deploy/check_lifecycle.py "${WEBS[@]}" || fail "the lifecycle through the API failed"

for i in 1 2; do
  n=$(grep -c "Executing duban\." "$WORK/worker$i.log" || true)
  say "consumer $i ran $n tasks"
done
grep -qE '" 5[0-9]{2} ' "$WORK"/web*.log && fail "a web process answered 500 (see its access log)"
say "all checks passed"
