"""The API answers every request the fuzzer makes of it without a 5xx and as its OpenAPI document
says (issue 8, point 2), as the office and as a liaison, with bearer tokens taken from
POST /api/v1/auth/token. schemathesis generates valid and invalid input for every operation in
/api/v1/openapi.json; the number of cases per operation is bounded so the module stays well under
two minutes on a two-core machine (DUBAN_FUZZ_EXAMPLES raises it for a longer hunt)."""

from __future__ import annotations

import itertools
import os
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from duban.api.models import ApiToken
from duban.items import services as svc
from duban.items.models import Status

from ..api.conftest import API, ApiClient, login

EXAMPLES = int(os.environ.get("DUBAN_FUZZ_EXAMPLES", 6))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]


@pytest.fixture
def fuzz_world(world):
    """Items in several states, a report, an attachment, an extension request and a plan: valid
    cases are sent to these (see `known_ids`), so the fuzzer reaches the services, not only 404."""
    import datetime as dt

    from duban.ledgers import services as ledgers
    from duban.ledgers.models import Plan

    items = [world.item_in(s) for s in (Status.DRAFT, Status.PENDING_APPROVAL, Status.ASSIGNED,
                                        Status.IN_PROGRESS, Status.UNDER_REVIEW, Status.PENDING_LEADER)]
    report = world.file_report(items[3])
    att = svc.add_attachment(items[3].id, world.supervisor, SimpleUploadedFile("方案.pdf", b"%PDF-1.4 test"))
    ext = svc.request_extension(items[3].id, world.liaison["lead"], until=dt.date(2099, 1, 1), reason="工程量大",
                                progress="已完成一半")
    plan = ledgers.create_plan(world.org, world.supervisor, ledgers.clean_params(
        world.org, title="整改方案", kind=Plan.Kind.RECTIFICATION, start_date=dt.date(2026, 11, 24)))
    world.known_ids = {
        "item_id": [i.id for i in items], "report_id": [report.id], "token": [att.token],
        "request_id": [ext.id], "plan_id": [plan.id],
    }
    return world


@contextmanager
def keeping_the_test_transaction():
    """schemathesis calls Django's WSGI handler, which closes the database connection at the end of
    each request; on PostgreSQL that ends the test's transaction. Django's test client disconnects
    the same handler for the same reason (django.test.client.ClientHandler)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def load_schema():
    """The OpenAPI document, fetched through the WSGI application schemathesis will call."""
    with keeping_the_test_transaction():
        return schemathesis.openapi.from_wsgi(f"{API}/openapi.json", get_wsgi_application())


def fuzz(schema, user, key, known_ids=None, seen=None):
    """Run every operation with EXAMPLES valid and EXAMPLES invalid cases; return the failures.
    Valid cases take their path ids in turn from `known_ids`, so they reach existing objects."""
    with keeping_the_test_transaction():
        return _fuzz(schema, user, key, known_ids or {}, seen if seen is not None else [])


def _fuzz(schema, user, key, known_ids, seen):
    failures = []
    turn = itertools.count()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate],
                      suppress_health_check=list(HealthCheck))
            def one(case):
                headers = {"Authorization": f"Bearer {key}"}
                if operation.method.upper() == "DELETE" and operation.path.endswith("/auth/token"):
                    # Revoking a token: a throwaway one, so the other operations keep theirs.
                    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
                if mode == GenerationMode.POSITIVE:
                    n = next(turn)
                    for name, ids in known_ids.items():
                        if name in case.path_parameters:
                            case.path_parameters[name] = ids[n % len(ids)]
                response = case.call(headers=headers)
                seen.append((operation.method.upper(), operation.path, response.status_code))
                case.validate_response(response, checks=CHECKS)

            try:
                one()
            except (Exception, BaseExceptionGroup) as err:  # noqa: BLE001 - every failure is reported below
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {str(err)[:1500]}")
    return failures


@pytest.mark.parametrize("role", ["office", "liaison"])
def test_the_api_answers_fuzzed_requests_without_5xx_and_as_documented(client, fuzz_world, role):
    user = fuzz_world.supervisor if role == "office" else fuzz_world.liaison["lead"]
    key = login(ApiClient(client), user).key
    schema = load_schema()
    seen = []
    failures = fuzz(schema, user, key, fuzz_world.known_ids, seen)
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)
    # Every operation was tried, and valid cases reached existing items (not only 404s).
    assert len({(m, p) for m, p, _ in seen}) == len(list(schema.get_all_operations()))
    assert any(p.endswith("/items/{item_id}") and m == "GET" and status == 200 for m, p, status in seen)
    # The token still works: the run did not revoke it.
    assert ApiClient(client, key).get("/me").status_code == 200


def test_a_token_from_the_endpoint_is_what_the_fuzzer_uses(client, world):
    key = login(ApiClient(client), world.liaison["lead"]).key
    assert ApiToken.objects.filter(user=world.liaison["lead"]).count() == 1
    assert ApiClient(client, key).get("/me").json()["username"] == world.liaison["lead"].username


# --- the fuzzer sees what it must fail on --------------------------------------------------------

class PlantedFaults:
    """Test-only middleware: /api/v1/me answers 500, /api/v1/units a shape the document does not give."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponse, JsonResponse

        if request.path == f"{API}/me":
            return HttpResponse("boom", status=500)
        if request.path == f"{API}/units":
            return JsonResponse({"not": "a list"}, status=200)
        return self.get_response(request)


