"""Backup and restore of an office still on the embedded SQLite (deploy/backup.sh uses the sqlite3
online backup API; docs/operations.md)."""

import hashlib
from pathlib import Path

from .conftest import run, sqlite_pass

pytestmark = sqlite_pass


def test_the_sqlite_embedded_installation_backs_up_and_restores_too(demo, tmp_path):
    var, attachments = demo
    run(["deploy/backup.sh", str(tmp_path / "out")], var=var)
    (made,) = (tmp_path / "out").iterdir()
    assert (made / "database.sqlite3").exists()
    proc = run(["deploy/restore.sh", str(made)], var=tmp_path / "restored", check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "恢复结果与备份清单一致" in proc.stdout
    stored = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
              for p in Path(tmp_path / "restored" / "media" / "items").rglob("*") if p.is_file()}
    assert sorted(stored.values()) == sorted(attachments.values())
