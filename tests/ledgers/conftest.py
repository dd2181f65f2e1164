"""Ledger fixtures: a filled ledger file as an office would send it, built with openpyxl."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from duban.ledgers import importing
from duban.ledgers.columns import IMPORTABLE
from duban.ledgers.models import DeadlineClass, Plan

HEADERS = [c.header for c in IMPORTABLE]


def ledger_file(rows: list[dict], *, title_rows=0, name="台账.xlsx", merge_problem=False) -> SimpleUploadedFile:
    """A workbook with the template's headers (after ``title_rows`` rows of titles) and one row
    per dict (keys of the column table; missing keys are blank)."""
    wb = Workbook()
    ws = wb.active
    for i in range(title_rows):
        ws.append([f"某某整改台账 第{i + 1}行标题"])
    ws.append(HEADERS)
    for r in rows:
        ws.append([r.get(c.key) for c in IMPORTABLE])
    for line in ws.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # what a person typed as text, not a formula
    if merge_problem and rows:
        first = title_rows + 2
        ws.merge_cells(start_row=first, start_column=1, end_row=first + len(rows) - 1, end_column=1)
        ws.merge_cells(start_row=first, start_column=3, end_row=first + len(rows) - 1, end_column=3)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def row(world, **kw) -> dict:
    base = {
        "category": "履行职能有差距的问题", "problem_no": 1, "problem": "议事规则执行不严",
        "measure": "修订议事规则，明确程序", "target": "印发议事规则", "leader": world.leader.full_name,
        "lead_unit": world.units["lead"].name, "co_units": world.units["co"].name,
        "deadline_class": DeadlineClass.ONE_MONTH.label, "deadline": None,
    }
    base.update(kw)
    return base


def params(**kw) -> importing.PlanParams:
    base = dict(title="巡视反馈意见整改落实方案", kind=Plan.Kind.RECTIFICATION, source_text="巡视组反馈意见",
                item_kind="rectification", start_date=dt.date(2026, 11, 24))
    base.update(kw)
    return importing.PlanParams(**base)


@pytest.fixture
def now():
    from tests.factories import aware

    return aware(2026, 11, 24, 9)


@pytest.fixture(autouse=True)
def _jobs_run_at_commit(monkeypatch):
    """A job is queued when its transaction commits; a test's transaction never commits, so run it
    as soon as it is queued (the huey task itself runs inline in tests)."""
    from duban.ledgers import services

    def enqueue(job):
        from duban.ledgers.tasks import run_ledger_job

        run_ledger_job(job.id)

    monkeypatch.setattr(services, "_enqueue", enqueue)
