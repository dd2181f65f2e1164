"""The OpenAPI document describes what the API really does, and the docs tell the same walkthrough."""

from pathlib import Path

import pytest

from duban.api import present
from duban.items import workflow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def schema(anonymous, db):
    r = anonymous.get("/openapi.json")
    assert r.status_code == 200
    return r.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield path, method, op


def test_every_action_of_the_state_machine_has_its_endpoint(schema):
    for t in workflow.TRANSITIONS:
        method, path = present.ACTION_ENDPOINTS[t.action]
        templated = "/api/v1/" + path.replace("{item}", "{item_id}").replace("{report}", "{report_id}").replace(
            "{request}", "{request_id}")
        assert method.lower() in schema["paths"][templated], (t.action, templated)


def test_every_operation_but_the_token_requires_the_bearer_token(schema):
    assert schema["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}
    for path, method, op in operations(schema):
        if path == "/api/v1/auth/token" and method == "post":
            assert "security" not in op
        else:
            assert op.get("security") == [{"BearerToken": []}], (path, method)
            assert "401" in op["responses"], (path, method)


def test_errors_are_declared_with_their_shape(schema):
    for path, method, op in operations(schema):
        if op.get("parameters") or op.get("requestBody"):
            assert "400" in op["responses"], (path, method)
        for code in ("400", "401", "403", "404", "409"):
            if code in op["responses"]:
                ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/Error"), (path, method, code)
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"detail", "field", "errors"}


def test_state_changes_declare_403_and_409(schema):
    for path, method, op in operations(schema):
        if method == "post" and path != "/api/v1/auth/token":
            assert {"403", "409"} <= set(op["responses"]), path


def test_strict_types_show_in_the_schema(schema):
    fields = schema["components"]["schemas"]["ItemFields"]
    assert fields["additionalProperties"] is False
    assert fields["properties"]["title"]["maxLength"] == 200
    assert fields["properties"]["lead_unit_id"]["maximum"] == 2**63 - 1
    assert set(fields["properties"]["kind"]["enum"]) >= {"instruction", "meeting_decision"}


def test_description_walks_through_the_lifecycle_with_demo_users(schema):
    text = schema["info"]["description"]
    for word in ("duchayuan", "fushizhang_liu", "zjj_lly", "zjj_fzr", "duban-demo-2026", "市住房和城乡建设局",
                 "/auth/token", "/submit-proposal", "/approve-proposal", "/accept", "/send-to-head",
                 "/approve", "/submit", "/review", "/close", "/archive"):
        assert word in text, word


def test_docs_api_md_carries_the_same_walkthrough():
    walkthrough = (ROOT / "duban" / "api" / "walkthrough.md").read_text(encoding="utf-8")
    assert walkthrough in (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


def test_docs_page_is_served(anonymous, db):
    r = anonymous.get("/docs")
    assert r.status_code == 200 and b"openapi.json" in r.content


def test_every_operation_id_is_unique(client):
    """Code generators name a client's methods after operationIds: a repeated one loses an endpoint."""
    doc = client.get("/api/v1/openapi.json").json()
    ids = [op["operationId"] for path in doc["paths"].values() for op in path.values() if "operationId" in op]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
