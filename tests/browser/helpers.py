"""What a person looks at on the pages, as Playwright locators (shared by the browser tests)."""

from __future__ import annotations

import re
from urllib.parse import unquote

from playwright.sync_api import Page, expect

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "duban-demo-2026"  # every demo person's (duban.demo.seed.DEMO_PASSWORD)


def nav(page: Page, label: str):
    """Follow a link of the top bar, unfolding the menu first on a phone."""
    # Before the stylesheet has loaded the toggler shows at every width; ask once the page is styled.
    page.wait_for_load_state("load")
    toggler = page.get_by_role("button", name="菜单")
    if toggler.is_visible():
        toggler.click()
    page.locator("#nav").get_by_role("link", name=label, exact=True).click()


def open_action(page: Page, label: str):
    """Unfold one of the item page's actions (a <details> under 可办理的操作) and return it."""
    box = page.locator("#actions details").filter(has=page.locator("summary", has_text=re.compile(f"^{label}$")))
    box.locator("summary").click()
    return box


def expect_status(page: Page, text: str):
    expect(page.locator("#item-status")).to_have_text(text)


def expect_bucket(page: Page, key: str, count: int, title: str | None = None):
    """A work-list card shows `count` and, when given, links to the item titled `title`."""
    bucket = page.locator(f"#bucket-{key}")
    expect(bucket.locator(".card-header .badge")).to_have_text(str(count))
    if title:
        expect(bucket.get_by_role("link", name=title)).to_be_visible()


def bucket_counts(page: Page) -> dict[str, int]:
    return {
        b.get_attribute("id").removeprefix("bucket-"): int(b.locator(".card-header .badge").inner_text())
        for b in page.locator("[id^=bucket-]").all()
    }


def timeline(page: Page) -> list[str]:
    """The actions of the item page's 办理过程, oldest first (once the page after an action has them:
    reading at once raced the redirect on a loaded machine)."""
    page.locator("#timeline li strong").first.wait_for()
    return page.locator("#timeline li strong").all_inner_texts()


def card(page: Page, header: str):
    return page.locator(".card").filter(has=page.locator(".card-header", has_text=re.compile(f"^{header}$")))


def report(page: Page, state: str):
    """The reports on the item page whose state badge reads `state`."""
    return page.locator("#reports li").filter(has=page.locator(".report-state", has_text=re.compile(f"^{state}$")))


def rows(page: Page):
    """The rows of the 督查事项 table."""
    return page.locator("#item-table tbody tr")



def choose(scope, label: str, option: str):
    """Pick a unit in a search-as-you-type select (Tom Select): type its name, click the match.
    The page holds only the chosen units; the rest come from /lookup/units/ (issue 13, point 1).
    Tom Select points the field's <label> at its own input (<id>-ts-control) and puts its box
    right after the original <select>."""
    page = scope if isinstance(scope, Page) else scope.page
    label_el = scope.locator("label").filter(has_text=re.compile(f"^{re.escape(label)}( \\*)?$")).first
    base = label_el.get_attribute("for").removesuffix("-ts-control")
    wrapper = scope.locator(f"#{base} + .ts-wrapper")
    idle = re.compile(r"^(?!.*\bloading\b)")  # no search in flight
    chosen = wrapper.locator(".ts-control .item").filter(has_text=re.compile(f"^{re.escape(option)}"))
    if chosen.count():
        return
    wrapper.locator(".ts-control").click()
    expect(wrapper.locator(".ts-dropdown")).to_be_visible()
    expect(wrapper).to_have_class(idle)
    # Wait for the search of the whole name: a late answer would reopen the list after the pick.
    with page.expect_response(lambda r: "/lookup/" in r.url and unquote(r.url).endswith("q=" + option)):
        page.keyboard.type(option)
    match = wrapper.locator(".ts-dropdown .option").filter(has_text=re.compile(f"^{re.escape(option)}$")).first
    expect(match).to_be_visible()
    expect(wrapper).to_have_class(idle)
    match.click()
    expect(wrapper).to_have_class(idle)
    page.keyboard.press("Escape")  # a multiple choice keeps its list open
    expect(wrapper.locator(".ts-dropdown")).to_be_hidden()
    expect(chosen).to_have_count(1)
