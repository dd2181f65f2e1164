"""Content-Security-Policy without inline scripts (issue 8, point 5): every page carries the
header, and no template holds an inline <script>, an inline event handler or a javascript: URL,
so the policy never has to allow them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from duban.items.models import Status

ROOT = Path(__file__).resolve().parents[2]
# Django's templates and the Jinja2 fragments the views place in them (duban/web/jinja.py).
TEMPLATES = sorted([*(ROOT / "duban").glob("**/templates/**/*.html"), *(ROOT / "duban").glob("**/jinja2/**/*.jinja")])

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S)
JS_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.I)
HX_EVAL = re.compile(r"\b(hx-on|data-hx-on)[:\-=]|\bhx-vars=|js:", re.I)


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (x.strip() for x in header.split(";")) if d}


def test_the_templates_are_found():
    assert len(TEMPLATES) > 20
    assert any(p.name == "base.html" for p in TEMPLATES)
    assert any(p.name == "item_detail.jinja" for p in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "duban")))
def test_no_template_holds_an_inline_script_or_event_handler(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.findall(text), "inline <script>: move it to a static .js file"
    assert not EVENT_HANDLER.findall(text), "inline event handler (onclick=...): bind it in static/web/duban.js"
    assert not JS_URL.findall(text), "javascript: URL"
    assert not HX_EVAL.findall(text), "hx-on / hx-vars / js: evaluate text as script"


def test_the_scan_would_catch_what_it_looks_for():
    assert INLINE_SCRIPT.findall('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.findall('<script src="/static/x.js"></script>')
    assert EVENT_HANDLER.findall('<button class="btn"\n onclick="window.print()">')
    assert not EVENT_HANDLER.findall('<button data-print>')
    assert JS_URL.findall('<a href="javascript:void(0)">')


@pytest.mark.parametrize("role", ["supervisor", "liaison"])
def test_every_page_carries_a_policy_that_refuses_inline_scripts(client, world, role):
    item = world.item_in(Status.IN_PROGRESS)
    client.force_login(world.supervisor if role == "supervisor" else world.liaison["lead"])
    for url in [reverse("worklist"), reverse("item_list"), reverse("item_detail", args=[item.id]),
                reverse("notice_list"), reverse("notify:inbox"), "/api/v1/docs", reverse("login")]:
        r = client.get(url)
        assert r.status_code == 200, url
        d = directives(r)
        assert d["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in d["style-src"] and "'unsafe-eval'" not in d["script-src"], url
        assert d["object-src"] == ["'none'"] and d["frame-ancestors"] == ["'none'"], url


def test_the_api_and_errors_carry_the_policy_too(client, world):
    assert "Content-Security-Policy" in client.get("/api/v1/openapi.json")
    client.force_login(world.supervisor)
    assert "Content-Security-Policy" in client.get("/items/999999/")


def test_the_base_layout_turns_off_the_style_htmx_would_inject(client, world):
    client.force_login(world.supervisor)
    html = client.get(reverse("worklist")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html
    assert html.index("htmx-config") < html.index("htmx-2")
    css = (ROOT / "duban/web/static/web/duban.css").read_text()
    assert ".htmx-request .htmx-indicator" in css
