"""A failed import's banner on the plan list can be closed by the person who started it (issue 13,
point 7); the job and its errors stay at their own address."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from duban.ledgers.models import LedgerJob

from .conftest import ledger_file, params, row
from duban.ledgers import services


def failed_job(world, now):
    now = timezone.now()  # the plan list shows the last three days' jobs
    job = services.start_import(world.org, world.supervisor, ledger_file([row(world, problem_no="三")]), params(), now=now)
    job.refresh_from_db()
    assert job.state == LedgerJob.State.FAILED
    return job


def test_the_starter_closes_a_failed_imports_banner_and_it_stays_closed(client, world, now):
    job = failed_job(world, now)
    client.force_login(world.supervisor)
    banner = f'id="job-{job.id}"'
    assert banner in client.get(reverse("plan_list")).content.decode()

    r = client.post(reverse("ledger_job_dismiss", args=[job.id]))
    assert r.status_code == 302 and r.headers["Location"] == reverse("plan_list")
    assert banner not in client.get(reverse("plan_list")).content.decode()
    # The job and its per-row errors are still there.
    page = client.get(reverse("ledger_job", args=[job.id])).content.decode()
    assert "问题序号应为正整数" in page


def test_closing_by_htmx_swaps_the_banner_for_nothing(client, world, now):
    job = failed_job(world, now)
    client.force_login(world.supervisor)
    r = client.post(reverse("ledger_job_dismiss", args=[job.id]), headers={"HX-Request": "true"})
    assert r.status_code == 200 and r.content == b""
    assert LedgerJob.objects.get(pk=job.pk).dismissed_at is not None


def test_nobody_else_closes_it_and_a_running_job_cannot_be_closed(client, world, now):
    job = failed_job(world, now)
    client.force_login(world.office_head)
    assert client.post(reverse("ledger_job_dismiss", args=[job.id])).status_code == 404
    assert LedgerJob.objects.get(pk=job.pk).dismissed_at is None

    LedgerJob.objects.filter(pk=job.pk).update(state=LedgerJob.State.RUNNING)
    client.force_login(world.supervisor)
    r = client.post(reverse("ledger_job_dismiss", args=[job.id]), follow=True)
    assert "作业尚未结束，不能关闭提示" in r.content.decode()
    assert LedgerJob.objects.get(pk=job.pk).dismissed_at is None
    assert f'id="job-{job.id}"' in r.content.decode()  # the running job's banner stays, without a close button
    assert reverse("ledger_job_dismiss", args=[job.id]) not in r.content.decode()
