"""Sanctions over the API (issue 9 point 5), scoped as on the pages."""

from duban.accountability.models import Sanction

from ..api.conftest import error_of
from ..factories import aware
from .helpers import issue_circular


def test_units_read_their_own_sanctions_and_the_office_records_a_talk(world, as_user):
    issue_circular(world, aware(2026, 3, 5), criticise=["lead", "co"])
    c = issue_circular(world, aware(2026, 6, 4), criticise=["lead"])
    liaison, sup = as_user(world.liaison["lead"]), as_user(world.supervisor)
    mine = liaison.get("/sanctions?year=2026").json()
    assert {s["unit_id"] for s in mine} == {world.units["lead"].id}
    assert sorted((s["ordinal"], s["measure"]) for s in mine) == [
        (1, "written_self_examination"), (2, "admonitory_talk"), (2, "no_awards")]
    exam = next(s for s in mine if s["measure"] == "written_self_examination")
    assert exam["item_id"] and exam["item_number"].startswith("督〔2026〕") and exam["state"] == "pending"
    assert len(sup.get("/sanctions").json()) == 4
    co = Sanction.objects.get(unit=world.units["co"])
    error_of(liaison.get(f"/sanctions/{co.id}"), 404)
    year = liaison.get(f"/units/{world.units['lead'].id}/year/2026").json()
    assert [r["circular_number"] for r in year["criticisms"]][-1] == c.number
    error_of(liaison.get(f"/units/{world.units['co'].id}/year/2026"), 404)
    talk = next(s for s in mine if s["measure"] == "admonitory_talk")
    error_of(liaison.post(f"/sanctions/{talk['id']}/fulfil", {"note": "已约谈"}), 403)
    error_of(sup.post(f"/sanctions/{exam['id']}/fulfil", {"note": "已交"}), 409)
    r = sup.post(f"/sanctions/{talk['id']}/fulfil", {"note": "6月10日约谈"})
    assert r.status_code == 200 and r.json()["state"] == "fulfilled"


def test_sanctions_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/sanctions", "/api/v1/sanctions/{sanction_id}/fulfil",
            "/api/v1/units/{unit_id}/year/{year}"} <= set(paths)
