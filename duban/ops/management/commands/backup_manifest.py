"""Write the manifest of a backup, and with --pg-dump the dump of the very same snapshot
(docs/operations.md, "Backups and restore")."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from duban.ops.dbtools import add_sqlite_alias, libpq_env, remove_alias
from duban.ops.manifest import build_manifest


class Command(BaseCommand):
    help = "写出备份清单（各表行数、全部文件的 SHA-256）；可同时以同一快照导出数据库"

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="清单文件（默认打印到标准输出）")
        parser.add_argument("--pg-dump", metavar="FILE",
                            help="PostgreSQL：以清单所见的同一快照运行 pg_dump -Fc，写入 FILE")
        parser.add_argument("--sqlite-backup", metavar="FILE",
                            help="SQLite：用在线备份接口复制数据库到 FILE，清单按该副本写出")
        parser.add_argument("--no-file-hashes", action="store_true",
                            help="只列出文件名，不读取文件计算 SHA-256（例如文件在对象存储中另行备份时）")

    def handle(self, *args, output=None, pg_dump=None, sqlite_backup=None, no_file_hashes=False, **options):
        connection = connections["default"]
        hash_files = not no_file_hashes
        if pg_dump and sqlite_backup:
            raise CommandError("--pg-dump 与 --sqlite-backup 只能选一个")
        if pg_dump:
            if connection.vendor != "postgresql":
                raise CommandError("--pg-dump needs PostgreSQL / 当前数据库不是 PostgreSQL")
            manifest = self._with_pg_dump(connection, Path(pg_dump), hash_files)
        elif sqlite_backup:
            if connection.vendor != "sqlite":
                raise CommandError("--sqlite-backup needs SQLite / 当前数据库不是 SQLite")
            manifest = self._with_sqlite_backup(connection, Path(sqlite_backup), hash_files)
        else:
            with transaction.atomic():
                manifest = build_manifest(hash_files=hash_files)
        text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
        s = manifest["summary"]
        print(f"备份清单：事项 {s['items']}，记录 {s['events']}，附件 {s['attachments']}，文件 {s['files']}"
              f"（缺失 {s['files_missing']}），数据表 {len(manifest['tables'])}", file=sys.stderr)
        if s["files_missing"]:
            for m in manifest["missing_at_backup"][:20]:
                print(f"  文件缺失 / missing at backup: {m['name']} ({m['ref']})", file=sys.stderr)

    def _with_pg_dump(self, connection, target: Path, hash_files: bool) -> dict:
        """One REPEATABLE READ transaction exports its snapshot; pg_dump reads that snapshot while
        the manifest is counted in it: both see the same rows however busy the office is."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            with tempfile.TemporaryFile() as errors:
                dump = subprocess.Popen(
                    ["pg_dump", "--format=custom", f"--snapshot={snapshot}", "--file", str(target)],
                    env=libpq_env(connection.settings_dict), stderr=errors)
                try:
                    manifest = build_manifest(hash_files=hash_files)
                finally:
                    code = dump.wait()
                if code:
                    errors.seek(0)
                    raise CommandError(f"pg_dump failed ({code}): {errors.read().decode(errors='replace')}")
        return manifest

    def _with_sqlite_backup(self, connection, target: Path, hash_files: bool) -> dict:
        """sqlite3's online backup copies a consistent database while the application runs; the
        manifest describes the copy."""
        import sqlite3

        if target.exists():
            raise CommandError(f"{target} 已存在 / already exists")
        connection.ensure_connection()
        with sqlite3.connect(target) as dest:
            connection.connection.backup(dest)
        dest.close()
        alias = add_sqlite_alias("backup_copy", target)
        try:
            with transaction.atomic(using=alias):
                return build_manifest(alias, hash_files=hash_files)
        finally:
            remove_alias(alias)
