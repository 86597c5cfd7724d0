"""The built sites, read through their HTML: pages, figures, sample labels, assets."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

from generators.pages.figures import display

from .conftest import ROOT, html_files, run, text_files


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site: Path, rel: str) -> BeautifulSoup:
    return soup(site / rel / "index.html" if not rel.endswith(".html") else site / rel)


def article_text(site: Path, rel: str) -> str:
    return page(site, rel).find("article").get_text(" ", strip=True)


def test_one_page_per_public_record(public_site, dataset):
    for rnd in dataset.rounds:
        assert (public_site / "rounds" / rnd.id / "index.html").exists() == rnd.is_public, rnd.id
    for org in dataset.organisations:
        assert (public_site / "organisations" / org.id / "index.html").exists() == org.is_public
    for rule in dataset.rules:
        assert (public_site / "rules" / rule.id / "index.html").exists() == rule.is_public
    assert not (public_site / "trainings").exists()
    for name in ["index.html", "figures/index.html", "timeline/index.html", "how-to-report/index.html"]:
        assert (public_site / name).exists()


def test_internal_site_has_everything(internal_site, dataset):
    for kind, records in [("rounds", dataset.rounds), ("organisations", dataset.organisations),
                          ("rules", dataset.rules), ("trainings", dataset.trainings)]:
        for rec in records:
            assert (internal_site / kind / rec.id / "index.html").exists(), (kind, rec.id)
    assert (internal_site / "handbook" / "index.html").exists()
    assert (internal_site / "how-to-report" / "index.html").exists()


def test_timeline_shows_every_event_in_order(public_site, dataset):
    doc = page(public_site, "timeline").find("article")
    headings = [h.get_text(" ", strip=True).rstrip("¶").strip() for h in doc.find_all("h2")]
    events = sorted((e for e in dataset.timeline if e.is_public), key=lambda e: (e.month, e.id), reverse=True)
    assert len(events) >= 4  # every dated event of the article
    # newest first, the month in words (2018-03 -> 2018年3月)
    months = [f"{e.month[:4]}年" + (f"{int(e.month[5:])}月" if len(e.month) > 4 else "") for e in events]
    assert headings == [f"{m} {e.title}" for m, e in zip(months, events, strict=True)]


def test_shipped_sample_data_is_large_enough(dataset):
    """The sizes the foundation issue asks of the sample data, and every kind of round."""
    import typing

    from generators.model import Kind

    assert len(dataset.rounds) >= 12 and {r.year for r in dataset.rounds} >= set(range(2019, 2025))
    kinds = set(typing.get_args(Kind))
    assert {k for r in dataset.rounds for k in r.kinds} == kinds
    assert len(dataset.organisations) >= 60 and {o.county for o in dataset.organisations} == {b.id for b in dataset.bodies}
    assert len(dataset.items) >= 400 and len(dataset.leads) >= 150 and len(dataset.trainings) >= 10
    assert len(dataset.rules) >= 72 and any(not r.sample for r in dataset.rules)
    # "at least five with two or more revisions": `revisions` lists every version, the first included
    assert sum(len(r.revisions) >= 2 for r in dataset.rules) >= 5
    assert sum(len(r.revisions) >= 3 for r in dataset.rules) >= 1  # issue #3: three or more versions
    assert sum(r.status == "已废止" for r in dataset.rules) >= 2


def test_generators_never_import_mkdocs(tmp_path):
    """`make pages` (python -m generators pages) writes every page without MkDocs loaded."""
    code = ("import sys, runpy; sys.argv = ['generators', 'pages', sys.argv[1]];\n"
            "try:\n    runpy.run_module('generators', run_name='__main__')\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "assert not [m for m in sys.modules if m.split('.')[0] == 'mkdocs'], 'mkdocs imported'\n")
    result = run(["-c", code, str(tmp_path / "pages")], cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "pages" / "index.md").exists() and (tmp_path / "pages" / "inspections" / "index.md").exists()
    assert len(list((tmp_path / "pages").rglob("*.md"))) > 300


def test_every_article_figure_shown_with_statement_and_source(public_site, dataset):
    text = article_text(public_site, "figures")
    compact = re.sub(r"\s+", "", text)
    assert len(dataset.figures) >= 40
    for fig in dataset.figures:
        assert re.sub(r"\s+", "", fig.statement) in compact, fig.id
        assert display(fig) in compact, fig.id
    source = dataset.sources[0]
    assert source.title.replace(" ", "") in compact and source.publication in compact


def test_backed_figures_say_they_were_checked(public_site, dataset):
    cells = [td.get_text() for td in page(public_site, "figures").select("article table td")]
    backed = [f for f in dataset.figures if f.backed_by]
    assert len(backed) >= 8
    # every record behind them is invented or restates the article: never called verified
    restated = sum(c.startswith("由转录文章的记录复算") for c in cells)
    assert restated >= 1 and sum(c.startswith("按示例记录复核") for c in cells) + restated == len(backed)
    assert not [c for c in cells if "已由记录复核" in c]
    assert "示例数据" in page(public_site, "figures").select_one("article").get_text()
    assert sum(c == "只引用,未复核" for c in cells) == len(dataset.figures) - len(backed)
    assert not [c for c in cells if "True" in c or "round." in c or "['" in c]  # plain Chinese


def test_rendered_numbers_come_from_data(public_site, dataset):
    """The round index's per-round totals equal the sums of the round's targets in data."""
    rows = page(public_site, "rounds").select("article table tbody tr")
    public_rounds = [r for r in dataset.rounds if r.is_public]
    assert len(rows) == len(public_rounds)
    by_title = {}
    for row in rows:
        cells = [c.get_text(strip=True) for c in row.find_all("td")]
        by_title[row.find("a")["href"].strip("/").split("/")[-1]] = cells
    public_orgs = {o.id for o in dataset.organisations if o.is_public}
    for rnd in public_rounds:
        cells = by_title[rnd.id]
        shown = [t for _, t in rnd.targets if t.organisation in public_orgs]
        assert cells[3] == str(len(shown))
        # problems and leads are known once feedback is given: before it they are unknown (—), not 0
        known = [t for t in shown if t.feedback and t.feedback <= dataset.as_of]
        assert cells[4] == (str(sum(t.problems_found for t in known)) if known else "—")
        assert cells[5] == (str(sum(t.leads_handed_over for t in known)) if known else "—")


def test_every_page_from_sample_records_says_so(public_site, internal_site, dataset):
    for site in (public_site, internal_site):
        for kind, records in [("rounds", dataset.rounds), ("organisations", dataset.organisations),
                              ("rules", dataset.rules), ("trainings", dataset.trainings)]:
            for rec in records:
                path = site / kind / rec.id / "index.html"
                if not path.exists():
                    continue
                doc = soup(path)
                admonition = doc.select_one("article .admonition-title")
                if rec.sample:
                    assert admonition is not None and admonition.get_text(strip=True) == "示例数据", path
                    assert "示例数据" in doc.select_one("[data-md-component=announce]").get_text()


def test_every_page_that_lists_a_sample_record_says_so(public_site, internal_site):
    """A row built from a sample record is marked (示例); its page carries the notice."""
    checked = 0
    notice = re.compile(r'<p class="admonition-title">示例数据</p>')
    for site in (public_site, internal_site):
        for path in html_files(site):
            html = path.read_text(encoding="utf-8")
            if "(示例)" not in html:  # sample titles carry (示例N), rows built from sample records (示例)
                continue
            checked += 1
            assert notice.search(html), path
    assert checked > 50
    for site in (public_site, internal_site):  # counts that include sample rules
        title = soup(site / "rules" / "in-force" / "index.html").select_one("article .admonition-title")
        assert title is not None and title.get_text(strip=True) == "示例数据"


def test_real_records_are_not_labelled_sample(public_site, dataset):
    real = [r for r in dataset.rules if not r.sample and r.is_public]
    assert real
    for rule in real:
        assert "示例数据" not in article_text(public_site, f"rules/{rule.id}")
    # the article's figures are real; only their checks against invented records are labelled
    figures = article_text(public_site, "figures")
    assert "本页的数字照录自文章,是真实的" in figures and "本页含示例数据" not in figures


def test_no_request_leaves_the_site(public_site, internal_site):
    """No asset from another host: no Google Fonts, no CDN, no absolute URL in src/href of assets."""
    for site in (public_site, internal_site):
        for path in html_files(site):
            doc = soup(path)
            for tag in doc.find_all(["script", "img", "iframe", "source", "audio", "video"]):
                assert not re.match(r"^(https?:)?//", tag.get("src", "")), (path, tag)
            for tag in doc.find_all("link"):
                assert not re.match(r"^(https?:)?//", tag.get("href", "")), (path, tag)
        for path in text_files(site):
            if path.suffix in (".css", ".js", ".html"):
                text = path.read_text(encoding="utf-8", errors="replace")
                assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
                assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", text), path


def test_chinese_search_index_is_pagefind(public_site):
    """Search is Pagefind's chunked index (issue #16), in Chinese, with each page's section; no
    lunr index for every reader to download."""
    entry = json.loads((public_site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh"] and entry["languages"]["zh"]["page_count"] > 100
    figures = (public_site / "figures" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in figures and 'data-pagefind-meta="section:统计"' in figures
    assert not (public_site / "search" / "search_index.json").exists()


_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.S | re.I)


def raw_markup_in_titles(html: str) -> list[str]:
    """What is wrong with the <title> elements of a page, read in its raw HTML: each title
    whose source holds a raw `<` or `>` (markup, not text), and a head that has other than
    one title (a title whose text closed it early and opened another). Entities (`&lt;`)
    and the full-width forms (＜＞) page titles use are text, and fine. A parser cannot be
    asked: html.parser makes a raw tag a child of <title>, so the title's text loses it."""
    bad = [m.group(0) for m in _TITLE.finditer(html) if re.search("[<>]", m.group(1))]
    head = re.split(r"</head\s*>", html, maxsplit=1, flags=re.I)[0]
    opened, closed = len(re.findall(r"<title\b", head, re.I)), len(re.findall(r"</title\s*>", head, re.I))
    if (opened, closed) != (1, 1):
        bad.append(f"the head has {opened} <title> and {closed} </title>")
    return bad


