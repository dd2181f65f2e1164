"""Imports go one way (docs/architecture.md, "Map of the code"): a lower floor never imports a
higher one, at module level or inside a function. The demo is the top floor: it seeds every app,
so no app imports it (house note: orgs/demo.py sat on the ground floor and imported every app)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "duban"

# app -> the apps of this project it must never import
FIELD = {"inspections", "surveys"}  # issue 12: above items and ledgers, with pages of their own
# issue 13: health and metrics read urging's and notify's records, so ops sits above them; only the
# project's settings and urls name it, no app imports it.
OPS = {"ops"}

FORBIDDEN = {
    "orgs": {"deadlines", "items", "urging", "notify", "ledgers", "web", "api", "demo"} | FIELD,
    "deadlines": {"items", "urging", "notify", "ledgers", "web", "api", "demo"} | FIELD,
    "items": {"ledgers", "figures", "circulars", "accountability", "assessment", "dashboard", "web", "api",
              "demo"} | FIELD,
    "urging": {"web", "api", "demo"} | FIELD,
    "ledgers": {"web", "api", "demo"} | FIELD,
    "proposals": {"web", "api", "demo"},
    "portal": {"web", "api", "demo"},
    "documents": {"web", "api", "demo"},
    "inspections": {"api", "demo", "surveys"},
    "surveys": {"api", "demo", "inspections"},
    "figures": {"circulars", "accountability", "assessment", "dashboard", "web", "api", "demo"},
    # Features with pages of their own build their forms on the web layer's helpers, like inspections.
    "circulars": {"accountability", "assessment", "dashboard", "api", "demo"},
    "accountability": {"dashboard", "api", "demo"},
    "assessment": {"dashboard", "api", "demo"},
    "dashboard": {"api", "demo"},
    "web": {"demo"},
    "api": {"demo"},
    "demo": set(),
    "ops": {"web", "api", "demo"},  # reads every app: health, metrics, backups by introspection
}
for _app, _forbidden in FORBIDDEN.items():
    if _app != "ops":
        _forbidden |= OPS


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return {n.split(".")[1] for n in names if n.startswith("duban.") and n.count(".") >= 1}


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_never_imports_a_higher_floor(app):
    offenders = {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        bad = imported_apps(path) & FORBIDDEN[app]
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert not offenders, offenders


def test_the_check_sees_an_upward_import(tmp_path):
    """The rule above would pass vacuously if the parser missed imports inside functions."""
    f = tmp_path / "m.py"
    f.write_text("def f():\n    from duban.demo.seed import DEMO_PASSWORD\n", encoding="utf-8")
    assert imported_apps(f) == {"demo"}
