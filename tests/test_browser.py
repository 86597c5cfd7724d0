"""In a real browser (Playwright driving Debian's chromium): the home page renders
and Chinese full-text search finds the right page first."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(public_site):
    handler = functools.partial(_Quiet, directory=str(public_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    yield pg
    context.close()
    assert outside == [], f"requests left the site: {outside}"


def search(page, base: str, query: str) -> list[str]:
    page.goto(base)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    page.locator(".md-search-result__item").first.wait_for(timeout=20000)
    return [a.get_attribute("href") for a in page.locator(".md-search-result__item > a").all()]


def test_home_page_renders(page, served, dataset):
    page.goto(served)
    assert dataset.site[0].title in page.locator("article h1").inner_text()
    assert page.locator("article").inner_text().count(dataset.site[0].as_of.isoformat()) >= 1


def test_search_domain_phrase(page, served):
    hrefs = search(page, served, "巡后直督")
    assert any("figures/" in h for h in hrefs[:5]), hrefs


def test_search_organisation_name_finds_its_page_first(page, served, dataset):
    org = next(o for o in dataset.organisations if o.is_public and len(o.name) >= 6)
    hrefs = search(page, served, org.name)
    assert f"organisations/{org.id}/" in hrefs[0], (org.name, hrefs)


def test_search_rule_title_and_document_number(page, served, dataset):
    rule = next(r for r in dataset.rules if r.is_public and r.document_number)
    assert f"rules/{rule.id}/" in search(page, served, rule.title)[0]
    assert f"rules/{rule.id}/" in search(page, served, rule.document_number)[0]
