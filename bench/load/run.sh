#!/usr/bin/env bash
# The load test of issue 13, point 3: bring up the production configuration on this machine against
# a copy of the bench database, drive it with locust, check integrity, stop everything.
#
#   bench/load/run.sh                       # 200 users, spawn rate 10, 10 minutes (the recorded run)
#   bench/load/run.sh -u 20 -t 1m           # a short trial
#   bench/load/run.sh --saturation          # no think time, users added step by step (saturation.py)
#
# Options: -u USERS  -r SPAWN_RATE  -t RUN_TIME  --db NAME (default duban_load; never duban_bench:
# the run writes)  --workers N (gunicorn, default 4)  --port N (8077)  --redis-db N (7)
# --no-ladder (skip the ladder rehearsal)  --out DIR (default bench/out/load/<time>)
# LOAD_CLASSES="OaClient Leader" in the environment runs only those user classes (a trial of one part).
# --fresh (drop the copy and make it again from duban_bench first: a run changes it, and the ladder
# rehearsal fires tomorrow's rungs only once per copy).
#
# The copy: createdb -h localhost -U postgres -T duban_bench duban_load   (bench/README.md).
# What runs: gunicorn (sync workers) with DEBUG off and DUBAN_HTTPS=0; DUBAN_QUEUE=redis on its own
# Redis database; two huey consumers (`run_huey -w 2 -k thread`, the second with -n: no periodic
# tasks); locust headless. At a third of the run, two `sweep_ladder --now <next working day 09:00>`
# run at once beside the users (the ladder rehearsal: rungs due tomorrow fire today, in the copy,
# while users act on the same items), so "fired once" is tested under contention.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python

USERS=200 RATE=10 TIME=10m DB=duban_load WORKERS=4 PORT=8077 REDIS_DB=7 LADDER=1 SATURATION=0 OUT="" FRESH=0
while [ $# -gt 0 ]; do
  case "$1" in
    -u) USERS=$2; shift 2 ;;
    -r) RATE=$2; shift 2 ;;
    -t) TIME=$2; shift 2 ;;
    --db) DB=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --redis-db) REDIS_DB=$2; shift 2 ;;
    --no-ladder) LADDER=0; shift ;;
    --saturation) SATURATION=1; shift ;;
    --out) OUT=$2; shift 2 ;;
    --fresh) FRESH=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ "$DB" = duban_bench ]; then echo "refusing to write to duban_bench: make a copy (see the header)" >&2; exit 2; fi
SUFFIX=""; [ $SATURATION = 1 ] && SUFFIX=-sat
OUT=${OUT:-$ROOT/bench/out/load/$(date -u +%Y%m%dT%H%M%SZ)$SUFFIX}
mkdir -p "$OUT/var"
if [ $FRESH = 1 ]; then
  dropdb -h localhost -U postgres --if-exists "$DB"
  # CREATE DATABASE … TEMPLATE needs no other session on duban_bench: others time pages on it.
  for i in $(seq 60); do
    createdb -h localhost -U postgres -T duban_bench "$DB" 2>/dev/null && break
    [ "$i" = 60 ] && { echo "duban_bench stayed busy: no copy" >&2; exit 1; }
    sleep 5
  done
fi

export DATABASE_URL=postgres://postgres@localhost:5432/$DB
export DUBAN_DEBUG=0 DUBAN_HTTPS=0 DUBAN_ALLOWED_HOSTS=127.0.0.1,localhost
export DUBAN_SECRET_KEY=${DUBAN_SECRET_KEY:-load-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}
export DUBAN_QUEUE=redis DUBAN_REDIS_URL=redis://localhost:6379/$REDIS_DB
export DUBAN_VAR_DIR=$OUT/var   # uploaded attachments of the run
PIDS=()
stop_all() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap stop_all EXIT

echo "== $(date -u +%FT%TZ) load test: db $DB, $USERS users, spawn $RATE/s, $TIME, gunicorn $WORKERS workers, out $OUT"
echo "uptime before: $(uptime)" | tee "$OUT/uptime.txt"
$PY manage.py migrate --noinput >/dev/null
redis-cli -n "$REDIS_DB" flushdb >/dev/null
$PY bench/load/check.py baseline --dsn "$DATABASE_URL" --out "$OUT/baseline.json" >/dev/null

# Web: deploy/gunicorn.conf.py when branch ops has landed it, else the equivalent command line.
if [ -f deploy/gunicorn.conf.py ]; then
  GUNICORN=(-c deploy/gunicorn.conf.py --bind "127.0.0.1:$PORT" --workers "$WORKERS")
else
  GUNICORN=(--bind "127.0.0.1:$PORT" --workers "$WORKERS" --worker-class sync --timeout 60 --graceful-timeout 20)
fi
.venv/bin/gunicorn duban.wsgi:application "${GUNICORN[@]}" --error-logfile "$OUT/gunicorn.log" &
PIDS+=($!)
$PY manage.py run_huey -w 2 -k thread >"$OUT/huey1.log" 2>&1 &
PIDS+=($!)
$PY manage.py run_huey -w 2 -k thread -n >"$OUT/huey2.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do
  curl -fso /dev/null "http://127.0.0.1:$PORT/login/" && break
  sleep 1