def test_the_fuzzer_fails_on_a_5xx_and_on_a_response_the_document_does_not_describe(client, world, settings):
    key = login(ApiClient(client), world.supervisor).key
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.PlantedFaults"]
    schema = load_schema().include(path_regex=r"/(me|units)$")
    failures = fuzz(schema, world.supervisor, key)
    assert any(f.startswith("GET /api/v1/me") and "500" in f for f in failures), failures
    assert any(f.startswith("GET /api/v1/units") for f in failures), failures


# --- the document itself ---------------------------------------------------------------------------

@pytest.fixture
def document(client):
    return client.get(f"{API}/openapi.json").json()


def test_item_reports_and_the_plan_report_are_two_schemas(document):
    schemas = document["components"]["schemas"]
    item_reports = schemas["ItemDetail"]["properties"]["reports"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert {"body", "kind", "state"} <= set(schemas[item_reports]["properties"])
    plan_report = document["paths"][f"{API}/plans/{{plan_id}}/report"]["get"]["responses"]["200"]
    name = plan_report["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert name != item_reports and {"as_of", "by_unit"} <= set(schemas[name]["properties"])


def test_no_two_api_schemas_share_a_name():
    """django-ninja names a component after its class; two classes of one name overwrite each other."""
    import importlib
    import pkgutil

    import duban.api
    import duban.api.routers
    from ninja import Schema

    for pkg in (duban.api, duban.api.routers):
        for mod in pkgutil.iter_modules(pkg.__path__):
            importlib.import_module(f"{pkg.__name__}.{mod.name}")
    seen: dict[str, str] = {}
    clashes = []
    stack = [Schema]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("duban.") or cls is Schema:
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            clashes.append((seen[cls.__name__], where))
        seen.setdefault(cls.__name__, where)
    assert not clashes


@pytest.mark.parametrize(("name", "content"), [("方案.pdf", b"%PDF-1.4"), ("台账.xlsx", b"PK\x03\x04"),
                                               ("说明.txt", "说明".encode()), ("公文.wps", b"wps")])
def test_a_download_is_sent_with_a_content_type_the_document_declares(client, world, document, name, content):
    item = world.item_in(Status.IN_PROGRESS)
    att = svc.add_attachment(item.id, world.supervisor, SimpleUploadedFile(name, content))
    key = login(ApiClient(client), world.supervisor).key
    r = ApiClient(client, key).get(f"/attachments/{att.token}")
    assert r.status_code == 200
    declared = document["paths"][f"{API}/attachments/{{token}}"]["get"]["responses"]["200"]["content"]
    assert r["Content-Type"].split(";")[0] in declared
