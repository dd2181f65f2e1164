"""Figures are counted once (issue 9, Engineering): ``duban/items/counting.py`` sits below both the
items' and the ledgers' selectors, and the two no longer import each other."""

import ast
from pathlib import Path

import duban

ROOT = Path(duban.__file__).parent


def imported_modules(path: Path) -> dict[str, set[str]]:
    """Every module a file imports, anywhere in it (function-level imports included), with the names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault(alias.name, set())
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            names = found.setdefault(module, set())
            for alias in node.names:
                names.add(alias.name)
                if module == package or not node.module:
                    found.setdefault(f"{module}.{alias.name}", set())
    return found


def test_nothing_in_items_imports_ledgers():
    for path in (ROOT / "items").rglob("*.py"):
        offenders = [m for m in imported_modules(path) if m == "duban.ledgers" or m.startswith("duban.ledgers.")]
        assert offenders == [], f"{path.name} imports {offenders}: items sit below ledgers"


def test_ledgers_selectors_take_from_items_selectors_only_the_door_to_items():
    """The ledgers read items through ``items_visible_to`` (the only door, house rule) and take every
    counting definition from the counting module, never from the items' selectors."""
    imports = imported_modules(ROOT / "ledgers" / "selectors.py")
    assert imports.get("duban.items.selectors") == {"items_visible_to"}
    assert {"DONE_STATUSES", "done_q", "rate", "rollup_items"} <= imports["duban.items.counting"]


def test_counting_imports_only_the_item_models_and_django():
    imports = imported_modules(ROOT / "items" / "counting.py")
    ours = {m for m in imports if m.startswith("duban")}
    assert ours <= {"duban.items.models", "duban.items"}, ours
    assert all(m.startswith(("django", "duban.items.models", "__future__", "datetime", "decimal")) or m == "duban.items"
               for m in imports), imports


def test_the_old_names_are_the_counting_modules_own():
    from duban.items import counting
    from duban.ledgers import selectors as ledgers

    assert ledgers.rate is counting.rate
    assert ledgers.done_q is counting.done_q
    assert ledgers.rollup_items is counting.rollup_items
    assert ledgers.DONE_STATUSES is counting.DONE_STATUSES
