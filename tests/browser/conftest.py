"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One Chromium per session; each test opens fresh contexts (one per person or viewport) through the
``web`` fixture, and saves a screenshot per step into ``screenshots/<test>/<NN-step>.png``. When a
test fails, every page it still has open is saved as ``NN-failure.png`` next to its steps.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

# Sync Playwright runs an event loop in this thread: without this, ORM calls in a test raise
# SynchronousOnlyOperation (scripts/test.sh sets it too).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from .helpers import DESKTOP, PASSWORD, PHONE  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-dev-shm-usage",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"

expect.set_options(timeout=10_000)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium_browser():
    """One Chromium for the whole session. (Not named ``browser``: pytest-playwright would then
    parametrize every test by browser name and start its own Playwright.)"""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Web:
    """Opens pages in fresh contexts and numbers the screenshots of one test."""

    def __init__(self, browser, base_url: str, shot_dir: Path):
        self.browser, self.base_url, self.shot_dir = browser, base_url, shot_dir
        self.contexts = []
        self.step = 0
        self.blocked: list[str] = []  # requests for anything but the live server

    def _block(self, route):
        self.blocked.append(route.request.url)
        route.abort()

    def page(self, viewport=DESKTOP, **kw) -> Page:
        ctx = self.browser.new_context(
            viewport=viewport, base_url=self.base_url, locale="zh-CN", timezone_id="Asia/Shanghai",
            is_mobile=viewport is PHONE, has_touch=viewport is PHONE, device_scale_factor=1, **kw,
        )
        ctx.set_default_timeout(10_000)
        # Offices run on an intranet: the pages must not need the internet, so nothing else loads.
        ctx.route(lambda url: not url.startswith(self.base_url), self._block)
        self.contexts.append(ctx)
        return ctx.new_page()

    def shot(self, page: Page, name: str, full_page=True) -> Path:
        self.step += 1
        path = self.shot_dir / f"{self.step:02d}-{name}.png"
        page.screenshot(path=path, full_page=full_page)
        return path

    def login(self, username: str, password: str = PASSWORD, viewport=DESKTOP, page: Page | None = None) -> Page:
        """A person opens the site, is sent to the login page, signs in and lands on 我的待办."""
        page = page or self.page(viewport)
        page.goto("/")
        expect(page).to_have_url(re.compile(r"/login/"))
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", name=re.compile("我的待办"))).to_be_visible()
        page.wait_for_load_state("load")  # the whole page parsed before a test reads lists off it
        return page

    def close(self, failed: bool):
        for ctx in self.contexts:
            if failed:
                for p in ctx.pages:
                    try:
                        self.shot(p, "failure")
                    except Exception:  # noqa: BLE001 - a dead page must not hide the real failure
                        pass
            ctx.close()


@pytest.fixture
def web(chromium_browser, live_server, django_db_serialized_rollback, request):
    """The live server's database is emptied after each test; the serialized rollback puts back what
    the migrations loaded (the State Council's holiday calendars), so every test counts deadlines
    on the real calendar, not only the first one."""
    shot_dir = SCREENSHOTS / request.node.name
    shutil.rmtree(shot_dir, ignore_errors=True)
    shot_dir.mkdir(parents=True)
    w = Web(chromium_browser, live_server.url, shot_dir)
    yield w
    rep = getattr(request.node, "rep_call", None)
    w.close(failed=bool(rep and rep.failed))


@pytest.fixture
def demo(transactional_db):
    """The demo organisation (江川市): users by username."""
    from duban.deadlines.official import ensure_official_calendar
    from duban.demo.seed import create_demo_org
    from duban.orgs.models import User

    # An earlier live-server test flushed every table, the official calendar with it: without it
    # 2026's deadlines count weekends only and the pages mark them 暂定.
    ensure_official_calendar()
    org, _ = create_demo_org()
    return org, {u.username: u for u in User.objects.filter(org=org).select_related("unit")}
