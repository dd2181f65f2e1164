"""Check a restored database and file store against the backup's manifest (docs/operations.md).
Exit status 1, naming each table and file that differs."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from duban.ops.manifest import verify_manifest


class Command(BaseCommand):
    help = "按备份清单核验恢复后的数据库与文件（各表行数与主键、每个文件的 SHA-256）"

    def add_arguments(self, parser):
        parser.add_argument("manifest", help="备份中的 manifest.json")
        parser.add_argument("--no-files", action="store_true", help="不核验文件（例如文件在对象存储中）")

    def handle(self, *args, manifest, no_files=False, **options):
        data = json.loads(Path(manifest).read_text(encoding="utf-8"))
        report = verify_manifest(data, check_files=not no_files)
        for problem in report.problems:
            self.stdout.write(f"  - {problem}")
        if not report.ok:
            raise CommandError(f"恢复结果与备份清单不符：{len(report.problems)}处 / the restore differs from the "
                               f"manifest in {len(report.problems)} place(s)")
        self.stdout.write(self.style.SUCCESS(
            f"恢复结果与备份清单一致：{report.checked_tables}张表 {report.checked_rows}行，{report.checked_files}个文件 / "
            f"restore matches the manifest"))
