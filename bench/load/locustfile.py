"""Load test of Duban as its users work (issue 13, point 3): bench/load/run.sh drives it.

Every simulated user signs in once with the bench data's password and then works through the HTML
pages as a browser does: it reads a page, takes the action forms off it (CSRF token and the item's
``version`` included) and posts them, then follows the redirect. One class per kind of user:

- ``Supervisor`` (督查员 duchayuan, duchayuan2..4): work list, list, filters, 2-character search
  (htmx, as typed into the box), an item page, drafting a new item and sending it for approval,
  reviewing completion reports (审核通过并呈报领导).
- ``OfficeHead`` (督查室主任 duchashi_zhuren): the dashboard (his home page), list, reviews.
- ``Leader`` (shizhang, fushizhang_*): the dashboard, item pages, approving proposals (批准立项,
  which takes the next 督〔YYYY〕N号), closing items (同意办结) or sending them back (批示继续办理).
- ``Liaison`` (uNNN_lly): work list, own list and search, signing for items (签收, lead or co-unit),
  drafting a report with a small attachment and sending it to the unit head, filing (报送) the
  reports the head approved.
- ``UnitHead`` (uNNN_fzr): work list, approving (审签同意) the reports the liaison sent.
- ``OaClient``: an OA system reading the work list and open items through /api/v1 with a token.

Environment: ``LOAD_THINK_SCALE`` multiplies the think time (0 for the saturation run),
``LOAD_UNITS`` the number of units whose liaisons and heads take part (u001..uNNN, default 75),
``LOAD_LOG`` a CSV file receiving every request (time, name, ms, ok), ``LOAD_PASSWORD``.

A 409 from an action (another session of the same person or unit acted first: the item's version
moved or its state changed) is what the application must answer then; it is counted apart as a
conflict, not as a failure. Every other refusal, 4xx or 5xx is a failure.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import random
import re
import time
from collections import Counter
from urllib.parse import urlencode, urlsplit

from locust import FastHttpUser, between, events, task
from lxml import html as lxml_html

PASSWORD = os.environ.get("LOAD_PASSWORD", "duban-demo-2026")
THINK = float(os.environ.get("LOAD_THINK_SCALE", "1"))
UNITS = int(os.environ.get("LOAD_UNITS", "75"))
LOG_PATH = os.environ.get("LOAD_LOG", "")

SUPERVISORS = ["duchayuan", "duchayuan2", "duchayuan3", "duchayuan4"]
LEADERS = ["shizhang", "fushizhang_changwu", "fushizhang_fu1", "fushizhang_fu2", "fushizhang_fu3",
           "fushizhang_fu4", "fushizhang_fu5", "fushizhang_fu6", "fushizhang_mishuzhang"]
SEARCH_2 = ["督办", "整治", "改造", "安全", "项目", "环境", "建设", "管理"]
SEARCH_4 = ["加装电梯", "老旧小区", "安全生产", "营商环境"]
KINDS = ["instruction", "meeting_decision", "policy_document", "petition", "media_concern", "other"]
# Messages of refusals that are a race with another session, not a defect (see module docstring).
CONFLICT_MARKS = ("已被他人更新", "当前状态为", "正在办理中", "请刷新页面")

CONFLICTS: Counter = Counter()
REFUSALS: Counter = Counter()
_LOG: list = []


def think(lo: float, hi: float):
    return between(lo * THINK, hi * THINK)


@events.request.add_listener
def _log_request(request_type, name, response_time, response_length, exception=None, **_):
    if LOG_PATH:
        _LOG.append((round(time.time(), 3), request_type, name, round(response_time, 1), response_length,
                     0 if exception else 1))


@events.test_stop.add_listener
def _write_log(environment, **_):
    if LOG_PATH:
        with open(LOG_PATH, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["t", "type", "name", "ms", "bytes", "ok"])
            w.writerows(_LOG)
        with open(LOG_PATH + ".conflicts.json", "w", encoding="utf-8") as f:
            json.dump({"conflicts": CONFLICTS, "refusals": REFUSALS}, f, ensure_ascii=False, indent=1)
    if CONFLICTS:
        print("conflicts (409, another session acted first):", dict(CONFLICTS))


def _alerts(doc, kind="danger") -> list[str]:
    if doc is None:
        return []
    # Messages only (role="alert"): the item page's standing banners are alerts too.
    nodes = doc.xpath(f'//div[@role="alert"][contains(concat(" ", normalize-space(@class), " "), " alert-{kind} ")]')
    return [" ".join(e.text_content().split()) for e in nodes]


def _item_links(doc, bucket: str | None = None) -> list[str]:
    """Item page links on a work list bucket (``#bucket-<key>``) or any list."""
    if doc is None:
        return []
    hrefs = doc.xpath(f'//*[@id="bucket-{bucket}"]//a/@href' if bucket else "//a/@href")
    return [h for h in hrefs if re.fullmatch(r"/items/\d+/", h)]


def _form_data(form) -> dict:
    """What a browser would send for this form untouched: hidden inputs, texts, checked boxes,
    the selected options."""
    data = {}
    for name, value in form.form_values():
        data.setdefault(name, value)
    return data


class Browser(FastHttpUser):
    abstract = True
    wait_time = think(3, 10)
    accounts: list[str] = []
    _counter = None

    def on_start(self):
        self.username = self.pick_account()
        self.login()

    @classmethod
    def pick_account(cls) -> str:
        if cls.__dict__.get("_counter") is None:
            cls._counter = itertools.count()
        return cls.accounts[next(cls._counter) % len(cls.accounts)]

    # --- HTTP, like a browser ---------------------------------------------------------------------

    def page(self, url: str, name: str, *, htmx=False):
        """GET a page and parse it; a failure (not 200, signed out) returns None."""
        headers = {"HX-Request": "true", "HX-Current-URL": self.host + "/items/"} if htmx else {}
        with self.client.get(url, name=name, headers=headers, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return None
            text = r.text or ""
            if 'name="password"' in text and "/login/" not in url:
                r.failure("signed out: the login page came back")
                return None
        doc = lxml_html.fromstring(text)
        self.fetch_list_count(doc)
        return doc

    def fetch_list_count(self, doc):
        """A list longer than a page asks for its total once on screen (hx-trigger="load" on the
        pager, duban/web/paging.py): the browser sends that request, so the simulated person does."""
        pager = doc.get_element_by_id("list-count", None)
        url = pager.get("hx-get") if pager is not None else None
        if not url:
            return
        with self.client.get(url, name="列表总数 /items/count/", headers={"HX-Request": "true"},
                             catch_response=True) as r:
            if r.status_code != 200 or "共" not in (r.text or ""):
                r.failure(f"HTTP {r.status_code}")

    def lookup_units(self) -> list[str]:
        """The unit fields load their options as one types (Tom Select asks /lookup/units/): two
        characters of a unit's name, as a person would type them."""
        q = random.choice(["局", "区", "委", "市", "办"])
        with self.client.get(f"/lookup/units/?{urlencode({'q': q})}", name="单位查找 /lookup/units/",
                             catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return []
            return [str(u["value"]) for u in r.json()["results"]]

    def post(self, url: str, data: dict, name: str, *, files=None, follow_name: str = "事项页（操作后）"):
        """POST a form; follow the redirect as its own request. Returns the page after it, or None.

        409 answers are conflicts (counted apart); a redirect to a page whose message is a refusal
        is a failure unless it is a race as well."""
        if files:
            body, headers = data, {}  # multipart: geventhttpclient repeats list values
        else:  # a dict payload would lose repeated fields (co_units): encode it as a browser does
            body = urlencode(data, doseq=True).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
        with self.client.post(url, data=body, files=files, headers=headers, name=name, allow_redirects=False,
                              catch_response=True) as r:
            if r.status_code in (301, 302, 303):
                location = r.headers.get("Location") or r.headers.get("location")
                r.success()
            else:
                page = _safe_parse(r.text)
                field_errors = page.xpath('//div[contains(@class, "text-danger")]/text()') if page is not None else []
                message = "; ".join(_alerts(page) + field_errors) or (r.text or "")[:200]
                if r.status_code == 409:
                    r.success()
                    CONFLICTS[name] += 1
                else:
                    r.failure(f"HTTP {r.status_code}: {message}")
                return None
        doc = self.page(urlsplit(location).path + (f"?{urlsplit(location).query}" if urlsplit(location).query else ""),
                        follow_name)
        errors = _alerts(doc)
        if errors:
            if any(m in e for e in errors for m in CONFLICT_MARKS):
                CONFLICTS[name] += 1
            else:
                REFUSALS[f"{name}: {errors[0][:80]}"] += 1
                events.request.fire(request_type="DOMAIN", name=name, response_time=0, response_length=0,
                                    exception=Exception(errors[0][:200]), context={})
        return doc

    def login(self):
        doc = self.page("/login/", "登录页")
        if doc is None:
            return
        data = _form_data(doc.forms[0]) | {"username": self.username, "password": PASSWORD, "next": ""}
        with self.client.post("/login/", data=data, name="登录 POST", allow_redirects=False,
                              catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"login of {self.username} failed: HTTP {r.status_code}")
                return
            if "two-factor" in (r.headers.get("Location") or ""):
                r.failure(f"{self.username} is asked for a second factor")
                return
        self.page("/", "首页 /（登录后）")

    # --- shared reads -------------------------------------------------------------------------------

    def home(self):
        return self.page("/", "首页 /")

    def worklist(self):
        return self.page("/worklist/", "我的待办 /worklist/")

    def item_list(self):
        page = random.choice(["", "", "", "?page=2", f"?page={random.randint(3, 40)}"])
        return self.page("/items/" + page, "事项列表")

    def filtered_list(self):
        params = random.choice([
            {"status": "open"},
            {"status": "open", "kind": random.choice(KINDS)},
            {"overdue": "on"},
            {"status": "open", "sort": "deadline"},
            {"due_this_week": "on"},
            {"status": "in_progress", "light": "red"},
        ])
        return self.page(f"/items/?{urlencode(params)}", "事项列表（筛选）")

    def search(self):
        if random.random() < 0.75:
            return self.page(f"/items/?{urlencode({'q': random.choice(SEARCH_2)})}", "搜索 2字（htmx）", htmx=True)
        return self.page(f"/items/?{urlencode({'q': random.choice(SEARCH_4)})}", "搜索 4字（htmx）", htmx=True)

    def pause(self, lo: float = 1, hi: float = 3):
        """Reading a page before the next click, or filling a form: think time within a task."""
        time.sleep(random.uniform(lo, hi) * THINK)

    def open_item(self, url: str):
        self.pause()
        return self.page(url, "事项页")

    def open_some_item(self, doc):
        links = _item_links(doc)
        return self.open_item(random.choice(links)) if links else None

    def item_action(self, doc, action: str, overrides: dict, name: str, *, files=None):
        """Post the form of ``action`` on an item page, if the page offers it to this user."""
        form = _find_form(doc, rf"/items/\d+/act/{action}/")
        if form is None:
            return None
        self.pause(2, 5)
        data = _form_data(form) | overrides
        return self.post(form.get("action"), data, name, files=files)

    def report_action(self, doc, action: str, name: str, overrides: dict | None = None):
        """Press a report's button (``formaction`` /reports/<id>/<action>/) on an item page."""
        for form in doc.forms:
            for button in form.xpath(".//button[@formaction]"):
                if re.fullmatch(rf"/reports/\d+/{action}/", button.get("formaction") or ""):
                    self.pause()
                    data = _form_data(form) | (overrides or {})
                    return self.post(button.get("formaction"), data, name)
        return None


def _explanation_first(doc) -> bool:
    """The item page's standing banner: this unit is past the deadline and owes an explanation."""
    return bool(doc.xpath('//div[not(@role)][contains(@class, "alert-danger")][contains(., "请先报送")]'))


def _safe_parse(text):
    try:
        return lxml_html.fromstring(text) if text else None
    except Exception:  # noqa: BLE001 - an empty or binary body has no alerts
        return None


def _find_form(doc, action_re: str):
    if doc is None:
        return None
    for form in doc.forms:
        if re.fullmatch(action_re, form.get("action") or ""):
            return form
    return None


# --- the office -------------------------------------------------------------------------------------

class Supervisor(Browser):
    weight = 30
    accounts = SUPERVISORS

    @task(3)
    def read_worklist(self):
        self.open_some_item(self.home())

    @task(3)
    def list_and_open(self):
        self.open_some_item(self.item_list())

    @task(3)
    def filter_and_open(self):
        self.open_some_item(self.filtered_list())

    @task(2)
    def search_and_open(self):
        self.open_some_item(self.search())

    @task(1)
    def draft_and_submit(self):
        """拟办: a new item, saved as a draft, then 呈领导审批."""
        doc = self.page("/items/new/", "拟办页 /items/new/")
        if doc is None:
            return
        self.pause(10, 30)  # typing the title and the requirements
        form = doc.forms[-1]
        if not form.xpath('.//*[@name="title"]'):
            form = next(f for f in doc.forms if f.xpath('.//*[@name="title"]'))
        units = self.lookup_units()
        leaders = [v for v in form.inputs["responsible_leader"].value_options if v]
        if not units or not leaders:
            return
        lead = random.choice(units)
        others = [u for u in units if u != lead]
        co = random.sample(others, k=min(len(others), random.choice([0, 1, 1, 2])))
        data = _form_data(form) | {
            "title": f"关于{random.choice(['推进', '落实', '整改', '督促'])}{random.choice(SEARCH_4)}工作的督办（压测{random.randint(1, 10**6)}）",
            "kind": random.choice(KINDS), "urgency": random.choice(["normal", "normal", "urgent", "important"]),
            "content": "请按要求抓紧办理，按时报送办理情况。" * 3,
            "lead_unit": lead, "co_units": co, "responsible_leader": random.choice(leaders),
            "report_cycle": "auto",
        }
        data.pop("deadline", None)
        data.pop("deadline_override_reason", None)
        data.pop("source_files", None)
        page = self.post("/items/new/", data, "拟办 POST", follow_name="事项页（草拟后）")
        if page is not None:
            self.item_action(page, "submit_proposal", {"comment": "拟办意见：请审批。"}, "呈领导审批 POST")

    @task(1)
    def review(self):
        """审核 a completion report (four criteria) and send it to the leader."""
        links = _item_links(self.worklist(), "to_review")
        if not links:
            return
        doc = self.open_item(random.choice(links[:20]))
        self.item_action(doc, "accept_report", {"task_done": "on", "problem_solved": "on", "conclusion_sound": "on",
                                                "lawful": "on", "comment": "经审核，办结报告符合要求。"},
                         "审核通过 POST")


class OfficeHead(Browser):
    weight = 3
    accounts = ["duchashi_zhuren"]

    @task(3)
    def dashboard(self):
        self.home()

    @task(2)
    def list_and_open(self):
        self.open_some_item(self.filtered_list())

    @task(2)
    def review(self):
        Supervisor.review(self)


# --- leaders ----------------------------------------------------------------------------------------

class Leader(Browser):
    weight = 15
    accounts = LEADERS

    @task(3)
    def dashboard(self):
        self.home()

    @task(2)
    def read_items(self):
        self.open_some_item(self.worklist())

    @task(1)
    def list_and_open(self):
        self.open_some_item(self.filtered_list())

    @task(2)
    def approve(self):
        """批准立项: the item gets the next number of the year and goes to its units."""
        links = _item_links(self.worklist(), "to_approve")
        if links:
            doc = self.open_item(random.choice(links[:20]))
            self.item_action(doc, "approve_proposal", {"comment": "同意。"}, "批准立项 POST")

    @task(1)
    def decide(self):
        """同意办结, or now and then 批示继续办理."""
        links = _item_links(self.worklist(), "to_decide")
        if not links:
            return
        doc = self.open_item(random.choice(links[:20]))
        if random.random() < 0.85:
            self.item_action(doc, "close", {"text": "同意办结。", "satisfaction": "satisfied"}, "同意办结 POST")
        else:
            self.item_action(doc, "instruct", {"text": "请继续跟踪办理，巩固成果。"}, "批示继续办理 POST")


# --- units ------------------------------------------------------------------------------------------

def _unit_accounts(suffix: str) -> list[str]:
    return [f"u{n:03d}_{suffix}" for n in range(1, UNITS + 1)]


ATTACHMENT = ("办理情况说明.txt", "附：办理情况明细。\n".encode() * 200, "text/plain")  # ~5 KB


class Liaison(Browser):
    weight = 110
    accounts = _unit_accounts("lly")

    @task(3)
    def read_worklist(self):
        self.open_some_item(self.home())

    @task(1)
    def own_open_items(self):
        self.open_some_item(self.page("/items/?status=open", "事项列表（筛选）"))

    @task(1)
    def search_and_open(self):
        self.open_some_item(self.search())

    @task(2)
    def sign(self):
        """签收 an item assigned to the unit (as lead or co-unit)."""
        links = _item_links(self.home(), "to_accept")
        if not links:
            return
        doc = self.open_item(random.choice(links[:10]))
        person = {"responsible_person": "张科长", "responsible_phone": "0571-8888" + str(random.randint(1000, 9999))}
        if self.item_action(doc, "accept", person, "签收 POST") is None:
            self.item_action(doc, "accept_as_co", person, "签收（协办）POST")

    @task(2)
    def draft_report(self):
        """起草报告 (a small file attached) and 呈负责人审签."""
        home = self.home()
        links = _item_links(home, "handling") + _item_links(home, "co_input")
        if not links:
            return
        doc = self.open_item(random.choice(links[:30]))
        form = _find_form(doc, r"/items/\d+/act/draft_report/")
        if form is None:
            return
        kinds = [v for v in form.inputs["kind"].value_options if v]
        kind = "completion" if "completion" in kinds and random.random() < 0.3 else (
            "progress" if "progress" in kinds else kinds[0])
        files = {"files": ATTACHMENT} if random.random() < 0.5 else None
        page = self.item_action(doc, "draft_report", {"kind": kind, "body": "本单位已按要求推进，阶段进展如下：……" * 4},
                                "起草报告 POST", files=files)
        if page is not None:
            self.report_action(page, "send_report_to_head", "呈负责人审签 POST")

    @task(2)
    def file_report(self):
        """报送 a report the unit head approved."""
        links = _item_links(self.home(), "reports_to_submit")
        if links:
            doc = self.open_item(random.choice(links[:10]))
            if doc is None:
                return
            if _explanation_first(doc):
                # The page says so: past the deadline, an explanation goes before anything else
                # (the 报送 button is still shown, and refused). A person drafts the explanation.
                self.item_action(doc, "draft_report", {"kind": "explanation", "body": "超期原因说明：……" * 4},
                                 "起草情况说明 POST")
            else:
                self.report_action(doc, "submit_report", "报送 POST")


class UnitHead(Browser):
    weight = 40
    accounts = _unit_accounts("fzr")

    @task(2)
    def read_worklist(self):
        self.open_some_item(self.home())

    @task(1)
    def list_and_open(self):
        self.open_some_item(self.item_list())

    @task(3)
    def approve_report(self):
        """审签同意 a report the liaison sent."""
        links = _item_links(self.home(), "reports_to_sign")
        if links:
            doc = self.open_item(random.choice(links[:10]))
            if doc is not None:
                self.report_action(doc, "approve_report", "审签同意 POST", {"comment": "同意报送。"})


# --- an OA system on the API ------------------------------------------------------------------------

class OaClient(FastHttpUser):
    """An office-automation system polling the work list and open items of one unit (docs/api.md)."""

    weight = 2
    wait_time = think(5, 15)
    _counter = itertools.count()

    def on_start(self):
        self.username = f"u{(next(self._counter) % UNITS) + 1:03d}_lly"
        r = self.client.post("/api/v1/auth/token", json={"username": self.username, "password": PASSWORD},
                             name="接口 取令牌")
        token = r.json().get("token") if r.status_code == 200 else None
        self.auth = {"Authorization": f"Bearer {token}"}

    @task(2)
    def worklist(self):
        self.client.get("/api/v1/worklist", headers=self.auth, name="接口 GET /api/v1/worklist")

    @task(2)
    def items(self):
        r = self.client.get(f"/api/v1/items?status=open&page={random.randint(1, 3)}", headers=self.auth,
                            name="接口 GET /api/v1/items")
        try:
            ids = [i["id"] for i in r.json().get("results", [])]
        except Exception:  # noqa: BLE001 - a failed request is already counted
            ids = []
        if ids:
            self.client.get(f"/api/v1/items/{random.choice(ids)}", headers=self.auth, name="接口 GET /api/v1/items/{id}")