done
curl -fso /dev/null "http://127.0.0.1:$PORT/login/" || { echo "gunicorn did not answer" >&2; exit 1; }
for _ in $(seq $((WORKERS * 4))); do curl -fso /dev/null "http://127.0.0.1:$PORT/login/"; done  # workers warm, as in service

if [ $SATURATION = 1 ]; then
  LOCUSTFILE=bench/load/saturation.py
  LOCUST_ARGS=()
  export LOAD_THINK_SCALE=0
  NO_LATENCY=--no-latency
else
  NO_LATENCY=""
  LOCUSTFILE=bench/load/locustfile.py
  LOCUST_ARGS=(--users "$USERS" --spawn-rate "$RATE" --run-time "$TIME")
fi
SECS=$($PY -c "import re,sys; m=re.fullmatch(r'(\d+)([smh]?)', sys.argv[1]); print(int(m[1])*{'':1,'s':1,'m':60,'h':3600}[m[2]])" "$TIME")
if [ $SATURATION = 1 ]; then SECS=320; fi
if [ $LADDER = 1 ]; then
  # A third of the run in, two sweeps at once for the next working day (see the header).
  NEXT=$(DUBAN_DEBUG=0 $PY manage.py shell -c "
from django.utils import timezone
from duban.deadlines.services import shift_working_days
print(shift_working_days(timezone.localdate(), 1).isoformat() + 'T09:00:00+08:00')" | tail -1)
  (
    sleep $((SECS / 3))
    echo "ladder rehearsal at $(date -u +%T): sweep_ladder --now $NEXT, twice at once"
    $PY manage.py sweep_ladder --now "$NEXT" >"$OUT/ladder1.log" 2>&1 &
    $PY manage.py sweep_ladder --now "$NEXT" >"$OUT/ladder2.log" 2>&1 &
    wait
    cat "$OUT/ladder1.log" "$OUT/ladder2.log"
  ) &
  LADDER_PID=$!
  PIDS+=($LADDER_PID)
fi

( for _ in 1 2 3; do sleep $((SECS / 4)); echo "uptime during: $(uptime)" >>"$OUT/uptime.txt"; done ) &
PIDS+=($!)
cpu_of() { ps -o times= "$@" 2>/dev/null | awk '{s += $1} END {print s + 0}'; }
CPU0=$(grep '^cpu ' /proc/stat) GCPU0=$(cpu_of --ppid "${PIDS[0]}") HCPU0=$(cpu_of -p "${PIDS[1]},${PIDS[2]}")
LOAD_LOG=$OUT/requests.csv .venv/bin/locust -f "$LOCUSTFILE" --headless --host "http://127.0.0.1:$PORT" \
  "${LOCUST_ARGS[@]}" --csv "$OUT/locust" --csv-full-history --stop-timeout 15 --only-summary \
  --loglevel WARNING ${LOAD_CLASSES:-} 2>&1 | tee "$OUT/locust.txt" || true
if [ $LADDER = 1 ]; then wait "$LADDER_PID" 2>/dev/null || true; fi
sleep 5   # let the consumers finish the notifications the last actions queued
echo "queue left in redis db $REDIS_DB: $(redis-cli -n "$REDIS_DB" llen huey.redis.duban) tasks"
# CPU the application used during the run (seconds): gunicorn's workers, the consumers; the machine's busy share.
{
  echo "gunicorn workers CPU s: $(( $(cpu_of --ppid "${PIDS[0]}") - GCPU0 )) (start-up and warm-up excluded)"
  echo "huey consumers CPU s: $(( $(cpu_of -p "${PIDS[1]},${PIDS[2]}") - HCPU0 ))"
  BACKENDS=$(pgrep -d, -f "postgres: .* $DB " || true)   # the connections still open (CONN_MAX_AGE 60 s)
  echo "PostgreSQL backends of $DB still open: CPU s: $([ -n "$BACKENDS" ] && cpu_of -p "$BACKENDS" || echo 0)"
  echo "machine CPU busy during the run: $(awk -v a="$CPU0" '/^cpu /{split(a, b, " "); t = 0; for (i = 2; i <= 9; i++) t += $i - b[i]; idle = ($5 + $6) - (b[5] + b[6]); printf "%.0f %%", 100 * (t - idle) / t}' /proc/stat)"
} | tee "$OUT/cpu.txt"
stop_all
echo "uptime after: $(uptime)" | tee -a "$OUT/uptime.txt"
grep -h "Traceback\|Error" "$OUT/gunicorn.log" "$OUT/huey1.log" "$OUT/huey2.log" | sort | uniq -c | head -20 || true

echo "== integrity checks"
$PY bench/load/check.py verify --dsn "$DATABASE_URL" --baseline "$OUT/baseline.json" \
  --stats "$OUT/locust_stats.csv" --log "$OUT/requests.csv" $NO_LATENCY | tee "$OUT/checks.txt"
