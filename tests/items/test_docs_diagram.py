from pathlib import Path

from duban.items.management.commands.workflow_diagram import render


def test_architecture_doc_shows_the_declared_state_machine():
    """docs/architecture.md is regenerated with `manage.py workflow_diagram --write` after a change."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert render() in doc
