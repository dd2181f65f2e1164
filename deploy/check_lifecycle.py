"""The client half of deploy/check.sh: runs one item from draft to a sealed archive volume through
the JSON API, alternating between the web processes given on the command line as two machines
behind one load balancer would, and checks what must be shared between them (database, sessions,
uploaded files), /healthz, /metrics and the background workers.

    python deploy/check_lifecycle.py http://127.0.0.1:18401 http://127.0.0.1:18402

It needs the servers' environment (DATABASE_URL, DUBAN_QUEUE, ...): it creates the organisation and
its people with the ORM, enqueues a probe on the same queue, and reads back what the consumers did.
Requests carry what nginx adds (Host, X-Forwarded-Proto, X-Forwarded-For), since the servers run
with DUBAN_PROXY_COUNT=1 and HTTPS on. Exits non-zero with a message at the first failure.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")

import django  # noqa: E402

django.setup()

from duban.ops.tasks import last_probe, queue_probe  # noqa: E402
from duban.orgs.models import Organization, Role, Unit, User  # noqa: E402

HOST = os.environ.get("DUBAN_CHECK_HOST", "duban.check")
CLIENT_ADDRESS = "198.51.100.7"  # the simulated browser's address, as nginx would forward it
PROXY = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT_ADDRESS}
TIMEOUT = 30


class Failure(Exception):
    pass


def expect(condition, message: str) -> None:
    if not condition:
        raise Failure(message)


def step(message: str) -> None:
    print(f"  - {message}", flush=True)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    def cookies(self) -> dict[str, str]:
        jar = {}
        for name, value in self.headers:
            if name.lower() == "set-cookie":
                jar[value.partition("=")[0].strip()] = value
        return jar

    def header(self, name):
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


class Web:
    """One web process, spoken to over plain HTTP as nginx would."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.base, self.host, self.port = base, parts.hostname, parts.port

    def request(self, method, path, *, body=None, headers=None, proxied=True) -> Response:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        h = dict(PROXY) if proxied else {}
        h.update(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            conn.close()

    def __str__(self):
        return self.base


class Api:
    """The JSON API, each call sent to the next web process in turn."""

    def __init__(self, webs):
        self.webs, self.calls = webs, 0
        self.sent = {str(w): [] for w in webs}

    def next_web(self) -> Web:
        web = self.webs[self.calls % len(self.webs)]
        self.calls += 1
        return web

    def call(self, method, path, token=None, body=None, expected=200):
        web = self.next_web()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = web.request(method, "/api/v1" + path, body=body, headers=headers)
        self.sent[str(web)].append((method, path))
        expect(r.status == expected, f"{method} {path} on {web}: expected {expected}, got {r.status}: {r.body[:300]!r}")
        return r.json() if r.body and (r.header("Content-Type") or "").startswith("application/json") else r


def make_people(run: str) -> dict[str, tuple[User, str]]:
    org = Organization.objects.create(name=f"部署检查市人民政府{run}", short_name="检查市", number_prefix="检督")
    office = Unit.objects.create(org=org, name="市政府督查室", kind=Unit.Kind.OFFICE)
    leadership = Unit.objects.create(org=org, name="市政府领导", kind=Unit.Kind.LEADERSHIP)
    bureau = Unit.objects.create(org=org, name="市住房和城乡建设局", kind=Unit.Kind.DEPARTMENT)
    people = {}
    for key, unit, role, name in [
        ("supervisor", office, Role.SUPERVISOR, "督查员"),
        ("leader", leadership, Role.RESPONSIBLE_LEADER, "分管领导"),
        ("liaison", bureau, Role.LIAISON, "联络员"),
        ("head", bureau, Role.UNIT_HEAD, "负责人"),
    ]:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=f"check_{key}_{run}", password=password, org=org, unit=unit,
                                        role=role, full_name=name, email=f"{key}@example.test")
        people[key] = (user, password)
    return people


