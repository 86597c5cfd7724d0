"""Search (issue #16) in a real browser, on the session's public site: Pagefind in Material's
header search loads nothing until the reader shows the intent to search, then its files at
once; it answers a query typed before its index has arrived and a pasted one, ranks the
expected page of search/queries.yaml (all 30 but the ones bench/README.md says it misses)
within its rank and says which section each result is in; the files a first query loads stay
under 300 KB; the index leaves out what repeats the pages it keeps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import ROOT
from .test_browser import browser, phone, served  # noqa: F401  (the browser fixtures)

pytestmark = pytest.mark.browser

QUERIES = yaml.safe_load((ROOT / "search" / "queries.yaml").read_text(encoding="utf-8"))["queries"]
# the queries Pagefind does not rank as expected (bench/README.md, "Search engines side by side")
MISSED: set[str] = set()
RESULTS = ".md-search-result__item > a"
PAGEFIND_FILES = ("pagefind.js", "pagefind-entry.json", "wasm.unknown.pagefind", ".pf_meta")


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    yield pg
    context.close()
    assert outside == [], f"requests left the site: {outside}"


def answered(pg) -> list[str]:
    """The results' addresses (each page's, not its parts') once the list answers what the box
    holds (search.js keeps the list aria-busy from a change of the box until then)."""
    from playwright.sync_api import expect

    expect(pg.locator(".md-search-result")).not_to_have_attribute("aria-busy", "true", timeout=30_000)
    return pg.locator(f"{RESULTS}:first-child").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def first_hrefs(pg, expected: str, within: int = 3) -> list[str]:
    shown = answered(pg)
    assert any(expected in h for h in shown[:within]), f"no {expected!r} among the first {within}: {shown[:5]}"
    return shown


def test_nothing_of_pagefind_loads_before_the_reader_means_to_search(phone, served):  # noqa: F811
    """A page view asks for none of Pagefind's files; a tap on the search button (a pointer down,
    before any key) asks for its script, entry, WebAssembly and metadata together; a query then
    typed is answered."""
    asked: list[str] = []
    phone.on("request", lambda r: asked.append(r.url) if "/pagefind/" in r.url else None)
    phone.goto(served)
    phone.wait_for_load_state("networkidle")
    phone.mouse.wheel(0, 400)  # reading is no intent
    phone.wait_for_load_state("networkidle")
    assert asked == []
    with phone.expect_request(lambda r: r.url.split("?")[0].endswith(".pf_meta")):
        phone.locator('.md-header label.md-header__button[for="__search"]').click()
    assert all(any(f in u for u in asked) for f in PAGEFIND_FILES), asked
    assert not any("/index/" in u or "/fragment/" in u for u in asked), "words were loaded before any was typed"
    phone.locator("input.md-search__input").press_sequentially("漯巡〔2018〕1号")
    first_hrefs(phone, "rules/rule-001/", within=1)


def test_a_query_typed_before_the_index_arrives_is_answered(page, served):  # noqa: F811
    """Pagefind's files are held back until the query has been typed (keys pressed); the
    answer still comes, and it names the section of each result."""
    from playwright.sync_api import expect

    held: list = []
    released: list[bool] = []
    page.route("**/pagefind/**", lambda route: route.continue_() if released else held.append(route))
    page.goto(served)
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    expect(box).to_be_focused()
    box.press_sequentially("漯巡〔2018〕1号")
    expect(page.locator(".md-search-result__meta")).to_have_text("正在加载搜索索引……")
    assert held, "the index was asked for when search was opened"
    released.append(True)
    for route in held:
        route.continue_()
    first_hrefs(page, "rules/rule-001/", within=1)
    assert page.locator(".md-search-result__item").first.locator(".luohe-search-section").inner_text() == "制度规范"


def test_a_pasted_query_is_answered(page, served):  # noqa: F811
    """A paste from the menu (long-press on a phone, right-click on a desktop) puts the text in
    the box with an input event and no key event at all; Playwright's insert_text does the
    same (Chromium's clipboard menu cannot be driven headless)."""
    from playwright.sync_api import expect

    page.goto(served)
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    expect(box).to_be_focused()
    page.keyboard.insert_text("中共漯河市民政局党组")
    expect(box).to_have_value("中共漯河市民政局党组")
    first_hrefs(page, "organisations/o-city-02/", within=1)


def wrong_ranks(pg, base: str) -> list[str]:
    """The fixed queries (search/queries.yaml), each typed into the box of a page of `base`:
    those whose page is not within its rank."""
    from playwright.sync_api import expect

    pg.goto(base)
    pg.keyboard.press("/")
    box = pg.locator("input.md-search__input")
    wrong = []
    for q in (q for q in QUERIES if q["q"] not in MISSED):
        box.press("Control+A")
        box.press("Backspace")
        expect(pg.locator(RESULTS)).to_have_count(0)
        box.press_sequentially(q["q"])
        try:
            first_hrefs(pg, q["expect"], within=q["within"])
        except AssertionError as exc:
            wrong.append(f"{q['q']}: {exc}")
    return wrong


def test_fixed_queries_rank_their_page_within_their_rank(page, served):  # noqa: F811
    wrong = wrong_ranks(page, served)
    assert len(QUERIES) - len(MISSED) >= 29 and wrong == []


def test_a_first_query_loads_under_300_kb(page, served, public_site: Path):  # noqa: F811
    """The files a first query loads (Pagefind's script, wasm, metadata, the index chunks and
    fragments it asks for, the search script and style), summed from the built files."""
    loaded: set[str] = set()
    page.on("response", lambda r: loaded.add(r.url.removeprefix(served).split("?")[0]) if r.ok else None)
    page.goto(served)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("整改完成率")
    answered(page)
    page.wait_for_load_state("networkidle")
    search = sorted(u for u in loaded if u.startswith(("pagefind/", "assets/search.")))
    assert any(u.startswith("pagefind/index/") for u in search) and any(u.startswith("pagefind/fragment/") for u in search)
    total = sum((public_site / u).stat().st_size for u in search)
    assert total < 300_000, (total, search)


def test_the_index_leaves_out_what_repeats_the_pages_it_keeps(public_site: Path):
    """An inspection's notices (公告, 反馈, 整改进展) are left out, its page (which links them by
    title) is in; of its table of rectification items only each item's own text is indexed,
    not the status, dates and history every row repeats."""
    import gzip
    import json

    pages = {}
    for fragment in (public_site / "pagefind" / "fragment").iterdir():
        data = json.loads(gzip.decompress(fragment.read_bytes()).decode("utf-8").removeprefix("pagefind_dcd"))
        pages[data["url"]] = data["content"].replace("\u200b", "")
    assert not [u for u in pages if u.rstrip("/").endswith(("-announce", "-feedback", "-progress"))]
    assert any(u.endswith("-round-report/") for u in pages)
    inspection = pages["/inspections/r-2019-luohe-1--o-city-03/"]
    assert "党组织会议记录不完整" in inspection and "进驻中共漯河市教育局党组的公告" in inspection
    assert "经验收销号" not in inspection and "完成日期" not in inspection


# --- the offline package (make offline): read from disk, file:// ----------------------------------

@pytest.fixture(scope="module")
def offline_site(tmp_path_factory) -> Path:
    """The internal offline package, built once and unzipped (the one extra build of this file)."""
    import zipfile

    from publishing.offline import FOLDERS, make

    out = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(make("internal", out)) as z:
        z.extractall(out / "unzipped")
    return out / "unzipped" / FOLDERS["internal"]


def test_offline_package_searches_and_shows_training_from_disk(browser, offline_site: Path):  # noqa: F811
    """Opened from disk: links end in .html, Material's search finds a rule by its title, a
    training page shows, a curriculum's checklist keeps a tick across a reload, and no
    request leaves the disk."""
    from playwright.sync_api import expect

    context = browser.new_context()
    pg = context.new_page()
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:", "blob:")) else None)
    pg.goto((offline_site / "index.html").as_uri())
    pg.keyboard.press("/")
    expect(pg.locator(".md-search-result__meta")).to_have_text("键入以开始搜索", timeout=30_000)
    box = pg.locator("input.md-search__input")
    box.press_sequentially("漯河市巡察工作领导小组工作规则")
    box.press("End")
    first = pg.locator(".md-search-result__item > a").first
    expect(first).to_be_attached(timeout=30_000)
    assert "rules/rule-001.html" in first.get_attribute("href")
    pg.goto((offline_site / "trainings" / "index.html").as_uri())
    pg.locator("article a[href$='.html'][href*='t-']").first.click()
    assert pg.url.endswith(".html") and "/trainings/" in pg.url
    expect(pg.locator("article h1")).to_contain_text("集训")
    pg.goto((offline_site / "curricula" / "index.html").as_uri())
    pg.locator("article a[href$='.html'][href*='c-']").first.click()
    tick = pg.locator("input.luohe-check").first
    tick.check()
    pg.reload()
    expect(pg.locator("input.luohe-check").first).to_be_checked()
    context.close()
    assert outside == [], f"requests left the disk: {outside}"


def test_offline_zip_is_reproducible(tmp_path: Path):
    from publishing.offline import pack

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<h1>培训</h1>", encoding="utf-8")
    (site / "search.js").write_text("x", encoding="utf-8")
    pack(site, tmp_path / "one.zip", "包")
    os.utime(site / "search.js", (86_400, 86_400))  # another modification time changes nothing
    pack(site, tmp_path / "two.zip", "包")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()


def test_hostile_text_in_the_index_is_shown_as_text(page, served, public_site: Path):  # noqa: F811
    """Pagefind keeps a page's text as it reads (a `<script>` typed in a record stays in the
    fragment as those characters); the results must show it as text and run nothing. The
    fragment of the rule a query finds is replaced, on its way, by one whose text is markup."""
    import gzip
    import json

    from playwright.sync_api import expect

    payload = "漯巡 <img src=x onerror=window.__pwned=1> <script>window.__pwned=2</script> <b>粗</b>"

    def hostile(route):
        body = gzip.decompress((public_site / route.request.url.removeprefix(served).split("?")[0]).read_bytes())
        fragment = json.loads(body.decode("utf-8").removeprefix("pagefind_dcd"))
        fragment["content"] = payload + " " + fragment["content"]
        fragment["meta"]["title"] = "<img src=x onerror=window.__pwned=3>" + fragment["meta"]["title"]
        route.fulfill(body=gzip.compress(("pagefind_dcd" + json.dumps(fragment, ensure_ascii=False)).encode("utf-8")))

    page.route("**/pagefind/fragment/**", hostile)
    page.goto(served)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("漯巡〔2018〕1号")
    first = page.locator(".md-search-result__item").first
    expect(first).to_contain_text("<img src=x onerror=window.__pwned=3>")
    assert first.locator("img, script, b").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_a_preview_rebuild_keeps_the_first_index(tmp_path: Path, monkeypatch):
    """Under `mkdocs serve` Pagefind indexes the first build only (a rebuild keeps that index;
    the preview's banner says search may be stale); a build, a serve whose site folder was
    cleaned or whose index was cut short, indexes."""
    import importlib.util
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("search_pagefind_under_test", ROOT / "hooks" / "search_pagefind.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    runs: list[list[str]] = []
    monkeypatch.setattr(hook.subprocess, "run", lambda cmd, **kw: runs.append(cmd) or SimpleNamespace(returncode=0, stdout="", stderr=""))
    config = SimpleNamespace(extra={"search": "pagefind"}, site_dir=str(tmp_path))
    hook.on_startup(command="serve", dirty=True)
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    hook.on_post_build(config)  # an index cut short (no parts.json, written last): indexed
    hook.on_post_build(config)  # a rebuild: kept
    hook.on_startup(command="build", dirty=False)
    hook.on_post_build(config)  # a build: indexed
    assert len(runs) == 2


# --- a site indexed in parts (hooks/search_pagefind.py: Pagefind's memory on a large site) ---------

@pytest.fixture(scope="module")
def parted_site(tmp_path_factory) -> Path:
    """The public site with parts of at most 1,200,000 characters of articles (the default is
    40 million): the ×1 site is indexed in several runs and searched as one."""
    from .conftest import copy_project, run

    project = copy_project(tmp_path_factory.mktemp("parted") / "project")
    (project / "mkdocs.parts.yml").write_text("INHERIT: mkdocs.yml\nextra:\n  search_part_chars: 1200000\n", encoding="utf-8")
    out = project.parent / "site"
    result = run(["-m", "mkdocs", "build", "--strict", "-f", "mkdocs.parts.yml", "-d", str(out)], cwd=project)
    assert result.returncode == 0, result.stderr
    return out


@settings(max_examples=200, deadline=None)
@given(lengths=st.lists(st.integers(0, 5_000), max_size=60), limit=st.integers(1, 20_000))
def test_parts_hold_every_indexed_page_once_within_the_limit(lengths, limit):
    import importlib.util

    spec = importlib.util.spec_from_file_location("search_pagefind_parts", ROOT / "hooks" / "search_pagefind.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    indexed = [(f"p{n:03}/index.html", length) for n, length in enumerate(lengths)]
    split = hook.parts(indexed, limit)
    assert sorted(p for part in split for p in part) == sorted(p for p, _ in indexed)
    size = dict(indexed)
    assert all(sum(size[p] for p in part) <= limit for part in split if len(part) > 1)
    assert all(len(part) == 1 for part in split if any(size[p] > limit for p in part))  # a long page alone
    assert len(split) <= max(1, len(indexed))
    if sum(lengths) <= limit:
        assert len(split) <= 1  # a site within the limit is indexed in one run, as always


def test_a_site_indexed_in_parts_is_searched_as_one(browser, parted_site: Path, public_site: Path):  # noqa: F811
    """Every part is a Pagefind index of its own pages, listed in parts.json; a reader's query
    finds pages of the first part and of the last, ranked as the one index of the same site
    ranks them (the fixed queries)."""
    import json

    from tools.screenshots import serve

    names = json.loads((parted_site / "pagefind" / "parts.json").read_text(encoding="utf-8"))
    assert len(names) >= 1 and all((parted_site / "pagefind" / n / "pagefind-entry.json").is_file() for n in names)
    assert not (parted_site / "pagefind" / names[-1] / "pagefind.js").exists()  # one script, the first part's
    assert json.loads((public_site / "pagefind" / "parts.json").read_text(encoding="utf-8")) == []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    asked: list[str] = []
    pg.on("request", lambda r: asked.append(r.url))
    with serve(parted_site) as base:
        wrong = wrong_ranks(pg, base)
    context.close()
    assert wrong == [], "\n".join(wrong)
    assert any(f"/pagefind/{names[-1]}index/" in u for u in asked), "the last part's words were never loaded"
    assert not [u for u in asked if not u.startswith(base)], "requests left the site"
