"""The plans API (/api/v1/plans…): the same selectors and services as the pages, scoped the same way."""

from __future__ import annotations

from duban.items.models import Item, Status
from duban.ledgers import services
from duban.ledgers.models import LedgerJob
from tests.api.conftest import ApiClient, error_of  # noqa: F401
from tests.api.conftest import as_user  # noqa: F401  (fixture)

from .conftest import ledger_file, params, row
from .test_report import seed_plan  # noqa: F401  (fixture)


def test_a_plan_reads_as_figures_problems_and_measures(world, as_user, now):  # noqa: F811
    job = services.start_import(world.org, world.supervisor, ledger_file(
        [row(world, measure="甲"), row(world, measure="乙"), row(world, problem_no=2, problem="二", measure="丙")]),
        params(), now=now)
    plan = LedgerJob.objects.get(pk=job.pk).plan
    Item.objects.filter(title="甲").update(status=Status.CLOSED, closed_at=now)
    api = as_user(world.supervisor)
    listed = api.get("/plans").json()
    assert [p["id"] for p in listed] == [plan.id]
    assert listed[0]["figures"] == {"total": 3, "done": 1, "under_way": 2, "overdue": 0, "rate": "33.33"}
    detail = api.get(f"/plans/{plan.id}").json()
    assert [(p["number"], p["measures"], p["done"], p["is_done"]) for p in detail["problems"]] == [(1, 2, 1, False), (2, 1, 0, False)]
    page = api.get(f"/plans/{plan.id}/measures", {"state": "under_way"}).json()
    assert page["count"] == 2 and {m["title"] for m in page["results"]} == {"乙", "丙"}
    assert page["results"][0]["lead_unit"] == world.units["lead"].name


def test_the_report_at_a_date(world, as_user, seed_plan):  # noqa: F811
    plan, _ = seed_plan
    body = as_user(world.leader).get(f"/plans/{plan.id}/report", {"as_of": "2021-04-30"}).json()
    assert body["total"]["measures"] == 193 and body["total"]["measures_done"] == 170
    assert body["total"]["rate"] == "88.08" and body["summary"].endswith("整体整改率88.08%。")
    assert [t["problems"] for t in body["by_deadline_class"]] == [8, 5, 41]


def test_units_and_other_organisations_get_404(world, other_world, as_user, now):  # noqa: F811
    job = services.start_import(world.org, world.supervisor, ledger_file([row(world)]), params(), now=now)
    plan_id = LedgerJob.objects.get(pk=job.pk).plan_id
    for user in (world.liaison["lead"], other_world.supervisor):
        api = as_user(user)
        error_of(api.get(f"/plans/{plan_id}"), 404)
        error_of(api.get(f"/plans/{plan_id}/report"), 404)
        assert api.get("/plans").json() == []
    error_of(as_user(other_world.supervisor).get(f"/plans/jobs/{job.id}"), 404)


def test_import_through_the_api_is_a_job_with_row_errors(world, as_user, client):  # noqa: F811
    api = as_user(world.supervisor)
    upload = ledger_file([row(world), row(world, measure="坏", lead_unit="无此单位")])
    r = client.post("/api/v1/plans/import", {"title": "接口导入", "start_date": "2026-11-24", "file": upload},
                    headers={"Authorization": f"Bearer {api.key}"})
    assert r.status_code == 202, r.content
    job = api.get(f"/plans/jobs/{r.json()['id']}").json()
    assert job["state"] == "failed" and job["errors"][0]["row"] == 3 and "无此单位" in job["errors"][0]["message"]
    r = client.post("/api/v1/plans/import", {"title": "", "file": ledger_file([row(world)])},
                    headers={"Authorization": f"Bearer {api.key}"})
    assert r.status_code == 400
    liaison = as_user(world.liaison["lead"])
    r = client.post("/api/v1/plans/import", {"title": "x", "file": ledger_file([row(world)])},
                    headers={"Authorization": f"Bearer {liaison.key}"})
    assert r.status_code == 403