def test_title_check_rejects_raw_markup_and_accepts_escaped_text():
    doc = "<html><head><meta charset=utf-8><title>{}</title></head><body>{}</body></html>"
    assert raw_markup_in_titles(doc.format("规定 - 阳光漯河", "")) == []
    assert raw_markup_in_titles(doc.format("&lt;script&gt;alert(1)&lt;/script&gt; &amp; 规定", "")) == []
    assert raw_markup_in_titles(doc.format("＜script＞alert(1)＜/script＞", "")) == []
    assert raw_markup_in_titles(doc.format("<script>alert(1)</script> - 阳光漯河", "")) != []
    assert raw_markup_in_titles(doc.format("a > b", "")) != []
    assert raw_markup_in_titles(doc.format("x</title><script>alert(1)</script><title>y", "")) != []
    assert raw_markup_in_titles(doc.format("x", "<svg><title>图 <b>1</b></title></svg>")) != []
    assert raw_markup_in_titles(doc.format("x", "<svg><title id=t>各年度 &lt;1&gt;</title></svg>")) == []
    assert raw_markup_in_titles("<html><head></head><body></body></html>") != []


def test_page_titles_have_no_raw_markup(public_site, internal_site):
    for site in (public_site, internal_site):
        for path in html_files(site):
            assert raw_markup_in_titles(path.read_text(encoding="utf-8")) == [], path


