"""Downloading and printing a form from the item page (issue 10, points 1 and 6): the Word and PDF
files come down, the PDF reads back with the record's text, and the page the browser prints on A4
has the PDF's pages and text. Screenshots and rendered pages (pdftoppm) land in screenshots/."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from duban.items.models import Item

pytestmark = pytest.mark.browser

HEATING = "关于做好今冬明春供暖保障工作的督查事项"
ANSWER = "全市供暖已于11月15日按时启动"


def text_of(pdf: bytes) -> tuple[int, str]:
    """Pages and text; NFKC because Chromium's PDFs map some glyphs to Kangxi radicals (⽉ for 月)."""
    reader = PdfReader(io.BytesIO(pdf))
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages))
    return len(reader.pages), re.sub(r"\s+", "", text)


def to_png(pdf_path, png_stem):
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf_path), str(png_stem)], check=True)


@pytest.fixture
def heating(demo):
    from duban.demo.seed import create_demo_items

    org, people = demo
    create_demo_items(org)
    return Item.objects.get(org=org, title=HEATING), people


def test_unit_downloads_word_and_pdf_and_prints_the_completion_report(web, heating):
    item, people = heating
    page = web.login("zjj_lly")
    page.goto(f"/items/{item.id}/")
    box = page.locator("#documents")
    expect(box).to_be_visible()
    web.shot(page, "item-page-documents")
    row = box.locator('[data-form="completion_report"]')

    with page.expect_download() as dl:
        row.locator('[data-fmt="pdf"]').click()
    pdf_path = web.shot_dir / "completion_report.pdf"
    dl.value.save_as(pdf_path)
    pages, text = text_of(pdf_path.read_bytes())
    assert ANSWER in text and item.number.replace(" ", "") in text and "签发人" in text
    to_png(pdf_path, web.shot_dir / "completion_report-pdf")

    with page.expect_download() as dl:
        row.locator('[data-fmt="docx"]').click()
    assert dl.value.suggested_filename.endswith(".docx")

    href = row.locator('[data-fmt="print"]').get_attribute("href")
    page.goto(href)
    expect(page.locator("h1")).to_contain_text("办结报告")
    web.shot(page, "print-page")
    page.evaluate("window.print = () => { window.__printed = true }")
    page.locator("#print-button").click()
    assert page.evaluate("window.__printed") is True

    # What the browser prints: A4 from the page's own CSS, toolbar hidden; same pages and text as the PDF.
    page.emulate_media(media="print")
    printed = page.pdf(prefer_css_page_size=True, print_background=True)
    printed_path = web.shot_dir / "printed-by-browser.pdf"
    printed_path.write_bytes(printed)
    to_png(printed_path, web.shot_dir / "printed-by-browser")
    printed_pages, printed_text = text_of(printed)
    assert printed_pages == pages
    assert ANSWER in printed_text and "下载PDF" not in printed_text
    first = PdfReader(io.BytesIO(printed)).pages[0].mediabox
    assert (round(float(first.width) / 72 * 25.4), round(float(first.height) / 72 * 25.4)) == (210, 297)


def test_another_unit_cannot_open_the_form(web, heating):
    item, _ = heating
    page = web.login("jtj_lly")
    response = page.goto(f"/items/{item.id}/forms/handling_card/")
    assert response.status == 404
    web.shot(page, "other-unit-404")


def test_office_head_checks_the_chains_from_the_archive_page(web, heating):
    page = web.login("duchashi_zhuren")
    page.goto("/archive/")
    expect(page.get_by_role("heading", name="归档（一事一卷）")).to_be_visible()
    web.shot(page, "archive-page")
    page.locator("#verify-archive").click()
    expect(page.locator("#verify-result")).to_contain_text("全部办理记录与哈希链一致")
    web.shot(page, "verified")
