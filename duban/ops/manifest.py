"""The backup manifest: what a backup holds, written when it is taken and checked after a restore
(issue 13, point 6). Rows are counted per table and their primary keys digested; every file that
a FileField names is listed with its SHA-256. A restore is good when every table holds the same
rows and every file reads back with the same digest."""

from __future__ import annotations

import hashlib
import socket
from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .inventory import concrete_models, referenced_files, sha256_of

FORMAT = "duban-backup-manifest/1"
SUMMARY_MODELS = {"items": "items.Item", "events": "items.Event", "attachments": "items.Attachment"}


def pk_digest(model, using: str) -> str:
    """SHA-256 over the table's primary keys in order: a row deleted and another added elsewhere
    leave the count equal but not this."""
    digest = hashlib.sha256()
    pks = sorted(model._base_manager.using(using).order_by().values_list("pk", flat=True).iterator(chunk_size=5000))
    for pk in pks:
        digest.update(f"{pk}\n".encode())
    return digest.hexdigest()


def applied_migrations(using: str) -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connections[using]).applied_migrations())


def table_counts(using: str) -> dict[str, int]:
    return {m._meta.label: m._base_manager.using(using).count() for m in concrete_models()}


def build_manifest(using: str = "default", storage=None, *, hash_files: bool = True) -> dict:
    """Describe the database ``using`` and the files it names. Call it inside the transaction
    whose snapshot is being backed up, so the counts are those of the dump."""
    storage = storage or default_storage
    tables = {}
    for model in concrete_models():
        tables[model._meta.label] = {
            "table": model._meta.db_table,
            "rows": model._base_manager.using(using).count(),
            "pk_sha256": pk_digest(model, using),
        }
    files, missing = {}, []
    for ref in referenced_files(using):
        entry = files.get(ref.name)
        if entry is None:
            if hash_files and not storage.exists(ref.name):
                missing.append({"name": ref.name, "ref": ref.ref})
                continue
            sha, size = sha256_of(storage, ref.name) if hash_files else (None, None)
            entry = files[ref.name] = {"sha256": sha, "size": size, "refs": []}
        entry["refs"].append(ref.ref)
    connection = connections[using]
    return {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "host": socket.gethostname(),
        "database": {"vendor": connection.vendor, "name": str(connection.settings_dict["NAME"])},
        "storage": f"{type(storage).__module__}.{type(storage).__name__}",
        "summary": {
            **{k: tables[label]["rows"] for k, label in SUMMARY_MODELS.items()},
            "files": len(files),
            "files_missing": len(missing),
        },
        "migrations": applied_migrations(using),
        "tables": tables,
        "files": files,
        # Files a row names that were not in the file store when the backup was taken: the restore
        # cannot bring them back, and verification does not expect them.
        "missing_at_backup": missing,
    }


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    checked_tables: int = 0
    checked_rows: int = 0
    checked_files: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_manifest(manifest: dict, using: str = "default", storage=None, *, check_files: bool = True) -> Report:
    """Compare the database ``using`` and the file store with ``manifest``: every table with the
    same rows (count and primary keys), every file present with the same SHA-256."""
    storage = storage or default_storage
    report = Report()
    if manifest.get("format") != FORMAT:
        report.problems.append(f"清单格式不符 / not a Duban backup manifest: {manifest.get('format')!r}")
        return report
    now_models = {m._meta.label: m for m in concrete_models()}
    for label, expected in sorted(manifest["tables"].items()):
        model = now_models.get(label)
        if model is None:
            report.problems.append(f"{label}: 当前代码中没有该数据表 / no such model in this version of Duban")
            continue
        rows = model._base_manager.using(using).count()
        report.checked_tables += 1
        report.checked_rows += rows
        if rows != expected["rows"]:
            report.problems.append(
                f"{label}: 备份时{expected['rows']}行，现有{rows}行 / {expected['rows']} rows at backup, {rows} now")
        elif pk_digest(model, using) != expected["pk_sha256"]:
            report.problems.append(f"{label}: 行数相同但主键不同 / same number of rows, different primary keys")
    for label in sorted(set(now_models) - set(manifest["tables"])):
        rows = now_models[label]._base_manager.using(using).count()
        if rows:
            report.problems.append(f"{label}: 备份中没有该表，现有{rows}行 / not in the backup, {rows} rows now")
    applied = applied_migrations(using)
    if applied != manifest["migrations"]:
        extra, lacking = set(applied) - set(manifest["migrations"]), set(manifest["migrations"]) - set(applied)
        report.problems.append(
            f"数据库迁移记录不符 / applied migrations differ: 多出 extra {sorted(extra)[:5]}，缺少 lacking {sorted(lacking)[:5]}")
    if check_files:
        for name, entry in sorted(manifest["files"].items()):
            report.checked_files += 1
            where = "、".join(entry["refs"][:3]) + ("…" if len(entry["refs"]) > 3 else "")
            if not storage.exists(name):
                report.problems.append(f"文件缺失 / file missing: {name} ({where})")
                continue
            if entry["sha256"] is None:
                continue
            sha, size = sha256_of(storage, name)
            if sha != entry["sha256"]:
                report.problems.append(
                    f"文件内容不符 / file differs: {name} ({where}): SHA-256 {sha} ≠ {entry['sha256']}")
    return report