def test_home_counts_come_from_data(public_site, dataset):
    public_orgs = {o.id for o in dataset.organisations if o.is_public}
    public_rounds = {r.id for r in dataset.rounds if r.is_public}
    items = [i for i in dataset.items
             if i.is_public and i.round in public_rounds and i.organisation in public_orgs]
    rows = {tr.find_all("td")[0].get_text(strip=True): tr.find_all("td")[1].get_text(strip=True)
            for tr in page(public_site, "").select("article table tbody tr")}
    assert rows["巡察轮次"] == str(len(public_rounds))
    assert rows["被巡察党组织"] == str(len(public_orgs))
    assert rows["公开的整改事项"] == str(len(items))
    assert rows["已完成整改事项"] == str(sum(i.status == "已完成" for i in items))


def test_navigation_does_not_grow_with_the_records(public_site, dataset):
    """Only section indexes are in the nav: a detail page carries the same few links."""
    for rel in ("", f"rounds/{dataset.rounds[0].id}", f"organisations/{dataset.organisations[0].id}"):
        nav = page(public_site, rel).select_one("nav.md-nav--primary")
        text = nav.get_text(" ", strip=True)
        for title in ("巡察轮次", "被巡察党组织", "制度规范", "文章中的数字"):
            assert title in text
        # the page's own table of contents (bounded: the home page shows at most 3 channels) is not navigation
        assert len([a for a in nav.find_all("a") if not a.find_parent(class_="md-nav--secondary")]) < 20
