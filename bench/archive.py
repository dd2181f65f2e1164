#!/usr/bin/env python
"""Time the archive: one volume's build, and a 200-item year's 年度归档 (issue 10, point 4).

    DATABASE_URL=postgres://postgres@localhost:5432/duban_archive_bench \
        .venv/bin/python bench/archive.py --items 200

Makes a fresh organisation (its name carries the time, so runs never collide) with an office, a
leader and ten units, and plays ``--items`` items of one year through the services to 已办结:
registered, accepted, urged once (a numbered 催办单), a progress report and a completion report
each signed by the unit head, one attachment, reviewed and closed. Then it times
``seal_volume``'s build of single volumes (``--volumes`` of them, after a warm-up) and the whole
year's archiving job (``run_archive_job``: archive, seal every volume, write the register), in
this process, as the worker would run it. Prints the figures; bench/README.md keeps them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from duban.deadlines.services import install_presets  # noqa: E402
from duban.documents import services as documents  # noqa: E402
from duban.documents.archive import build_volume  # noqa: E402
from duban.documents.models import ArchiveJob, Volume  # noqa: E402
from duban.items import services as svc  # noqa: E402
from duban.items.models import ItemKind, Report, Status, Urgency  # noqa: E402
from duban.orgs.models import Organization, Role, Unit, User  # noqa: E402
from duban.urging.ladder import issue_notice  # noqa: E402


def make_org(n_units: int):
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    org = Organization.objects.create(name=f"归档基准市{stamp}", short_name="基准市", number_prefix="督")
    install_presets(org)
    office = Unit.objects.create(org=org, name="督查室", kind=Unit.Kind.OFFICE)
    leaders = Unit.objects.create(org=org, name="市政府领导", kind=Unit.Kind.LEADERSHIP)

    def person(name, role, unit):
        return User.objects.create(username=f"b{stamp}-{name}", full_name=name, role=role, unit=unit, org=org)

    people = {"sup": person("督查员甲", Role.SUPERVISOR, office), "head": person("主任乙", Role.OFFICE_HEAD, office),
              "leader": person("副市长丙", Role.RESPONSIBLE_LEADER, leaders)}
    units = []
    for i in range(n_units):
        u = Unit.objects.create(org=org, name=f"基准局{i + 1}")
        units.append((u, person(f"联络员{i}", Role.LIAISON, u), person(f"负责人{i}", Role.UNIT_HEAD, u)))
    return org, people, units


def play(org, people, units, n_items: int, year: int):
    sup, leader = people["sup"], people["leader"]
    start = timezone.make_aware(dt.datetime(year, 2, 2, 9))
    for i in range(n_items):
        t = start + dt.timedelta(hours=30 * i)
        unit, liaison, head = units[i % len(units)]
        co = units[(i + 1) % len(units)][0]
        item = svc.create_draft(org, sup, svc.DraftFields(
            title=f"关于第{i + 1}项重点工作推进情况的督查事项", content="请按要求推进并按时报送办理情况。" * 3,
            kind=ItemKind.ANNUAL_KEY_TASK, urgency=Urgency.NORMAL, lead_unit=unit, co_units=[co],
            responsible_leader=leader), now=t)
        svc.submit_proposal(item.id, sup, now=t)
        svc.approve_proposal(item.id, leader, comment="同意立项。", now=t)
        svc.accept(item.id, liaison, responsible_person="张三", responsible_phone="0931-8000000", now=t)
        item.refresh_from_db()
        with transaction.atomic():
            issue_notice(item, "urge_notice", now=t + dt.timedelta(days=1))
        svc.add_attachment(item.id, sup, SimpleUploadedFile(f"现场照片{i}.jpg", b"\xff\xd8" + os.urandom(40_000)),
                           now=t + dt.timedelta(days=1))
        for kind, body, days in ((Report.Kind.PROGRESS, "已完成阶段性任务，正在推进后续工作。", 2),
                                 (Report.Kind.COMPLETION, "各项任务已全部完成，经核查达到要求。\n特此报告。", 3)):
            r = svc.draft_report(item.id, liaison, kind=kind, body=body, now=t + dt.timedelta(days=days))
            svc.send_report_to_head(r.id, liaison, now=t + dt.timedelta(days=days))
            svc.approve_report(r.id, head, comment="同意报送。", now=t + dt.timedelta(days=days))
            svc.submit_report(r.id, liaison, now=t + dt.timedelta(days=days))
        svc.review(item.id, sup, accept=True, criteria=dict.fromkeys(svc.REVIEW_CRITERIA, True), comment="同意。",
                   now=t + dt.timedelta(days=4))
        svc.close(item.id, leader, text="同意办结。", now=t + dt.timedelta(days=5))
        if (i + 1) % 50 == 0:
            print(f"  {i + 1} items", flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--items", type=int, default=200)
    p.add_argument("--units", type=int, default=10)
    p.add_argument("--volumes", type=int, default=5, help="single volumes timed (after one warm-up)")
    p.add_argument("--year", type=int, default=timezone.localdate().year)
    args = p.parse_args()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; {os.cpu_count()} CPUs", flush=True)

    t0 = time.perf_counter()
    org, people, units = make_org(args.units)
    play(org, people, units, args.items, args.year)
    print(f"made {args.items} closed items in {time.perf_counter() - t0:.0f} s", flush=True)

    head = people["head"]
    sample = list(org.items.filter(status=Status.CLOSED).order_by("id")[: args.volumes + 1])
    times, sizes, files = [], [], 0
    for i, item in enumerate(sample):
        svc.archive(item.id, head)
        item.refresh_from_db()
        t = time.perf_counter()
        built = build_volume(head, item, retention="permanent")
        if i:  # the first one loads fonts and templates
            times.append(time.perf_counter() - t)
            sizes.append(len(built.content))
            files = len(built.manifest["files"])
    print(f"one volume ({files} files, {statistics.median(sizes) / 1024:.0f} KB): median {statistics.median(times):.2f} s, "
          f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)}", flush=True)

    job = ArchiveJob.objects.create(org=org, year=args.year, created_by=head,
                                    total=documents.year_candidates(org, args.year).count())
    t = time.perf_counter()
    documents.run_archive_job(job.id)
    took = time.perf_counter() - t
    job.refresh_from_db()
    n = Volume.objects.filter(org=org, year=args.year).count()
    print(f"year archive job: {job.get_state_display()} · {job.message} · {job.done}/{job.total} items in "
          f"{took:.0f} s ({took / max(job.done, 1):.2f} s an item); {n} volumes sealed; register "
          f"{job.register.size / 1024:.0f} KB", flush=True)
    t = time.perf_counter()
    call_command("verify_archive", "--org", str(org.id))
    print(f"verify_archive over the organisation: {time.perf_counter() - t:.2f} s", flush=True)


if __name__ == "__main__":
    main()