def lifecycle(api: Api, people) -> int:
    tokens = {}
    for key, (user, password) in people.items():
        tokens[key] = api.call("POST", "/auth/token", body={"username": user.username, "password": password})["token"]
    step("four people took API tokens (two from each web process)")
    sup, leader, liaison, head = (tokens[k] for k in ("supervisor", "leader", "liaison", "head"))

    unit_id = next(u["id"] for u in api.call("GET", "/units", sup) if u["name"] == "市住房和城乡建设局")
    leader_id = next(p["id"] for p in api.call("GET", "/leaders", sup) if p["username"] == people["leader"][0].username)
    item = api.call("POST", "/items", sup, expected=201, body={
        "title": "关于部署检查的督查事项", "content": "检查生产配置：两台网页服务、两个后台进程、PostgreSQL 与 Redis。",
        "kind": "meeting_decision", "urgency": "normal", "lead_unit_id": unit_id, "co_unit_ids": [],
        "responsible_leader_id": leader_id,
    })
    item_id = item["id"]
    expect(item["status"] == "draft", f"a new item is a draft, not {item['status']}")
    api.call("POST", f"/items/{item_id}/submit-proposal", sup, body={"comment": "拟请市住建局牵头办理。"})
    version = api.call("GET", f"/items/{item_id}", leader)["version"]
    approved = api.call("POST", f"/items/{item_id}/approve-proposal", leader, body={"comment": "同意立项。", "version": version})
    expect(approved["item"]["status"] == "assigned" and approved["item"]["number"],
           f"approval numbers and assigns the item: {approved['item']}")
    accepted = api.call("POST", f"/items/{item_id}/accept", liaison, body={"responsible_person": "罗明"})
    expect(accepted["item"]["status"] == "in_progress", f"accepted item is in progress: {accepted['item']['status']}")
    report = api.call("POST", f"/items/{item_id}/reports", liaison, expected=201,
                      body={"kind": "completion", "body": "已全部完成并通过验收。"})["id"]
    api.call("POST", f"/reports/{report}/send-to-head", liaison)
    api.call("POST", f"/reports/{report}/approve", head, body={"comment": "同意报送。"})
    submitted = api.call("POST", f"/reports/{report}/submit", liaison, body={})
    expect(submitted["state"] == "submitted", f"report submitted: {submitted['state']}")
    reviewed = api.call("POST", f"/items/{item_id}/review", sup, body={
        "accept": True, "comment": "同意办结。",
        "criteria": {"task_done": True, "problem_solved": True, "conclusion_sound": True, "lawful": True},
    })
    expect(reviewed["item"]["status"] == "pending_leader", f"reviewed: {reviewed['item']['status']}")
    closed = api.call("POST", f"/items/{item_id}/close", leader, body={"text": "同意办结。"})
    expect(closed["item"]["status"] == "closed", f"closed: {closed['item']['status']}")
    archived = api.call("POST", f"/items/{item_id}/archive", sup, body={})
    expect(archived["item"]["status"] == "archived", f"archived: {archived['item']['status']}")
    events = [e["action_label"] for e in api.call("GET", f"/items/{item_id}", sup)["events"]]
    expect(events[0] == "草拟" and events[-1] == "归档" and len(events) >= 12, f"timeline: {events}")
    step(f"item {approved['item']['number']}: draft → approved → accepted → reported → reviewed → closed → archived "
         f"({api.calls} API calls alternating between the web processes; timeline of {len(events)} events)")

    # Sealing the volume runs on a consumer; the ZIP it stores must be readable from both web processes.
    deadline = time.monotonic() + 45
    while True:
        web = api.next_web()
        r = web.request("GET", f"/api/v1/items/{item_id}/volume", headers={"Authorization": f"Bearer {sup}"})
        if r.status == 200:
            break
        expect(r.status == 404, f"volume download on {web}: {r.status} {r.body[:200]!r}")
        expect(time.monotonic() < deadline, "no consumer sealed the archive volume within 45 s (see the worker logs)")
        time.sleep(0.5)
    expect(r.body[:2] == b"PK", "the sealed volume is a ZIP")
    other = api.next_web().request("GET", f"/api/v1/items/{item_id}/volume", headers={"Authorization": f"Bearer {sup}"})
    expect(other.status == 200 and other.body == r.body, "both web processes serve the same sealed volume")
    where = "the web processes' shared DUBAN_VAR_DIR/media"
    if os.environ.get("DUBAN_S3_BUCKET"):
        from duban.documents.models import Volume

        name = Volume.objects.get(item_id=item_id).file.name
        media = Path(os.environ["DUBAN_VAR_DIR"]) / "media"
        expect(not (media / name).exists(), f"the volume was written to {media}, not to the object store")
        where = f"the object store (s3://{os.environ['DUBAN_S3_BUCKET']}/{name})"
    step(f"a consumer sealed the archive volume ({len(r.body)} bytes) into {where}; both web processes serve it")
    return item_id


def sessions(webs, people) -> None:
    """Sign in through one web process, use the session on the other."""
    a, b = webs[0], webs[1 % len(webs)]
    user, password = people["supervisor"]
    page = a.request("GET", "/login/")
    expect(page.status == 200, f"login page on {a}: {page.status}")
    csrf_cookie = page.cookies().get("csrftoken", "")
    expect("Secure" in csrf_cookie, f"CSRF cookie is Secure behind HTTPS: {csrf_cookie}")
    csrf = csrf_cookie.split(";")[0].split("=", 1)[1]
    form_token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1).decode()
    login = b.request("POST", "/login/", body=urlencode({
        "username": user.username, "password": password, "csrfmiddlewaretoken": form_token,
    }).encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}",
        "Origin": f"https://{HOST}", "Referer": f"https://{HOST}/login/",
    })
    session_cookie = login.cookies().get("sessionid", "")
    expect(login.status == 302 and session_cookie, f"sign-in on {b}: {login.status} {login.body[:300]!r}")
    expect("Secure" in session_cookie and "HttpOnly" in session_cookie, f"session cookie flags: {session_cookie}")
    session = session_cookie.split(";")[0]
    home = a.request("GET", "/", headers={"Cookie": session})
    expect(home.status == 200, f"the session made on {b} is unknown to {a}: {home.status} {home.header('Location')}")
    expect(user.full_name.encode() in home.body, "the home page names the signed-in person")
    step(f"signed in on {b}, the session works on {a} (Secure, HttpOnly cookie)")


