"""The portal's filters and phone layout in a real browser (Playwright + Debian's chromium)."""

from __future__ import annotations

import pytest

from generators.labels import title
from generators.model import RectificationItem
from generators.pages.inspections import EXPLORER_COLUMNS
from generators.text import date_zh

from .test_browser import browser, page, served  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.browser


def test_inspection_filters_work_and_are_shareable(page, served, dataset):  # noqa: F811
    page.goto(served + "inspections/")
    year = max(r.year for r in dataset.rounds if r.is_public and r.year <= dataset.as_of.year)
    page.select_option("form.lh-filters select[name=year]", str(year))
    visible = page.locator("#lh-inspections tbody tr:visible")
    expected = page.locator(f"#lh-inspections tbody tr[data-year='{year}']").count()
    assert expected > 0 and visible.count() == expected
    assert f"year={year}" in page.url
    page.select_option("form.lh-filters select[name=stage]", "整改完成")
    both = page.locator(f"#lh-inspections tbody tr[data-year='{year}'][data-stage='整改完成']").count()
    assert visible.count() == both
    page.goto(page.url)  # the address keeps the choice
    assert page.locator("#lh-inspections tbody tr:visible").count() == both


def test_items_explorer_filters_by_status(page, served, dataset):  # noqa: F811
    public_orgs = {o.id for o in dataset.organisations if o.is_public}
    public_rounds = {r.id for r in dataset.rounds if r.is_public}
    items = [i for i in dataset.items if i.is_public and i.organisation in public_orgs and i.round in public_rounds]
    page.goto(served + "items/")
    page.locator("#lh-items tbody tr").first.wait_for()
    latest = max(r.year for r in dataset.rounds if r.id in public_rounds
                 and any(i.round == r.id for i in items))
    in_latest = sum(dataset.by_id("rounds")[i.round].year == latest for i in items)
    assert f"共 {in_latest} 项" in page.locator("form.lh-filters .lh-count").inner_text()
    page.select_option("form.lh-filters select[name=year]", "")  # all years: loads items.json
    page.wait_for_function(f"document.querySelector('.lh-count').textContent.includes('共 {len(items)} 项')")
    assert page.locator("#lh-items tbody tr").count() == 50
    page.select_option("form.lh-filters select[name=status]", "未启动")
    n = sum(i.status == "未启动" for i in items)
    assert f"共 {n} 项" in page.locator("form.lh-filters .lh-count").inner_text()
    assert page.locator("#lh-items tbody tr").count() == min(50, n)
    # each row has a cell under every header, in the header's order (EXPLORER_COLUMNS)
    headers = page.locator("#lh-items thead th").all_inner_texts()
    assert headers == [title(RectificationItem, name) for name in EXPLORER_COLUMNS]
    first = page.locator("#lh-items tbody tr").first
    cells = first.locator("td").all_inner_texts()
    assert len(cells) == len(headers)
    row = dict(zip(EXPLORER_COLUMNS, cells, strict=True))
    # links: the item's permalink on its inspection page, and the inspection
    assert row["status"].startswith("未启动") and first.locator("td a").count() == 2
    assert "#" + first.locator("a.lh-permalink").get_attribute("href").split("#")[1] in \
        {f"#{i.id}" for i in items if i.status == "未启动"}
    shown = [i for i in items if i.status == "未启动" and row["description"].startswith(i.description)]
    assert shown and row["current_deadline"].startswith(str(date_zh(shown[0].current_deadline)))


@pytest.mark.parametrize("rel", ["inspections/", "items/", "statistics/", "current/", "sunshine/village/",
                                 "open-data/"])
def test_portal_pages_fit_a_phone(browser, served, rel):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740})
    pg = context.new_page()
    assert pg.goto(served + rel).status == 200
    assert pg.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_inspection_page_fits_a_phone(browser, served, dataset):  # noqa: F811
    public_orgs = {o.id for o in dataset.organisations if o.is_public}
    rnd = next(r for r in dataset.rounds if r.is_public and r.direct_supervision)
    org = next(t.organisation for _, t in rnd.targets if t.organisation in public_orgs)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    pg = context.new_page()
    response = pg.goto(served + f"inspections/{rnd.id}--{org}/")
    assert response.status == 200
    assert pg.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_home_page_on_a_phone_offers_a_number_to_tap_in_the_first_screen(browser, served, dataset):  # noqa: F811
    """At 360×740 the first screen of the home page holds a reporting channel's tel: link
    (an inspection's, the first of those receiving or about to receive reports), and tapping
    it asks the phone to call that number; the national line follows on the same page."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    pg = context.new_page()
    assert pg.goto(served).status == 200
    first = pg.locator("article h3").first.locator("xpath=following-sibling::ul[1]").locator("a[href^='tel:']")
    box = first.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 740 and box["x"] + box["width"] <= 360
    number = first.inner_text().strip().lstrip("☎").strip()
    href = first.get_attribute("href")
    assert href == "tel:" + "".join(c for c in number if c.isdigit() or c == "+")
    assert box["height"] >= 20  # a finger-sized target, not a hairline
    # tapping a tel: link hands the number to the dialler: the browser navigates to it
    with pg.expect_request(lambda r: r.url.startswith("tel:")) as tapped:
        pg.route("tel:*", lambda route: route.abort())
        first.tap()
    assert tapped.value.url == href
    assert pg.locator(f"article a[href='tel:{dataset.site[0].hotline.phone}']").count() == 1
    assert pg.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_closed_channels_are_folded_until_opened(browser, served):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740})
    pg = context.new_page()
    pg.goto(served + "current/")
    folded = pg.locator("details.lh-closed")
    link = folded.locator("li a[href^='tel:']").first
    assert folded.count() == 1 and not link.is_visible()
    folded.locator("summary").click()
    assert link.is_visible() and link.get_attribute("href").startswith("tel:")
    context.close()


def test_a_deep_page_of_an_unpublished_build_requests_no_versions_json(page, served, dataset):  # noqa: F811
    asked = []
    page.on("request", lambda r: asked.append(r.url))
    rnd = next(r for r in dataset.rounds if r.is_public)
    assert page.goto(served + f"rounds/{rnd.id}/", wait_until="networkidle").status == 200
    assert asked and not [u for u in asked if "versions.json" in u]
