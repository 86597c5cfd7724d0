"""The rules knowledge base on the shipped data: versions and diffs, point in time,
citations both ways, indexes, the public subset, search and print."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generators import rulediff, ruletext
from generators.ruledates import IN_FORCE, periods, prospective, snapshot_dates, state

from .conftest import ROOT, html_files, run
from .test_browser import browser, page, search, served  # noqa: F401  (the browser fixtures)


def soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel / "index.html").read_text(encoding="utf-8"), "html.parser")


def article(site: Path, rel: str):
    return soup(site, rel).find("article")


def rule_links(node) -> set[str]:
    """Rule ids linked from a part of a page (current pages only, not version pages)."""
    out = set()
    for a in node.find_all("a", href=True):
        m = re.search(r"(?:^|/)(rule-[a-z0-9-]+)/(?:#.*)?$", a["href"])
        if m:
            out.add(m.group(1))
    return out


# --- versions and diffs ------------------------------------------------------------


def test_rule_with_three_versions_has_a_page_and_a_diff_per_version(public_site, dataset):
    rule = next(r for r in dataset.rules if r.is_public and len(r.revisions) >= 3
                and not prospective(r, dataset.as_of))  # tests/test_rule_dates.py: one with a prospective version
    current = article(public_site, f"rules/{rule.id}")
    versions = current.find(id="versions").find_next("table")
    hrefs = [a["href"] for a in versions.select("tbody tr td:first-child a")]
    assert hrefs == [f"v{rev.version}/" for rev in rule.revisions]
    for old, new in zip(rule.revisions, rule.revisions[1:], strict=False):
        doc = article(public_site, f"rules/{rule.id}/v{new.version}")
        assert doc.find(id="changes") is not None
        changes = rulediff.diff(old.text, new.text)
        inserted = [t for c in changes for op, t in c.fragments if op == "insert"]
        deleted = [t for c in changes for op, t in c.fragments if op == "delete"]
        assert inserted and deleted
        diff = doc.select_one(".rule-diff")
        assert [x.get_text() for x in diff.find_all("ins")] == inserted
        assert [x.get_text() for x in diff.find_all("del")] == deleted
        # the version's own text, article by article, anchored
        for a in ruletext.articles(new.text):
            assert doc.find(id=a.anchor) is not None
        earlier = article(public_site, f"rules/{rule.id}/v{old.version}")
        assert "已修订" in earlier.select_one(".rule-status").get_text()
    last = rule.current.version
    assert article(public_site, f"rules/{rule.id}/v{last}").select_one(".rule-status").get_text() == "现行有效"


def test_current_page_shows_current_text_with_anchored_articles(public_site, dataset):
    rule = next(r for r in dataset.rules if r.is_public and len(r.revisions) >= 3
                and not prospective(r, dataset.as_of))  # tests/test_rule_dates.py: one with a prospective version
    doc = article(public_site, f"rules/{rule.id}")
    for a in ruletext.articles(rule.current.text):
        heading = doc.find(id=a.anchor)
        assert heading is not None and heading.name == "h3" and a.label in heading.get_text()
        assert a.body in heading.find_next_sibling("p").get_text()
    assert f"本页收录了 {dataset.as_of.isoformat()} 及以前作出的全部修改" in doc.get_text()
    cells = {tr.find_all("td")[0].get_text(strip=True): tr.find_all("td")[1].get_text(" ", strip=True)
             for tr in doc.select("table tr") if len(tr.find_all("td")) == 2}
    assert cells["制定机关"] == rule.issuer and cells["文件类型"] == rule.doc_type
    assert cells["类别"] == rule.category and cells["文号"] == (rule.document_number or "未载明")
    assert cells["印发日期"] == (rule.issued.isoformat() if rule.issued else "—")
    assert cells["施行日期"] == (rule.effective.isoformat() if rule.effective else "—")
    assert rule.status in cells["状态"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["第一条 甲乙丙", "第二条 甲乙丁", "第三条 戊", "乙丙", "第十条 甲<b>&", "x y", "第二条 戊己"]),
                max_size=8),
       st.lists(st.sampled_from(["第一条 甲乙丙", "第二条 甲乙", "第三条 戊己", "乙丙丁", "第十一条 甲<b>&", "x  y", "第四条 戊"]),
                max_size=8))
def test_diff_reconstructs_both_texts(old_lines, new_lines):
    old, new = "\n".join(old_lines), "\n  \n".join(new_lines)
    changes = rulediff.diff(old, new)
    assert rulediff.side(changes, "old") == "\n".join(ruletext.lines(old))
    assert rulediff.side(changes, "new") == "\n".join(ruletext.lines(new))
    for c in changes:
        assert (c.kind == "added") == (c.old is None) and (c.kind == "removed") == (c.new is None)
        assert (c.kind == "same") == (c.old == c.new)
        assert all(t for _, t in c.fragments)
    assert all(c.kind == "same" for c in rulediff.diff(old, old))


# --- point in time --------------------------------------------------------------------


def _in_force_rows(site: Path, day: str) -> dict[str, str]:
    table = article(site, f"rules/in-force/{day}").find(id="in-force").find_next("table")
    rows = {}
    for tr in table.select("tbody tr"):
        cells = tr.find_all("td")
        (rule_id,) = rule_links(cells[0])
        rows[rule_id] = cells[-1].get_text(strip=True)
    return rows


def test_point_in_time_index_differs_between_years(public_site, dataset):
    as_of = dataset.as_of
    public = [r for r in dataset.rules if r.is_public]
    days = snapshot_dates(public, as_of)
    assert [d.isoformat() for d in days] == [f"{y}-12-31" for y in range(2018, 2025)]
    shown = {}
    for day in days:
        rows = _in_force_rows(public_site, day.isoformat())
        expected = {r.id: f"第 {state(r, day)[1].version} 版" for r in public if state(r, day)[0] == IN_FORCE}
        assert {k: v.replace(" ", "") for k, v in rows.items()} == {k: v.replace(" ", "") for k, v in expected.items()}
        shown[day.year] = rows
    assert set(shown[2018]) < set(shown[2023])
    # the same rule, another version in force
    assert any(shown[2018][k] != shown[2021][k] for k in shown[2018])


def test_rule_page_says_which_version_was_in_force_when(public_site, dataset):
    rule = next(r for r in dataset.rules if r.is_public and len(r.revisions) >= 3
                and not prospective(r, dataset.as_of))  # tests/test_rule_dates.py: one with a prospective version
    table = article(public_site, f"rules/{rule.id}").find(id="in-force").find_next("table")
    for tr in table.select("tbody tr"):
        day, version = (td.get_text(strip=True) for td in tr.find_all("td"))
        st_, rev = state(rule, dt.date.fromisoformat(day))
        assert version.replace(" ", "") == (f"第{rev.version}版" if rev else st_)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=1, max_size=4), st.integers(0, 300),
       st.one_of(st.none(), st.integers(1, 900)), st.integers(-50, 1500))
def test_exactly_one_version_in_force_between_effective_and_repeal(gaps, late, repeal_after, probe):
    from generators.model import Rule

    start = dt.date(2019, 1, 1)
    dates, day = [], start
    for g in gaps:
        day += dt.timedelta(days=g)
        dates.append(day)
    effective = start + dt.timedelta(days=late)
    repealed = dates[-1] + dt.timedelta(days=repeal_after) if repeal_after else None
    rule = Rule(id="r", sample=True, title="t", issuer="i", doc_type="办法", category="机制一体建",
                issued=start, effective=effective, status="已废止" if repealed else "现行有效", repealed=repealed,
                revisions=[{"version": k + 1, "date": d, "note": "n", "text": "第一条 x"} for k, d in enumerate(dates)])
    on = start + dt.timedelta(days=probe)
    st_, rev = state(rule, on)
    covering = [r for r, a, b in periods(rule) if a <= on and (b is None or on < b)]
    assert len(covering) <= 1
    if on < effective or on < dates[0]:
        assert rev is None
    elif repealed and on >= repealed:
        assert st_ == "已废止" and rev is None
    else:
        assert st_ == IN_FORCE and rev is not None and rev.date <= on
        assert covering == [rev]
        assert all(r.date > on or r.date <= rev.date or r.date <= effective for r in rule.revisions)


# --- citations both ways ------------------------------------------------------------------


def test_repealed_rule_cited_by_a_live_one_is_flagged(internal_site, dataset):
    rules = dataset.by_id("rules")
    citing = [r for r in dataset.rules if r.status != "已废止"
              and any(rules[x].status == "已废止" for x in r.references)]
    assert citing
    for rule in citing:
        doc = article(internal_site, f"rules/{rule.id}")
        flag = next(a for a in doc.select(".admonition") if "引用了已废止的制度" in a.get_text())
        repealed = {x for x in rule.references if rules[x].status == "已废止"}
        assert repealed <= rule_links(flag)
        cited = next(x for x in repealed if f"《{rules[x].title}》" in rule.current.text)
        assert doc.select(".rule-cite-repealed"), rule.id
        assert "已废止" in article(internal_site, f"rules/{cited}").select_one(".rule-status").get_text()
    result = run(["-m", "generators", "validate", "--strict"], cwd=ROOT)
    assert result.returncode == 0, result.stderr
    notices = [x for x in result.stderr.splitlines() if "提示:" in x and "已废止" in x]
    for rule in citing:
        i = dataset.rules.index(rule)
        assert any(f"rules[{i}]." in x for x in notices), rule.id


def test_citations_in_text_link_to_the_rule_and_article(internal_site, dataset):
    rules = dataset.by_id("rules")
    titles = {r.title: r.id for r in dataset.rules}
    by_title = by_id = 0
    for rule in dataset.rules:
        doc = article(internal_site, f"rules/{rule.id}")
        for line in ruletext.lines(rule.current.text):
            for c in ruletext.citations(line, titles, set(rules)):
                if c.rule_id is None or c.rule_id == rule.id:
                    continue
                link = doc.find("a", string=c.text)
                assert link is not None, (rule.id, c.text)
                target = f"../{c.rule_id}/" + (f"#art-{c.article}" if c.article else "")
                assert link["href"] == target
                by_title += c.title is not None
                by_id += c.token is not None
        assert "《中国共产党巡视工作条例》" not in {a.get_text() for a in doc.find_all("a")}
    assert by_title >= 5 and by_id >= 1


def test_each_rule_lists_what_cites_it_and_trainings_that_teach_it(internal_site, public_site, dataset):
    titles = {r.title: r.id for r in dataset.rules}
    ids = {r.id for r in dataset.rules}
    cites = {r.id: set(r.references) | {c.rule_id for line in ruletext.lines(r.current.text)
                                        for c in ruletext.citations(line, titles, ids) if c.rule_id}
             - {r.id} for r in dataset.rules}
    for rule in dataset.rules:
        doc = article(internal_site, f"rules/{rule.id}")
        expected = {r for r, cited in cites.items() if rule.id in cited}
        section = doc.find(id="cited-by")
        assert (rule_links(section.find_next("ul")) if section else set()) == expected, rule.id
        taught = {t.id for t in dataset.trainings if rule.id in t.rules}
        section = doc.find(id="trainings")
        shown = {a["href"].rstrip("/").split("/")[-1] for a in section.find_next("ul").find_all("a")} if section else set()
        assert shown == taught, rule.id
    assert any(t.rules for t in dataset.trainings)
    for rule in (r for r in dataset.rules if r.is_public):
        assert article(public_site, f"rules/{rule.id}").find(id="trainings") is None


def test_bad_citations_are_errors(project_copy, dataset):
    rule = next(r for r in dataset.rules if "《中国共产党巡视工作条例》" in r.current.text and len(r.revisions) == 1)
    i = dataset.rules.index(rule)
    path = project_copy / "data" / "rules.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    other = next(r for r in dataset.rules if r.id != rule.id and r.document_number)
    data[i]["revisions"][-1]["text"] += (f"\n第九十九条 按照《漯河市不存在的办法》、rule-nowhere 和《{other.title}》第九十条执行。"
                                         "参照《某省巡察工作办法》。")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run(["-m", "generators", "validate"], cwd=project_copy)
    assert result.returncode == 1, result.stderr
    errors = [x for x in result.stderr.splitlines() if x.startswith("data/rules.yaml") and "提示:" not in x]
    assert all(f"rules[{i}].revisions[0].text:" in x for x in errors), errors
    assert any("《漯河市不存在的办法》" in x for x in errors)
    assert any("'rule-nowhere'" in x for x in errors)
    assert any(f"《{other.title}》现行文本中没有第 90 条" in x for x in errors)
    assert len(errors) == 3, errors  # 《中国共产党巡视工作条例》 and 《某省巡察工作办法》 are not ours


# --- indexes and the public subset ------------------------------------------------------------


def test_indexes_by_category_issuer_type_year_status_and_tag(internal_site, dataset):
    index = article(internal_site, "rules")
    linked = {a["href"] for a in index.find_all("a", href=True)}
    for stem in ("by-issuer", "by-type", "by-year", "by-status", "by-tag", "in-force"):
        assert f"{stem}/" in linked, stem
    assert rule_links(index) == {r.id for r in dataset.rules}
    keys = {"by-issuer": lambda r: [r.issuer], "by-type": lambda r: [r.doc_type], "by-status": lambda r: [r.status],
            "by-tag": lambda r: r.tags, "by-year": lambda r: [f"{(r.issued or r.revisions[0].date).year}年"]}
    for stem, key in keys.items():
        doc = article(internal_site, f"rules/{stem}")
        groups = {h2.get_text(strip=True).rstrip("¶"): rule_links(h2.find_next("table")) for h2 in doc.find_all("h2")}
        expected: dict[str, set] = {}
        for r in dataset.rules:
            for k in key(r):
                expected.setdefault(k, set()).add(r.id)
        assert groups == expected, stem
    by_category = {h2.get_text(strip=True).rstrip("¶"): rule_links(h2.find_next("table")) for h2 in index.find_all("h2")}
    expected = {}
    for r in dataset.rules:
        expected.setdefault(r.category, set()).add(r.id)
    assert by_category == expected


def test_public_build_carries_only_public_rules(public_site, dataset):
    public = {r.id for r in dataset.rules if r.is_public}
    internal = [r for r in dataset.rules if not r.is_public]
    assert public and internal
    built = {p.name for p in (public_site / "rules").iterdir() if p.name.startswith("rule-")}
    assert built == public
    linked = set()
    for path in html_files(public_site):
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        body = doc.find("article") or doc
        linked |= rule_links(body)
        text = body.get_text()
        for rule in internal:
            assert f"《{rule.title}》" not in text or any(f"《{rule.title}》" in r.current.text for r in dataset.rules
                                                         if r.is_public), (path, rule.id)
    assert linked <= public
    assert rule_links(article(public_site, "rules")) == public
    counts = article(public_site, "rules/in-force").select("tbody tr")[-1].find_all("td")
    as_of = dataset.as_of
    assert int(counts[1].get_text()) == sum(state(r, as_of)[0] == IN_FORCE for r in dataset.rules if r.is_public)


def test_not_yet_in_force_rule(internal_site, dataset):
    rule = next(r for r in dataset.rules if r.status == "尚未生效")
    doc = article(internal_site, f"rules/{rule.id}")
    assert doc.select_one(".rule-status").get_text() == "尚未生效"
    as_of = dataset.as_of.isoformat()
    rows = {tr.find_all("td")[0].get_text(strip=True): tr.find_all("td")[1].get_text(strip=True)
            for tr in doc.find(id="in-force").find_next("table").select("tbody tr")}
    assert rows[as_of] == "尚未生效"
    pending = article(internal_site, f"rules/in-force/{as_of}").find(id="pending").find_next("table")
    assert rule.id in rule_links(pending)


# --- search and print ----------------------------------------------------------------------------


def test_search_index_finds_body_phrase_document_number_and_article(public_site, dataset):
    """Pagefind's fragments (one per indexed page): a rule's page holds its text, its document
    number and an anchor per article; earlier versions are not indexed."""
    fragments = [json.loads(gzip.decompress(p.read_bytes()).decode("utf-8").removeprefix("pagefind_dcd"))
                 for p in sorted((public_site / "pagefind" / "fragment").glob("*.pf_fragment"))]
    plain = {f["url"].lstrip("/"): (f["content"].replace("\u200b", ""), {a.get("id") for a in f["anchors"]}) for f in fragments}
    rule = next(r for r in dataset.rules if r.is_public and r.document_number and "巡察整改" in r.current.text)
    arts = [a for a in ruletext.articles(rule.current.text) if "巡察整改" in a.body]
    text, anchors = plain[f"rules/{rule.id}/"]
    assert "巡察整改" in text and rule.document_number in text and arts[0].anchor in anchors
    assert not [url for url in plain if re.match(r"rules/[^/]+/v\d+/", url)]  # versions: not searched


@pytest.mark.browser
def test_search_in_a_browser_finds_phrase_document_number_and_article(page, served, dataset):  # noqa: F811
    public = [r for r in dataset.rules if r.is_public and r.document_number]
    others = " ".join(r.current.text for r in dataset.rules if r.is_public)
    rule, art = next((r, a) for r in public for a in ruletext.articles(r.current.text)
                     if a.number and len(a.body) > 20 and others.count(a.body) == 1)
    hrefs = search(page, served, art.body, f"rules/{rule.id}/")
    assert f"rules/{rule.id}/" in hrefs[0], (art.body, hrefs)
    sections = page.locator(".md-search-result__item").first.locator("a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")
    assert any(h.endswith(f"#{art.anchor}") for h in sections[:4]), sections  # the article itself
    assert f"rules/{rule.id}/" in search(page, served, rule.document_number, f"rules/{rule.id}/")[0]
    # Pagefind ranks the inspection pages that report on 巡察整改 above the rules (Material's lunr put
    # a rule first; bench/README.md): the first result holds the phrase
    first = search(page, served, "巡察整改", "/")[0]
    page.goto(served + first.lstrip("/"))
    assert "巡察整改" in page.locator("article").inner_text()


def test_print_stylesheet_is_linked_and_hides_the_chrome(public_site, internal_site, dataset):
    rule = next(r for r in dataset.rules if r.is_public and r.document_number)
    for site in (public_site, internal_site):
        doc = soup(site, f"rules/{rule.id}")
        sheets = [x["href"] for x in doc.find_all("link", rel="stylesheet")]
        assert any(h.endswith("assets/print.css") for h in sheets), sheets
        css = (site / "assets" / "print.css").read_text(encoding="utf-8")
        media = re.search(r"@media print\s*{(.*)}\s*$", css, flags=re.S)
        assert media
        hidden = re.search(r"([^{}]*){\s*display:\s*none", media.group(1)).group(1)
        for selector in (".md-header", ".md-sidebar", ".md-footer", ".md-tabs", ".md-search"):
            assert selector in hidden, selector
        assert ".md-typeset h3" in media.group(1)  # article numbers are kept
        # the title and the document number lead the printed article
        heads = doc.find("article").find_all(["h1", "h2"])
        assert heads[0].get_text(strip=True).rstrip("¶") == rule.title
        assert rule.document_number in heads[1].get_text()
