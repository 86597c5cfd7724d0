"""Rules at any date: prospective versions (issued, not yet in force on the data's as-of
date), the per-article history, and the date picker driven in a real browser."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from bs4 import BeautifulSoup

from generators import rulediff
from generators.checks import check
from generators.ruledates import periods, prospective, shown

from .test_browser import browser, served  # noqa: F401  (the browser fixtures)


def _prospective_rule(dataset):
    return next(r for r in dataset.rules if r.is_public and prospective(r, dataset.as_of))


def _article(site, rel):
    return BeautifulSoup((site / rel / "index.html").read_text(encoding="utf-8"), "html.parser").find("article")


# --- validation ---------------------------------------------------------------------------------------


def _with_rule(dataset, i, rule):
    ds = copy.copy(dataset)
    ds.records = {**dataset.records, "rules": [rule if k == i else r for k, r in enumerate(dataset.rules)]}
    return ds


def test_a_version_dated_after_as_of_is_prospective_not_an_error(dataset):
    rule = _prospective_rule(dataset)
    assert rule.current.date > dataset.as_of  # the shipped data records one
    errors, _ = check(dataset)
    assert not [p for p in errors if p.severity == "error"]
    # but a rule whose first version is after as_of is not in force: it must say 尚未生效
    i = next(k for k, r in enumerate(dataset.rules) if r.status == "现行有效" and len(r.revisions) == 1)
    first = dataset.rules[i].revisions[0].model_copy(update={"date": dataset.as_of + dt.timedelta(days=5)})
    planted = dataset.rules[i].model_copy(update={"revisions": [first], "effective": None, "issued": None})
    problems, _ = check(_with_rule(dataset, i, planted))
    said = [str(p) for p in problems if p.severity == "error"]
    assert any(f"rules[{i}].revisions[0].date" in x and "状态应为尚未生效" in x for x in said), said


# --- the rule page ------------------------------------------------------------------------------------


def test_rule_page_shows_the_version_in_force_and_marks_the_prospective_one(public_site, dataset):
    rule = _prospective_rule(dataset)
    now, later = shown(rule, dataset.as_of), prospective(rule, dataset.as_of)[0]
    assert now.version == later.version - 1
    doc = _article(public_site, f"rules/{rule.id}")
    assert f"第 {now.version} 版" in doc.find(id="text").get_text()
    warning = doc.select_one(".admonition.rule-upcoming")
    assert f"第 {later.version} 版已印发,尚未施行" in warning.get_text()
    assert later.date.isoformat() in warning.get_text()
    rows = {tr.find("td").get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in doc.find(id="versions").find_next("table").select("tbody tr")}
    assert rows[f"第 {later.version} 版"][4] == "尚未施行"
    assert rows[f"第 {now.version} 版"][4] == "现行有效"
    page = _article(public_site, f"rules/{rule.id}/v{later.version}")
    assert page.select_one(".rule-status").get_text() == "尚未施行"
    assert f"自 {later.date.isoformat()} 起施行,尚未施行" in page.get_text()
    # the articles on the page are those of the version in force, with its anchors
    assert [h["id"] for h in doc.find(id="text").find_all_next("h3") if h["id"].startswith("art-")][:1] == ["art-1"]


def test_history_follows_an_article_through_renumbering():
    v1 = "第一条 总则。\n第二条 旧的规定。\n第三条 附则。"
    v2 = "第一条 总则。\n第二条 新增的规定。\n第三条 旧的规定。\n第四条 附则。"
    v3 = "第一条 总则。\n第二条 新增的规定。\n第三条 旧的规定,已经修改。\n第四条 附则。"
    last = rulediff.history([v1, v2, v3])[-1]
    marks = [[(e.version, e.kind) for e in line] for line in last]
    assert marks == [[(1, "added")], [(2, "added")], [(1, "added"), (2, "renumbered"), (3, "changed")],
                     [(1, "added"), (2, "renumbered")]]
    assert [c.kind for c in rulediff.fates(v1, v2)] == ["same", "renumbered", "renumbered"]


def test_rule_page_lists_per_article_history(public_site, dataset):
    rule = _prospective_rule(dataset)
    table = _article(public_site, f"rules/{rule.id}").find(id="history").find_next("table")
    rows = {tr.find("td").get_text(strip=True): tr.find_all("td")[1] for tr in table.select("tbody tr")}
    assert rows["第一条"].get_text(strip=True).startswith("第 1 版制定")
    texts = [r.text for r in rule.revisions[:shown(rule, dataset.as_of).version]]
    changed = {(e.version, e.kind) for line in rulediff.history(texts)[-1] for e in line if e.version > 1}
    assert changed, "the rule's versions change some article"
    for version, _ in changed:
        assert any(a["href"] == f"v{version}/#changes" for cell in rows.values() for a in cell.find_all("a"))
    later = prospective(rule, dataset.as_of)[0]
    assert any(f"第 {later.version} 版将" in cell.get_text() for cell in rows.values())


# --- the date picker in a browser ---------------------------------------------------------------------


@pytest.fixture
def reader(browser):  # noqa: F811
    context = browser.new_context(locale="en-US")  # the date input reads month/day/year
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith("http://127.0.0.1") else None)
    yield context.new_page()
    context.close()
    assert outside == []


def _pick(page, url: str, day: dt.date) -> str:
    """Open the rule page, focus the date input and type the date as a reader does."""
    from playwright.sync_api import expect

    page.goto(url)
    box = page.get_by_label("查看某一天施行的版本")
    expect(box).to_be_visible()
    box.focus()
    page.keyboard.type(day.strftime("%m%d%Y"))
    result = page.locator(".rule-on-date__result")
    expect(result).to_contain_text(day.isoformat())
    return result.inner_text()


@pytest.mark.browser
def test_picking_a_date_shows_the_version_in_force_that_day(reader, served, dataset):  # noqa: F811
    from playwright.sync_api import expect

    rule = _prospective_rule(dataset)
    url = f"{served}rules/{rule.id}/"
    spans = periods(rule)
    first, first_start, first_end = spans[0]
    assert first_end is not None
    said = _pick(reader, url, first_start + (first_end - first_start) / 2)
    assert f"施行的是第 {first.version} 版" in said
    reader.locator(".rule-on-date__result a").click()
    expect(reader.locator("article h1")).to_contain_text(f"(第 {first.version} 版)")

    later = prospective(rule, dataset.as_of)[0]
    said = _pick(reader, url, later.date)
    assert f"施行的是第 {later.version} 版" in said and "尚未施行" in said

    day_before = later.date - dt.timedelta(days=1)
    now = shown(rule, dataset.as_of)
    said = _pick(reader, url, day_before)
    assert f"施行的是第 {now.version} 版" in said and "尚未施行" not in said
    assert reader.locator(".rule-on-date__result a").get_attribute("href") == "#text"

    said = _pick(reader, url, (rule.issued or rule.revisions[0].date) - dt.timedelta(days=1))
    assert "尚未印发" in said


def test_open_data_dates_the_version_in_force_not_a_prospective_one(dataset):
    """rules.csv's 现行版本施行日期 is the date of the version in force on the as-of date: a
    version issued but not yet in force does not count."""
    from generators.opendata import tables

    rule = _prospective_rule(dataset)
    rows = {row["id"]: row for t in tables(dataset, "public") if t.name == "rules" for row in t.rows}
    assert rows[rule.id]["current_version_date"] == shown(rule, dataset.as_of).date
    assert rows[rule.id]["current_version_date"] < prospective(rule, dataset.as_of)[0].date
