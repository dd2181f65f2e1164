#!/usr/bin/env bash
# Back up Duban: the database and the uploaded files, with a manifest to verify a restore against.
#
#   deploy/backup.sh [--env-file /etc/duban/env] [--keep-days N] DEST_DIR
#
# Writes DEST_DIR/duban-<UTC time>/ holding
#   database.dump     pg_dump -Fc of the database (PostgreSQL), or database.sqlite3 (SQLite, online backup API)
#   media.tar         the file store (MEDIA_ROOT = DUBAN_VAR_DIR/media); absent with S3 storage, whose
#                     bucket versioning/replication is the backup of the files
#   manifest.json     rows per table, and the SHA-256 of every file a row names (manage.py backup_manifest)
#   SHA256SUMS        of the three above
# The dump and the manifest come from one database snapshot. Secrets (the environment file,
# DUBAN_SECRET_KEY, passwords) are NOT in the backup: keep them elsewhere. See docs/operations.md.
set -euo pipefail
source "$(dirname "$0")/backup/common.sh"

keep_days="" env_file=""
while [ $# -gt 1 ]; do
  case "$1" in
    --env-file) env_file="$2"; shift 2 ;;
    --keep-days) keep_days="$2"; shift 2 ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
dest="$1"
load_env_file "$env_file"

started=$(date +%s)
mapfile -t cfg < <(read_settings)
[ "${#cfg[@]}" -eq 4 ] || { echo "could not read Duban's settings (see the error above)" >&2; exit 2; }
vendor="${cfg[0]}" media_root="${cfg[1]}" storage="${cfg[2]}"
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"
name="duban-$(date -u +%Y%m%dT%H%M%SZ)"
work="$dest/$name.partial"
mkdir "$work"
trap 'rm -rf "$work"' EXIT

echo "备份 / backing up ($vendor, files: $storage) → $dest/$name"
case "$vendor" in
  postgresql) db_file=database.dump; snapshot_opt=(--pg-dump "$work/$db_file") ;;
  sqlite) db_file=database.sqlite3; snapshot_opt=(--sqlite-backup "$work/$db_file") ;;
  *) echo "unsupported database: $vendor" >&2; exit 2 ;;
esac
files=("$db_file" manifest.json)
if [ "$storage" = local ]; then
  manage backup_manifest "${snapshot_opt[@]}" --output "$work/manifest.json"
  # After the snapshot: every file the dump's rows name is already in the store (uploads are never
  # overwritten), and files uploaded meanwhile are extra, which a restore tolerates.
  if [ -d "$media_root" ]; then
    # GNU tar exits 1 when a file changed while it was read: only a file uploaded after the
    # snapshot can be, and the restore does not expect it. Anything worse stops the backup.
    tar -C "$media_root" -cf "$work/media.tar" . || {
      rc=$?; [ $rc -eq 1 ] || exit $rc
      echo "注意 / note: files changed during the copy (uploads after the snapshot); the backup stands" >&2; }
  else
    tar -cf "$work/media.tar" -T /dev/null
  fi
  files+=(media.tar)
else
  # Object storage: the bucket's own versioning and replication back the files up; the manifest
  # still lists every file name, and a restore checks that each is in the bucket.
  manage backup_manifest "${snapshot_opt[@]}" --no-file-hashes --output "$work/manifest.json"
fi
(cd "$work" && sha256sum "${files[@]}" > SHA256SUMS)
mv "$work" "$dest/$name"
trap - EXIT
echo "完成 / done in $(( $(date +%s) - started )) s: $(du -sh "$dest/$name" | cut -f1) in $dest/$name"

if [ -n "$keep_days" ]; then
  # Retention: backups older than N days go; the newest one always stays.
  newest="$dest/$name"
  find "$dest" -maxdepth 1 -type d -name 'duban-*' ! -name '*.partial' -mtime +"$keep_days" -print0 |
    while IFS= read -r -d '' old; do
      [ "$old" = "$newest" ] || { echo "删除过期备份 / removing $old"; rm -rf "$old"; }
    done
fi
