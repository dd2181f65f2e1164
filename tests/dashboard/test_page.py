"""The dashboard page (督查驾驶舱): the home of leaders and the office head, one JSON script tag for
the charts and no inline script, the 待办 page one click away, and no dashboard for units."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from duban.items.models import Status

STATIC = Path(settings.BASE_DIR) / "duban"


def html(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("who", ["principal", "leader", "office_head"])
def test_the_home_page_of_leaders_and_the_office_head_is_the_dashboard(client, world, year_of_work, who):
    client.force_login(getattr(world, who))
    page = html(client.get(reverse("home")))
    assert "<h1" in page and "督查驾驶舱" in page.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert 'id="dashboard-data"' in page
    # and the 待办 page stays one click away, in the top bar and on the page
    assert f'href="{reverse("worklist")}">我的待办</a>' in page
    r = client.get(reverse("worklist"))
    assert r.status_code == 200 and "我的待办" in html(r) and 'id="dashboard-data"' not in html(r)


@pytest.mark.parametrize("who", ["supervisor", "liaison", "head"])
def test_the_home_page_of_the_office_staff_and_of_units_stays_the_worklist(client, world, year_of_work, who):
    user = getattr(world, who) if who == "supervisor" else getattr(world, who)["lead"]
    client.force_login(user)
    page = html(client.get(reverse("home")))
    assert 'id="worklist-total"' in page and 'id="dashboard-data"' not in page


def test_a_supervisor_opens_the_dashboard_from_the_top_bar(client, world, year_of_work):
    client.force_login(world.supervisor)
    assert f'href="{reverse("dashboard")}">督查驾驶舱</a>' in html(client.get(reverse("home")))
    r = client.get(reverse("dashboard"))
    assert r.status_code == 200 and r.context["d"].totals["assigned"] == 5


@pytest.mark.parametrize("who", ["liaison", "head"])
def test_unit_people_have_no_dashboard_and_land_on_their_worklist(client, world, year_of_work, who):
    client.force_login(getattr(world, who)["lead"])
    assert reverse("dashboard") not in html(client.get(reverse("home")))  # no link to it
    r = client.get(reverse("dashboard"), follow=True)
    assert r.redirect_chain == [(reverse("worklist"), 302)]
    assert "督查驾驶舱供领导和督查室使用" in html(r)
    assert "dashboard-data" not in html(r)


def test_the_dashboard_needs_a_login(client, world):
    for name in ("home", "dashboard"):
        r = client.get(reverse(name))
        assert r.status_code == 302 and "/login/" in r.headers["Location"]


def test_the_leaders_own_decisions_wait_at_the_top_of_his_dashboard(client, world):
    item = world.item_in(Status.PENDING_APPROVAL, title="待审批的事项")
    client.force_login(world.leader)
    page = html(client.get(reverse("home")))
    bucket = page.split('id="bucket-to_approve"', 1)[1].split('id="bucket-', 1)[0]
    assert item.title in bucket and f'href="{reverse("item_detail", args=[item.id])}"' in bucket
    assert re.search(r'id="worklist-total">1<', page)


def test_the_charts_read_one_json_script_tag_and_the_page_has_no_inline_script(client, world, year_of_work):
    """The security work adds a Content-Security-Policy without inline scripts: every script is a
    file, and the figures travel as data (json_script)."""
    client.force_login(world.principal)
    page = html(client.get(reverse("home")))
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    data = [body for attrs, body in scripts if 'id="dashboard-data"' in attrs]
    assert len(data) == 1
    for attrs, body in scripts:
        if 'id="dashboard-data"' in attrs:
            assert 'type="application/json"' in attrs
        else:
            assert "src=" in attrs and not body.strip(), attrs
            assert "://" not in attrs  # no CDN: every script from our own static files
    assert not re.search(r"\son[a-z]+=", page.split("<main", 1)[1])  # no inline event handlers on the page
    charts = json.loads(data[0])
    assert set(charts) == {"year", "lights", "overdue_units", "kinds", "leaders", "months"}
    assert charts["kinds"][0]["urls"]["total"].startswith(reverse("item_list") + "?")
    assert "/static/vendor/echarts/echarts.min.js" in page and "/static/dashboard/dashboard.js" in page


def test_echarts_is_vendored_with_its_version_listed():
    assert (STATIC / "web/static/vendor/echarts/echarts.min.js").stat().st_size > 500_000
    assert "| echarts (Apache ECharts) | 6.1.0 |" in (STATIC / "web/static/vendor/VERSIONS.md").read_text()
    js = (STATIC / "dashboard/static/dashboard/dashboard.js").read_text()
    assert 'getElementById("dashboard-data")' in js and "location.href = p.data.url" in js


def test_a_year_can_be_chosen_and_a_bad_one_gets_a_chinese_message(client, world, year_of_work):
    client.force_login(world.office_head)
    r = client.get(reverse("home"), {"year": "2025"})
    assert r.context["d"].year == 2025 and r.context["d"].totals["assigned"] == 1
    for bad in ("abc", "1999", "99999999999999999999"):
        r = client.get(reverse("home"), {"year": bad})
        assert r.status_code == 200 and "年度应为 2000—2099 之间的数字" in html(r)
        assert r.context["d"].year == r.context["d"].today.year


def test_figures_and_links_are_on_the_page_without_javascript(client, world, year_of_work):
    """Each chart has its numbers as a table of links too (screen readers, no-JS browsers)."""
    client.force_login(world.office_head)
    page = html(client.get(reverse("home"), {"year": "2026"}))
    kpi = page.split('id="kpi-assigned"', 1)[1].split("</a>", 1)[0]
    assert '<div class="kpi-value">5</div>' in kpi and "办结率 40.00%" in kpi
    unit = world.units["lead"]
    assert f'href="/items/?unit={unit.id}&amp;unit_role=lead&amp;overdue=on">{unit.name}</a>' in page
    assert "/items/?registered_in=2026-06" in page and "/items/?closed_in=2026-10" in page


def test_the_latest_published_ranking_shows_its_top_ten(client, world, monkeypatch):
    """The ranking comes from the assessment app (another branch) through
    ``latest_published_ranking(org)``; here a stand-in answers for it."""
    import sys
    import types
    from decimal import Decimal

    from django.apps import apps

    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name == "duban.assessment" or real(name))
    fake = types.ModuleType("duban.assessment.selectors")
    fake.latest_published_ranking = lambda org: [(f"第{n}名单位", Decimal(100 - n), n) for n in range(1, 13)]
    monkeypatch.setitem(sys.modules, "duban.assessment", types.ModuleType("duban.assessment"))
    monkeypatch.setitem(sys.modules, "duban.assessment.selectors", fake)
    client.force_login(world.principal)
    page = html(client.get(reverse("home")))
    table = page.split('id="table-ranking"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 11  # the header and the top ten
    assert "第1名单位" in table and "第10名单位" in table and "第11名单位" not in table
    assert "共 12 个单位，以上为前 10 名" in page
