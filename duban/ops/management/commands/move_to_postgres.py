"""Move an installation from its SQLite file to the PostgreSQL database of DATABASE_URL, in one
command (docs/operations.md, "Moving from SQLite to PostgreSQL")."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from duban.ops import move as moving
from duban.ops.dbtools import add_sqlite_alias, remove_alias


class Command(BaseCommand):
    help = "把 SQLite 数据库整体迁入 DATABASE_URL 指向的空 PostgreSQL 数据库（一个事务，保留主键，迁入后核验）"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", default=str(settings.VAR_DIR / "duban.sqlite3"),
                            help="SQLite 数据库文件（默认 DUBAN_VAR_DIR/duban.sqlite3）")

    def handle(self, *args, source, **options):
        if connections["default"].vendor != "postgresql":
            raise CommandError("请把 DATABASE_URL 设为目标 PostgreSQL 数据库 / set DATABASE_URL to the target PostgreSQL database")
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"找不到 SQLite 数据库 / no such file: {path}")
        ctype = moving.target_ctype()
        if ctype.lower().replace("-", "") not in ("c.utf8",):
            self.stderr.write(self.style.WARNING(
                f"警告：目标数据库的 LC_CTYPE 是 {ctype!r}，不是 'C.UTF-8'：中文检索的 pg_trgm 索引将不起作用（仍可检索，但逐行扫描）。"
                f"建议用 `createdb -T template0 --lc-ctype=C.UTF-8 --lc-collate=C.UTF-8 <库名>` 新建。/ Warning: the "
                f"target's LC_CTYPE is {ctype!r}, not 'C.UTF-8': pg_trgm finds no Chinese trigrams there."))
        alias = add_sqlite_alias("move_source", path)
        try:
            moving.check_source(alias)
            self.stdout.write("目标数据库：执行 migrate / migrating the target…")
            call_command("migrate", interactive=False, verbosity=0)
            moving.check_target_empty()
            self.stdout.write(f"{'数据表':<40}{'行数':>8}")
            result = moving.move(alias, progress=lambda t: self.stdout.write(f"{t.label:<42}{t.rows:>8}"))
        except moving.MoveRefused as refused:
            raise CommandError(str(refused))
        finally:
            remove_alias(alias)
        self.stdout.write(f"共 {len(result.tables)} 张表、{result.rows} 行，各表行数与主键一致；"
                          f"{result.items_checked} 个事项的办理记录哈希链核验通过；用时 {result.seconds:.1f} 秒")
        if result.missing_files:
            self.stderr.write(self.style.WARNING(
                f"有 {len(result.missing_files)} 个文件不在文件存储中（DUBAN_VAR_DIR/media 不随数据库迁移，请确认指向原目录）：" +
                "，".join(result.missing_files[:10])))
        self.stdout.write(self.style.SUCCESS("迁移完成 / moved to PostgreSQL"))
