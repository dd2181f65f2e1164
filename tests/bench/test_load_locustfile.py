"""The load test (bench/load/locustfile.py) still speaks the application's language: its paths
resolve, its actions and fields are the forms' own, its work-list buckets exist.

The locustfile is read as source (ast), never imported: importing locust monkey-patches the
process with gevent, which the rest of the test session must not inherit.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve, reverse

from duban.items import workflow
from duban.items.models import ItemKind, Satisfaction, Urgency
from duban.items.selectors import WORKLIST_LABELS
from duban.web import forms
from duban.web.views.items import FORM_FOR_ACTION

LOCUSTFILE = Path(__file__).resolve().parents[2] / "bench" / "load" / "locustfile.py"
TREE = ast.parse(LOCUSTFILE.read_text(encoding="utf-8"))


def _literal_paths() -> set[str]:
    """Every string or f-string in the file that looks like a path of the site, with each
    placeholder replaced by a sample id."""
    paths = set()
    for node in ast.walk(TREE):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "1" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if "\\" in text:
            continue  # a regular expression: the actions it matches are checked below
        if re.fullmatch(r"/[\w/.\-]*/?(\?.*)?", text) and not text.startswith("//"):
            paths.add(text.split("?")[0])
    return paths


def _calls(method: str):
    for node in ast.walk(TREE):
        if isinstance(node, ast.Call) and method in (getattr(node.func, "attr", None), getattr(node.func, "id", None)):
            yield node


def test_the_locustfile_uses_paths_of_the_site():
    paths = _literal_paths()
    assert {"/login/", "/", "/worklist/", "/items/", "/items/new/", "/api/v1/worklist"} <= paths
    unresolved = []
    for path in sorted(paths):
        try:
            resolve(path)
        except Resolver404:
            unresolved.append(path)
    assert not unresolved


def test_item_actions_post_the_fields_of_their_forms():
    seen = set()
    for call in _calls("item_action"):
        action = call.args[1].value
        seen.add(action)
        assert workflow.BY_ACTION[action]
        resolve(reverse("item_action", args=[1, action]))
        form = FORM_FOR_ACTION[action]
        if isinstance(call.args[2], ast.Dict):
            for key in call.args[2].keys:
                assert key.value in form.base_fields, (action, key.value)
    assert {"submit_proposal", "approve_proposal", "accept", "draft_report", "accept_report", "close"} <= seen


def test_report_actions_are_the_workflows_own():
    actions = {call.args[1].value for call in _calls("report_action")}
    assert actions == {"send_report_to_head", "approve_report", "submit_report"}
    assert actions <= set(workflow.REPORT_ACTION_FROM)
    for action in actions:
        resolve(reverse("report_action", args=[1, action]))


def test_work_list_buckets_exist():
    buckets = {call.args[1].value for call in _calls("_item_links") if len(call.args) > 1}
    assert buckets and buckets <= set(WORKLIST_LABELS)


@pytest.mark.parametrize("name, choices", [
    ("KINDS", ItemKind.values),
])
def test_choices_sent_are_the_models_choices(name, choices):
    assign = next(n for n in TREE.body if isinstance(n, ast.Assign) and n.targets[0].id == name)
    assert set(ast.literal_eval(assign.value)) <= set(choices)


def test_drafting_and_closing_send_valid_values():
    source = LOCUSTFILE.read_text(encoding="utf-8")
    for value in re.findall(r'"urgency": random\.choice\((\[.*?\])\)', source):
        assert set(ast.literal_eval(value)) <= set(Urgency.values)
    for value in re.findall(r'"satisfaction": "(\w+)"', source):
        assert value in Satisfaction.values
    draft_fields = set(forms.ItemDraftForm.base_fields)
    for key in ("title", "kind", "urgency", "content", "lead_unit", "co_units", "responsible_leader", "report_cycle"):
        assert f'"{key}":' in source and key in draft_fields
