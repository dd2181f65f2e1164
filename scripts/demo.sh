#!/usr/bin/env bash
# Install everything into .venv, create the database, load the demo organisation and serve it on
# http://127.0.0.1:8000. Safe to run again: migrations and the demo data are idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv requirements.txt
# The demo asks for DEBUG (tracebacks, static files from runserver) and runs on its public demo key;
# production leaves DUBAN_DEBUG unset, i.e. off, and refuses that key.
export DUBAN_DEBUG="${DUBAN_DEBUG:-1}"
mkdir -p var
"$PY" manage.py migrate --noinput
"$PY" manage.py seed_demo
"$PY" manage.py sweep_ladder
echo
echo "演示系统已启动：http://127.0.0.1:8000  （按 Ctrl+C 停止）"
# The background worker (reminders, escalation, notifications) runs beside the web server.
"$PY" manage.py run_huey --workers 2 --worker-type thread &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
"$PY" manage.py runserver 127.0.0.1:8000