def health(webs) -> None:
    for web in webs:
        r = web.request("GET", "/healthz", proxied=False)
        expect(r.status == 200, f"/healthz on {web} over plain HTTP: {r.status} {r.body[:200]!r}")
        expect(json.loads(r.body) == {"database": "ok", "queue": "ok", "status": "ok"}, f"/healthz on {web}: {r.body!r}")
        expect(not r.cookies() and "Cookie" not in (r.header("Vary") or ""), f"/healthz on {web} touched the session")
        redirect = web.request("GET", "/login/", proxied=False, headers={"Host": HOST})
        expect(redirect.status == 301 and (redirect.header("Location") or "").startswith("https://"),
               f"plain HTTP to a page is redirected to HTTPS on {web}: {redirect.status}")
    step("/healthz answers ok on both web processes over plain HTTP (pages redirect to HTTPS)")


def parse_metrics(text: str) -> dict[tuple, float]:
    from prometheus_client.parser import text_string_to_metric_families

    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for f in text_string_to_metric_families(text) for s in f.samples}


def metrics(api: Api) -> None:
    token = os.environ.get("DUBAN_METRICS_TOKEN", "")
    for web in api.webs:
        outside = web.request("GET", "/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        expect(outside.status == 403, f"/metrics from an outside address on {web}: {outside.status}")
        r = web.request("GET", "/metrics", proxied=False)
        expect(r.status == 200, f"/metrics from 127.0.0.1 on {web}: {r.status}")
        if token:
            with_token = web.request("GET", "/metrics", headers={"Authorization": f"Bearer {token}"})
            expect(with_token.status == 200, f"/metrics with the bearer token on {web}: {with_token.status}")
        samples = parse_metrics(r.body.decode())
        key = ("duban_http_request_duration_seconds_count",
               (("method", "POST"), ("route", "/api/v1/auth/token"), ("status", "2xx")))
        sent = sum(1 for m, p in api.sent[str(web)] if (m, p) == ("POST", "/auth/token"))
        # Each web process runs several workers: the count is right only if their samples are summed.
        expect(samples.get(key) == sent, f"{web} counted {samples.get(key)} token requests, {sent} were sent")
        for name in ("duban_ladder_rungs_fired_total", "duban_notify_deliveries_failed", "duban_queue_pending_tasks",
                     "duban_queue_probe_age_seconds"):
            expect(any(k[0] == name for k in samples), f"{name} missing from /metrics on {web}")
    step("/metrics: latency summed over each process's workers, record and queue figures present, "
         "outside addresses refused" + (", bearer token accepted" if token else ""))


def queue(api: Api) -> None:
    sent = time.time()
    queue_probe(sent)
    deadline = time.monotonic() + 20
    while not ((probe := last_probe()) and probe["ran_at"] >= sent):
        expect(time.monotonic() < deadline, "no consumer ran the queue probe within 20 s")
        time.sleep(0.2)
    samples = parse_metrics(api.webs[0].request("GET", "/metrics", proxied=False).body.decode())
    age = samples[("duban_queue_probe_age_seconds", ())]
    expect(age < 20, f"/metrics shows the probe {age:.1f} s old")
    step(f"a consumer ran an enqueued probe after {probe['waited'] * 1000:.0f} ms in the queue; /metrics shows it")


def shared_cache(run: str) -> None:
    """DUBAN_CACHE_URL: Django's cache lives in its own Redis database, apart from the queue's."""
    import redis
    from django.core.cache import cache

    cache.set("deploy-check", run, 60)
    cache_db = redis.Redis.from_url(os.environ["DUBAN_CACHE_URL"])
    queue_db = redis.Redis.from_url(os.environ["DUBAN_REDIS_URL"])
    expect(cache_db.exists("duban:1:deploy-check") and not queue_db.exists("duban:1:deploy-check"),
           "the cache is not in the Redis database DUBAN_CACHE_URL names")
    expect(cache.get("deploy-check") == run, "the cache does not read back what it stored")
    step("Django's cache is Redis (DUBAN_CACHE_URL), in a database apart from the queue's")


def main(argv) -> int:
    webs = [Web(base) for base in argv[1:]]
    if len(webs) < 1:
        print(__doc__)
        return 2
    run = secrets.token_hex(3)
    try:
        health(webs)
        shared_cache(run)
        people = make_people(run)
        api = Api(webs)
        lifecycle(api, people)
        sessions(webs, people)
        queue(api)
        metrics(api)
    except Failure as exc:
        print(f"FAIL: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
