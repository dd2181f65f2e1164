# Shared by deploy/backup.sh and deploy/restore.sh: where the code, Python and the settings are.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PY="${DUBAN_PYTHON:-$ROOT/.venv/bin/python}"
[ -x "$PY" ] || { echo "Python not found: $PY (set DUBAN_PYTHON)" >&2; exit 2; }

load_env_file() {  # an operator's environment file (KEY=value lines, as systemd's EnvironmentFile)
  [ -n "${1:-}" ] || return 0
  [ -r "$1" ] || { echo "cannot read $1" >&2; exit 2; }
  set -a; . "$1"; set +a
}

# Prints three lines: the database vendor, MEDIA_ROOT, and "local" or the storage class.
read_settings() {
  (cd "$ROOT" && DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-duban.settings}" "$PY" -c '
import django
django.setup()
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
print(connection.vendor)
print(settings.MEDIA_ROOT)
print("local" if isinstance(default_storage, FileSystemStorage) else type(default_storage).__name__)
print(settings.DATABASES["default"]["NAME"])
')
}

manage() { (cd "$ROOT" && "$PY" manage.py "$@"); }
