"""Rectification items and charts in a real browser (Playwright + Debian's chromium), at a
360 px phone and a 1280 px desktop: an item is a card on a phone, its status column stays
on screen on a desktop, the explorer filters by county from the keyboard, chart text is
at least 12 px."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from tools.screenshots import VIEWPORTS

from .test_browser import browser, served  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def open_page(browser):  # noqa: F811
    contexts = []

    def go(url: str, viewport: str):
        context = browser.new_context(viewport=VIEWPORTS[viewport])
        contexts.append(context)
        page = context.new_page()
        assert page.goto(url).status == 200
        return page

    yield go
    for context in contexts:
        context.close()


def an_inspection_with_items(public_site) -> str:
    items = json.loads((public_site / "open-data" / "items.json").read_text(encoding="utf-8"))
    revised = next(i for i in items if i["revised_deadline"] and i["overdue"])  # the widest cells
    return f"inspections/{revised['inspection']}/"


def test_an_item_is_a_card_on_a_phone(open_page, served, public_site):  # noqa: F811
    page = open_page(served + an_inspection_with_items(public_site), "phone")
    card = page.locator("table.lh-items tbody tr").first
    card.scroll_into_view_if_needed()
    problem, status = card.locator("td.lh-item__problem"), card.locator("td.lh-item__status .lh-tag").first
    assert problem.is_visible() and status.is_visible()
    # the problem first, then the status below it, both inside the screen's width
    p, s = problem.bounding_box(), status.bounding_box()
    assert p["y"] < s["y"] and p["x"] >= 0 and p["x"] + p["width"] <= 360 and s["x"] + s["width"] <= 360
    assert p["width"] > 250, "the problem gets the card's width, not a table column's"
    # every cell but the problem shows its label (the column's title) before it
    label = card.locator("td.lh-item__status").evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"状态:"'
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("which", ["inspection", "items/"])
def test_the_status_column_is_on_a_desktop_screen(open_page, served, public_site, which):  # noqa: F811
    rel = an_inspection_with_items(public_site) if which == "inspection" else which
    page = open_page(served + rel, "desktop")
    page.locator("table.lh-items tbody tr").first.wait_for()
    header = page.locator("table.lh-items thead th[data-key=status]")
    assert header.is_visible()
    box = header.bounding_box()
    assert box["x"] + box["width"] <= 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    first = page.locator("table.lh-items tbody tr").first.locator("td").all()
    assert len(first) == page.locator("table.lh-items thead th").count()  # a table: a row per item


def all_years_and_the_first_county(page, items: list[dict]):
    """Keys only: a reader tabs to a list and presses arrows; nothing sets a value. Returns the
    page with all years and the first county chosen, and that county."""
    page.locator("table.lh-items tbody tr").first.wait_for()
    page.locator("select[name=year]").focus()
    page.keyboard.press("End")  # the last choice: 全部 (all years)
    page.wait_for_function(f"document.querySelector('.lh-count').textContent.startsWith('共 {len(items)} 项')")
    page.keyboard.press("Tab")  # the next list: the county
    assert page.evaluate("document.activeElement.name") == "county"
    page.keyboard.press("ArrowDown")  # the first county
    return page, page.locator("select[name=county]").input_value()


def test_choosing_a_county_narrows_the_items(open_page, served, public_site):  # noqa: F811
    """Keys only: a reader tabs to a list and presses arrows; nothing sets a value."""
    items = json.loads((public_site / "open-data" / "items.json").read_text(encoding="utf-8"))
    page, county = all_years_and_the_first_county(open_page(served + "items/", "desktop"), items)
    count = page.locator("form.lh-filters .lh-count")
    expected = [i for i in items if i["county"] == county]
    assert county and 0 < len(expected) < len(items)
    page.wait_for_function(f"document.querySelector('.lh-count').textContent.startsWith('共 {len(expected)} 项')")
    notes = page.locator("table.lh-items tbody tr td:last-child .lh-item__note")  # 县区 · 轮次
    assert notes.count() == min(50, len(expected))
    assert all(text.startswith(county + " · ") for text in notes.all_inner_texts())
    assert f"county={county}" in unquote(page.url)  # the choice is in the address, to share
    assert count.inner_text().startswith(f"共 {len(expected)} 项")
    page.reload()  # all years and the county, as chosen
    page.wait_for_function(f"document.querySelector('.lh-count').textContent.startsWith('共 {len(expected)} 项')")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_chart_text_is_at_least_12_px(open_page, served, viewport):  # noqa: F811
    page = open_page(served + "statistics/", viewport)
    sizes = page.evaluate("""() => Array.from(document.querySelectorAll('figure.lh-chart svg text'), t =>
        parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)""")
    assert sizes and min(sizes) >= 12, (viewport, min(sizes))
    widths = page.evaluate("""() => Array.from(document.querySelectorAll('figure.lh-chart svg'), s =>
        [s.getBoundingClientRect().width, s.closest('article').getBoundingClientRect().width])""")
    # as wide as the column (up to 30rem), not the 300 px of an SVG in a shrink-to-fit figure
    assert all(w >= min(column, 590) - 1 for w, column in widths), widths
    captions = page.evaluate("""() => Array.from(document.querySelectorAll('figure.lh-chart figcaption'),
        c => getComputedStyle(c).fontStyle)""")
    assert captions and set(captions) == {"normal"}


def test_a_filtered_out_inspection_card_is_hidden_on_a_phone(open_page, served):  # noqa: F811
    page = open_page(served + "inspections/", "phone")
    page.locator("form.lh-filters select[name=county]").focus()
    page.keyboard.press("ArrowDown")  # the first county
    county = page.locator("form.lh-filters select[name=county]").input_value()
    wanted = page.locator(f"#lh-inspections tbody tr[data-county='{county}']").count()
    assert county and 0 < wanted < page.locator("#lh-inspections tbody tr").count()
    assert page.locator("#lh-inspections tbody tr:visible").count() == wanted
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_organisations_listed_are_the_chosen_countys_and_one_narrows_the_items(
        open_page, served, public_site):  # noqa: F811
    """The organisation list is filled from the items loaded (the page's HTML carries none), only
    with the chosen county's; keys choose one, the items shown are its, and the address keeps it."""
    items = json.loads((public_site / "open-data" / "items.json").read_text(encoding="utf-8"))
    page, county = all_years_and_the_first_county(open_page(served + "items/", "desktop"), items)
    in_county = [i for i in items if i["county"] == county]
    listed = page.locator("select[name=organisation] option").evaluate_all("os => os.map(o => o.value)")
    assert listed[0] == "" and sorted(listed[1:]) == sorted({i["organisation"] for i in in_county})
    page.keyboard.press("Tab")  # the next list: the organisation
    assert page.evaluate("document.activeElement.name") == "organisation"
    page.keyboard.press("ArrowDown")  # its first organisation
    org = page.locator("select[name=organisation]").input_value()
    expected = [i for i in in_county if i["organisation"] == org]
    assert org and 0 < len(expected) < len(in_county)
    page.wait_for_function(f"document.querySelector('.lh-count').textContent.startsWith('共 {len(expected)} 项')")
    assert f"organisation={org}" in unquote(page.url)
    page.reload()  # the list is filled again and the organisation chosen again, from the address
    page.wait_for_function(f"document.querySelector('.lh-count').textContent.startsWith('共 {len(expected)} 项')")
    assert page.locator("select[name=organisation]").input_value() == org
    names = {i["organisation_name"] for i in expected}
    assert page.locator("select[name=organisation] option:checked").inner_text() in names


def test_a_shared_address_naming_an_organisation_of_earlier_years_shows_its_items(
        open_page, served, public_site):  # noqa: F811
    """A link with ?organisation=X and no year (as shared from the default view): when X has no
    items in the latest year, the explorer shows all years rather than dropping the choice."""
    items = json.loads((public_site / "open-data" / "items.json").read_text(encoding="utf-8"))
    latest = max(i["year"] for i in items)
    org = next(i["organisation"] for i in items if all(j["year"] != latest for j in items
                                                        if j["organisation"] == i["organisation"]))
    expected = [i for i in items if i["organisation"] == org]
    page = open_page(served + f"items/?organisation={org}", "phone")
    page.wait_for_function(f"document.querySelector('.lh-count').textContent.startsWith('共 {len(expected)} 项')")
    assert page.locator("select[name=organisation]").input_value() == org
    assert page.locator("select[name=year]").input_value() == ""  # 全部
    assert "year=" in page.url and f"organisation={org}" in unquote(page.url)
