"""In a real browser (Playwright driving Debian's chromium): the home page renders,
Chinese full-text search finds the right page first, and on a 360 px phone no public
page scrolls sideways (wide tables scroll inside themselves)."""

from __future__ import annotations

import pytest

from tools.screenshots import VIEWPORTS, launch, serve
from tools.weight import representatives

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(public_site):
    with serve(public_site) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            b = launch(p)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        yield b
        b.close()


def _context(browser, viewport: str):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    pg = context.new_page()
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    return context, pg, outside


@pytest.fixture
def page(browser):
    context, pg, outside = _context(browser, "desktop")
    yield pg
    context.close()
    assert outside == [], f"requests left the site: {outside}"


@pytest.fixture
def phone(browser):
    context, pg, outside = _context(browser, "phone")
    yield pg
    context.close()
    assert outside == [], f"requests left the site: {outside}"


# What Material's results line says once its search worker has loaded the index (Chinese
# search.result.placeholder); until then it says 正在初始化搜索引擎.
READY = "键入以开始搜索"
RESULT_LINKS = ".md-search-result__item > a"


def search(page, base: str, query: str, expected: str, within: int = 1, timeout: float = 60_000) -> list[str]:
    """Search the site as a reader does; the results' addresses, once a result whose address
    contains `expected` is among the first `within`.

    Material starts a search on a key release (keyup) in the box, on focus, or when its search
    worker becomes ready, never on input alone. A reader opens search with the `/` key, waits
    until the results line says the search is ready, types, and the last key released starts
    the search: Chinese comes from an input method as committed text followed by the release of
    the key that committed it. Playwright types Chinese the same way (input events, no key
    events), so End, which leaves the text as it is, is pressed last. Nothing here sets the
    box's value or waits a fixed time: every wait is Playwright's, for what the reader sees."""
    from playwright.sync_api import expect

    page.goto(base)
    box = page.locator("input.md-search__input")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text(READY, timeout=timeout)
    box.press_sequentially(query)
    box.press("End")
    expect(box).to_have_value(query)
    found = page.locator(f".md-search-result__item:nth-child(-n+{within}) > a[href*='{expected}']")
    try:
        expect(found.first).to_be_attached(timeout=timeout)
    except AssertionError:
        shown = page.locator(RESULT_LINKS).evaluate_all("links => links.map(a => a.getAttribute('href'))")
        raise AssertionError(f"searching {query!r}: no {expected!r} among the first {within} results "
                             f"({meta.inner_text()!r}): {shown[:10]}") from None
    return page.locator(RESULT_LINKS).evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_home_page_renders(page, served, dataset):
    page.goto(served)
    assert dataset.site[0].title in page.locator("article h1").inner_text()
    d = dataset.as_of  # in words, as a citizen reads a date
    assert page.locator("article").inner_text().count(f"数据截至{d.year}年{d.month}月{d.day}日") >= 1


def test_search_domain_phrase(page, served):
    hrefs = search(page, served, "巡后直督", "figures/", within=5)
    assert any("figures/" in h for h in hrefs[:5]), hrefs


def test_search_organisation_name_finds_its_page_first(page, served, dataset):
    org = next(o for o in dataset.organisations if o.is_public and len(o.name) >= 6)
    hrefs = search(page, served, org.name, f"organisations/{org.id}/")
    assert f"organisations/{org.id}/" in hrefs[0], (org.name, hrefs)


def test_search_rule_title_and_document_number(page, served, dataset):
    rule = next(r for r in dataset.rules if r.is_public and r.document_number)
    assert f"rules/{rule.id}/" in search(page, served, rule.title, f"rules/{rule.id}/")[0]
    assert f"rules/{rule.id}/" in search(page, served, rule.document_number, f"rules/{rule.id}/")[0]


