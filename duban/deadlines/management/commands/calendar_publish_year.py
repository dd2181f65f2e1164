"""Publish a year's official holiday schedule from a text file (same format as the admin's 官方安排).

    manage.py calendar_publish_year 2027 --file notice.txt --source "国务院办公厅通知 国办发明电〔2026〕X号"
"""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from duban.deadlines.services import parse_schedule_text, publish_year


class Command(BaseCommand):
    help = "录入并发布某年的国务院节假日安排（每行一条，如“2027-01-01 至 2027-01-03 元旦”“2027-02-06 春节调休上班”）。"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--file", required=True, help="安排文本文件（UTF-8），“-”表示标准输入")
        parser.add_argument("--source", help="来源，如通知文号；默认为“官方通知（文件名）”")

    def handle(self, *args, year, file, source=None, **options):
        if file == "-":
            text = sys.stdin.read()
            source = source or "官方通知（标准输入）"
        else:
            path = Path(file)
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"无法读取 {file}：{error}") from None
            source = source or f"官方通知（{path.name}）"
        try:
            holidays, workdays = parse_schedule_text(text)
            publish_year(year, holidays, workdays, source=source)
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"已发布{year}年节假日安排：放假{len(holidays)}天，调休上班{len(workdays)}天。")
        )
