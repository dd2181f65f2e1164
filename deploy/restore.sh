#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database and an EMPTY file store, then
# verify it against the backup's manifest and the events' hash chains.
#
#   deploy/restore.sh [--env-file /etc/duban/env] BACKUP_DIR
#
# The environment (DATABASE_URL, DUBAN_VAR_DIR…) names the target. PostgreSQL: create the database
# first, empty:  createdb -T template0 --lc-ctype=C.UTF-8 --lc-collate=C.UTF-8 duban
# SQLite: DUBAN_VAR_DIR/duban.sqlite3 must not exist. Anything else is refused, and nothing is written.
# Exit status 0 only when every table's rows and every file's SHA-256 match. See docs/operations.md.
set -euo pipefail
source "$(dirname "$0")/backup/common.sh"

env_file=""
if [ "${1:-}" = --env-file ]; then env_file="$2"; shift 2; fi
[ $# -eq 1 ] || { sed -n '2,11p' "$0" >&2; exit 2; }
backup="$(cd "$1" && pwd)"
load_env_file "$env_file"
refuse() { echo "拒绝恢复 / refused: $*" >&2; exit 3; }

started=$(date +%s)
[ -f "$backup/manifest.json" ] || refuse "$backup 中没有 manifest.json / not a backup directory"
(cd "$backup" && sha256sum --quiet -c SHA256SUMS) || refuse "备份文件的校验和不符，备份已损坏 / the backup's own checksums fail"

mapfile -t cfg < <(read_settings)
[ "${#cfg[@]}" -eq 4 ] || { echo "could not read Duban's settings (see the error above)" >&2; exit 2; }
vendor="${cfg[0]}" media_root="${cfg[1]}" storage="${cfg[2]}" db_name="${cfg[3]}"

# 1. Check that both targets are empty before writing anything.
if [ "$storage" = local ] && [ -d "$media_root" ] && [ -n "$(ls -A "$media_root")" ]; then
  refuse "文件存储不是空的：$media_root / the file store is not empty"
fi
case "$vendor" in
  postgresql)
    [ -f "$backup/database.dump" ] || refuse "备份中没有 database.dump（这是 SQLite 的备份？）/ not a PostgreSQL backup"
    [ -n "${DATABASE_URL:-}" ] || refuse "DATABASE_URL is not set"
    relations=$(psql "$DATABASE_URL" -XAtq -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n
      ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')")
    [ "$relations" = 0 ] || refuse "数据库不是空库（已有 $relations 个表、视图或序列）：请新建空库 / the database is not empty ($relations relations)"
    ctype=$(psql "$DATABASE_URL" -XAtq -c "SELECT datctype FROM pg_database WHERE datname = current_database()")
    case "$ctype" in C.UTF-8|C.utf8) ;; *) echo "警告 / warning: LC_CTYPE is '$ctype', not 'C.UTF-8': Chinese search will not use pg_trgm" >&2 ;; esac
    ;;
  sqlite)
    [ -f "$backup/database.sqlite3" ] || refuse "备份中没有 database.sqlite3 / not an SQLite backup"
    [ ! -s "$db_name" ] || refuse "SQLite 数据库已存在：$db_name / the database file exists"
    ;;
  *) refuse "unsupported database: $vendor" ;;
esac

# 2. Write: the database in one transaction, then the files.
echo "恢复数据库 / restoring the database ($vendor)…"
if [ "$vendor" = postgresql ]; then
  # Everything but the comment on the pg_trgm extension. Where a superuser created pg_trgm in the
  # new database beforehand (the application's role may not create extensions), only that
  # superuser may comment on it, and the error would roll the whole restore back.
  list="$(mktemp)"; trap 'rm -f "$list"' EXIT
  pg_restore --list "$backup/database.dump" | grep -v ' COMMENT - EXTENSION ' > "$list"
  pg_restore --exit-on-error --single-transaction --no-owner --no-privileges --use-list "$list" \
    -d "$DATABASE_URL" "$backup/database.dump"
else
  install -m 600 "$backup/database.sqlite3" "$db_name"
fi
if [ -f "$backup/media.tar" ]; then
  if [ "$storage" = local ]; then
    echo "恢复文件 / restoring the files → $media_root"
    mkdir -p "$media_root"
    tar -C "$media_root" -xf "$backup/media.tar"
  else
    echo "备份含本地文件，但当前配置为对象存储：请把 media.tar 的内容上传到存储桶后再核验 / upload media.tar's files to the bucket, then run verify_restore" >&2
  fi
fi
restored=$(date +%s)

# 3. Verify: rows per table and files against the manifest, then every item's hash chain.
echo "核验 / verifying…"
status=0
manage verify_restore "$backup/manifest.json" || status=1
manage verify_archive || status=1
if [ $status -ne 0 ]; then
  echo "恢复结果未通过核验，不要投入使用 / the restore did NOT verify: do not put it into service" >&2
  exit 1
fi
echo "完成 / done: restored in $(( restored - started )) s, verified in $(( $(date +%s) - restored )) s"