# One page of each kind (the heaviest: the most rows, the widest tables), seen on a phone.
_SEEN_ON_A_PHONE = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('article table')].filter(t => t.scrollWidth > t.clientWidth);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    stickingOut: [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > width + 1
                   && !e.closest('.md-typeset__scrollwrap, table, .md-sidebar, .md-search'))
      .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                            + ' right=' + Math.round(e.getBoundingClientRect().right)),
    // [overflow-x, tabindex, whether the table's box ends inside the screen]
    wideTables: wide.map(t => [getComputedStyle(t).overflowX, t.getAttribute('tabindex'),
                               t.getBoundingClientRect().right <= width]),
  };
}"""


@pytest.fixture(scope="module")
def on_a_phone(browser, served, public_site) -> dict[str, dict]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context, pg, outside = _context(browser, "phone")
    seen = {}
    for kind, path in representatives(public_site).items():
        pg.goto(served + path)
        try:  # tables filled in by a script get their tabindex a frame later
            pg.wait_for_function("""() => [...document.querySelectorAll('article table')]
                .filter(t => t.scrollWidth > t.clientWidth).every(t => t.tabIndex === 0)""", timeout=3000)
        except PlaywrightTimeout:
            pass
        seen[kind] = {"path": path, **pg.evaluate(_SEEN_ON_A_PHONE)}
    context.close()
    assert outside == [], f"requests left the site: {outside}"
    return seen


def test_no_public_page_scrolls_sideways_on_a_phone(on_a_phone):
    assert {"/", "rounds/", "rounds/*/", "organisations/", "organisations/*/", "rules/", "rules/*/",
            "figures/", "timeline/", "how-to-report/"} <= set(on_a_phone)
    width = VIEWPORTS["phone"]["width"]
    sideways = [f"{kind} /{seen['path']}: scrollWidth {seen['scrollWidth']} > {width}: {seen['stickingOut']}"
                for kind, seen in on_a_phone.items() if seen["scrollWidth"] > width]
    assert sideways == []


def test_wide_tables_scroll_inside_themselves_on_a_phone(on_a_phone):
    """The check above is not vacuous: some tables are wider than a phone; they scroll
    inside their own box (overflow-x auto, ending inside the screen), which a keyboard can
    focus (tabindex 0)."""
    tables = [(kind, *table) for kind, seen in on_a_phone.items() for table in seen["wideTables"]]
    assert tables, "no table is wider than a phone: this test no longer tests anything"
    assert [t for t in tables if t[1:] != ("auto", "0", True)] == []


# --- the edition selector (issue #6): Material's mike provider over a versioned tree --------------

@pytest.fixture(scope="module")
def editions(public_edition_site, tmp_path_factory):
    """A versioned tree laid out as mike lays it (two editions, `latest` aliasing the newer,
    the root redirecting to it), each edition the built public site, served."""
    import json

    tree = tmp_path_factory.mktemp("editions")
    for name in ("2024", "2025", "latest"):
        (tree / name).symlink_to(public_edition_site, target_is_directory=True)
    (tree / "versions.json").write_text(json.dumps([
        {"version": "2025", "title": "2025", "aliases": ["latest"]},
        {"version": "2024", "title": "2024", "aliases": []}]), encoding="utf-8")
    (tree / "index.html").write_text('<meta http-equiv="refresh" content="0; url=latest/">', encoding="utf-8")
    with serve(tree) as base:
        yield base


def test_edition_selector_lists_editions_and_old_ones_point_to_the_latest(page, editions):
    page.goto(editions + "2024/figures/")
    current = page.locator(".md-version__current")
    current.wait_for()
    assert current.inner_text().strip() == "2024"
    links = sorted(t.strip() for t in page.locator(".md-version__link").all_inner_texts())
    assert links[0] == "2024" and links[1].startswith("2025") and "latest" in links[1], links
    banner = page.locator("[data-md-component=outdated]")
    assert banner.is_visible(), "an older edition says it is not the latest"
    banner.locator("a").click()
    page.wait_for_url(editions + "latest/**")
    page.locator(".md-version__current").wait_for()
    assert page.locator(".md-version__current").inner_text().strip().startswith("2025")
    assert not page.locator("[data-md-component=outdated]").is_visible()
    page.locator(".md-version__link", has_text="2024").dispatch_event("click")
    page.wait_for_url(editions + "2024/**")


def test_switching_edition_from_a_deep_page_keeps_the_page(page, editions):
    """Published with its address (make publish PUBLIC_URL=…), each edition's sitemap lists real
    addresses, which Material's selector needs to open the same page in the other edition
    (without it the reader lands on that edition's home page)."""
    page.goto(editions + "2024/rules/")
    page.locator(".md-version__current").wait_for()
    page.locator(".md-version__current").focus()
    page.keyboard.press("Tab")  # into the list of editions, as a keyboard reader goes
    link = page.locator(".md-version__link", has_text="2025")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(editions + "2025/rules/")
    assert page.locator(".md-version__current").inner_text().strip().startswith("2025")


def test_screenshots_of_a_page_at_both_sizes(browser, served, tmp_path):
    """`make screenshots` takes each page with tools.screenshots.shoot: a PNG the width of
    its viewport, cut at MAX_HEIGHT."""
    import struct

    from tools.screenshots import MAX_HEIGHT, shoot

    for viewport, size in VIEWPORTS.items():
        out = tmp_path / f"home-{viewport}.png"
        shoot(browser, served, "", viewport, out)
        head = out.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", head[16:24])
        assert width == size["width"] and size["height"] <= height <= MAX_HEIGHT
