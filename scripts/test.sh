#!/usr/bin/env bash
# Run the whole test suite: on SQLite, then on PostgreSQL when it answers on localhost:5432, then
# the production recipe's check (deploy/check.sh) when PostgreSQL and Redis answer.
# Browser tests drive Debian's Chromium; as root this installs it when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh

# tests/auth signs in against a real OpenLDAP server (slapd) and needs python-ldap, which builds
# against libldap: as root this installs them when missing (no daemon is started by the package).
if ! command -v slapd >/dev/null 2>&1 && [ ! -x /usr/sbin/slapd ] || [ ! -f /usr/include/ldap.h ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing slapd and the LDAP headers for the directory sign-in tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      slapd ldap-utils libldap2-dev libsasl2-dev gcc >/dev/null
  else
    echo "slapd or libldap2-dev is missing: install them with: sudo apt-get install slapd libldap2-dev libsasl2-dev gcc" >&2
  fi
fi
ensure_venv requirements-dev.txt
# python-ldap builds against libldap: where it cannot, the LDAP tests are skipped, the rest runs.
if ! "$PY" -c "import ldap, django_auth_ldap" 2>/dev/null; then
  "$PY" -m pip install --quiet -r requirements-ldap.txt \
    || echo "python-ldap could not be built (needs libldap2-dev libsasl2-dev gcc): LDAP tests are skipped" >&2
fi

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium and CJK fonts for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
  else
    echo "chromium is missing: browser tests will fail. Install it with: sudo apt-get install chromium fonts-noto-cjk" >&2
  fi
fi

# Forms as PDF (WeasyPrint) and their pages as PNG (pdftoppm) in the documents tests.
ensure_pdf_libs pdftoppm

export DJANGO_ALLOW_ASYNC_UNSAFE=true
status=0
# pytest's exit code 5 is "no tests collected": a selection ("$@") with no browser test, say.
run_pytest() { local rc=0; "$@" || rc=$?; [ "$rc" = 5 ] && rc=0; return "$rc"; }

# The PostgreSQL pass runs beside the SQLite pass and then beside the browser tests: each is one
# process, and the machine has two CPUs (the suite took 29 minutes one pass after the other on a
# 2-CPU machine, and 27 with only the first two side by side on a slower one: the PostgreSQL pass is
# the longest, 17 minutes there). Its output is printed when it is done.
pg_pid=""
if "$PY" - <<'PYEOF' 2>/dev/null
import psycopg
psycopg.connect("host=localhost port=5432 user=postgres dbname=postgres", connect_timeout=3).close()
PYEOF
then
  pg_log=$(mktemp)
  ( export DATABASE_URL="postgres://postgres@localhost:5432/duban"; rc=0
    run_pytest "$PY" -m pytest -m "not browser" "$@" >"$pg_log" 2>&1 || rc=$?; echo "$rc" >"$pg_log.rc" ) &
  pg_pid=$!
  echo "== PostgreSQL: running beside the SQLite pass (its output follows) =="
else
  echo "PostgreSQL does not answer on localhost:5432: skipped the PostgreSQL run." >&2
fi

echo "== SQLite =="
( unset DATABASE_URL; run_pytest "$PY" -m pytest -m "not browser" "$@" ) || status=$?

echo "== Browser (SQLite) =="
( unset DATABASE_URL; run_pytest "$PY" -m pytest -m browser "$@" ) || status=$?

if [ -n "$pg_pid" ]; then
  wait "$pg_pid" || true
  echo "== PostgreSQL =="
  cat "$pg_log"
  pg_rc=$(cat "$pg_log.rc" 2>/dev/null || echo 1)
  [ "$pg_rc" = 0 ] || status=$pg_rc
  rm -f "$pg_log" "$pg_log.rc"
fi

# The production recipe (deploy/): two gunicorn masters and two huey consumers on PostgreSQL and
# Redis, an item's lifecycle through the API across them (about a minute).
if "$PY" - <<'PYEOF' 2>/dev/null
import psycopg, redis
psycopg.connect("host=localhost port=5432 user=postgres dbname=postgres", connect_timeout=3).close()
redis.Redis(host="localhost", port=6379, socket_connect_timeout=3).ping()
PYEOF
then
  echo "== Production recipe (deploy/check.sh) =="
  ./deploy/check.sh || status=$?
else
  echo "PostgreSQL or Redis does not answer on localhost: skipped deploy/check.sh." >&2
fi
exit $status
