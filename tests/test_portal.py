"""Sunshine Luohe, the public portal, checked on the built public site against the data.

The expected numbers are computed here straight from the records, not through the
generators' own statistics module, so a wrong aggregation cannot agree with itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import html_files

# overdue: still open (the statuses a notice counts as 未完成) past the (revised) deadline
OPEN = {"未启动", "整改中", "申请延期", "未完成"}

ATOM = "{http://www.w3.org/2005/Atom}"


def zh(day: dt.date) -> str:
    """A date as the pages write it in prose (independently of generators.text.date_zh)."""
    return f"{day.year}年{day.month}月{day.day}日"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(site: Path, rel: str) -> BeautifulSoup:
    return soup(site / rel / "index.html").find("article")


class Public:
    """The public view of the data, computed independently of generators/inspections.py."""

    def __init__(self, ds):
        self.as_of = ds.as_of
        self.orgs = {o.id: o for o in ds.organisations if o.is_public}
        self.rounds = {r.id: r for r in ds.rounds if r.is_public}
        self.targets = [(r, team, t) for r in self.rounds.values() for team, t in r.targets
                        if t.organisation in self.orgs]
        self.items = defaultdict(list)
        for i in ds.items:
            if i.is_public and i.round in self.rounds and i.organisation in self.orgs:
                self.items[(i.round, i.organisation)].append(i)
        self.leads = defaultdict(list)
        for lead in ds.leads:
            self.leads[(lead.round, lead.organisation)].append(lead)
        self.published = {}  # (round, organisation) -> the latest published totals by the as-of date
        for n in sorted(ds.notices, key=lambda n: n.date):
            if n.is_public and n.totals is not None and n.date <= self.as_of:
                self.published[(n.round, n.organisation)] = n.totals

    def stage(self, t, items, round_id: str | None = None) -> str:
        if self.as_of < t.stationed:
            return "公告"
        if not t.feedback or self.as_of < t.feedback:
            return "进驻"
        totals = self.published.get((round_id, t.organisation))
        if not items and totals is not None and totals.problems is not None:  # known only from its totals
            return "整改完成" if totals.completed == totals.problems else "整改"
        if not items:
            return "反馈"
        return "整改完成" if all(i.status == "已完成" for i in items) else "整改"


@pytest.fixture(scope="module")
def pub(dataset):
    return Public(dataset)


def test_one_lifecycle_page_per_public_inspection(public_site, pub):
    pages = {p.parent.name for p in (public_site / "inspections").glob("*/index.html")}
    expected = {f"{r.id}--{t.organisation}" for r, _, t in pub.targets}
    assert pages == expected and len(expected) > 100


def test_lifecycle_page_shows_announcement_feedback_and_every_item(public_site, pub, dataset):
    checked = 0
    for rnd, _, t in pub.targets:
        items = pub.items[(rnd.id, t.organisation)]
        if not items or not any(i.revised_deadline for i in items):
            continue
        doc = article(public_site, f"inspections/{rnd.id}--{t.organisation}")
        text = doc.get_text(" ", strip=True)
        assert f"数据截至{zh(pub.as_of)}" in text
        assert re.search(r"当前阶段:\s*(\S+?)\s*。", text).group(1) == pub.stage(t, items, rnd.id)
        a = t.announcement
        for value in (a.phone, a.mailbox, a.post_box, a.hours):
            assert value in text
        assert t.feedback_summary.split("。")[0] in text
        for item in items:  # a row (a card on a phone) per item, its id only its anchor
            row = doc.select_one(f'table.lh-items tr[id="{item.id}"]')
            assert item.id not in row.get_text() and row.select_one("a.lh-permalink")["href"] == f"#{item.id}"
            cells = {td["data-label"]: td for td in row.find_all("td")}
            problem = cells["整改事项"].get_text(strip=True)
            assert problem.startswith(item.description) and f"问题类别:{item.category}" in problem
            assert cells["责任单位"].get_text(strip=True) == item.owner_unit
            deadline = cells["整改时限"].get_text(strip=True)
            assert deadline.startswith(zh(item.current_deadline))
            if item.revised_deadline:
                assert f"原定时限:{zh(item.deadline)}" in deadline and f"调整原因:{item.revision_reason}" in deadline
            overdue = item.status in OPEN and item.current_deadline < pub.as_of
            tags = [t.get_text(strip=True) for t in cells["状态"].select(".lh-tag")]
            assert tags == [item.status] + (["逾期"] if overdue else [])
            assert ("完成日期" in cells["状态"].get_text()) == bool(item.done)
            assert not item.done or f"完成日期:{zh(item.done)}" in cells["状态"].get_text(strip=True)
            history = cells["整改进展"].get_text(" ", strip=True)
            assert all(f"{zh(h.date)} {h.status}" in history for h in item.history)
        checked += 1
    assert checked >= 10


def test_internal_items_and_lead_details_stay_out(public_site, dataset):
    internal_items = [i for i in dataset.items if not i.is_public]
    assert internal_items
    text = " ".join(p.read_text(encoding="utf-8") for p in (public_site / "inspections").glob("*/index.html"))
    for item in internal_items:
        assert f">{item.id}<" not in text and f"{item.id}(示例)" not in text
    for lead in dataset.leads[:50]:
        assert lead.id not in text


def reporting_state(pub, t) -> str:
    a = t.announcement
    return "尚未开始受理" if pub.as_of < a.reporting_from else "正在受理" if pub.as_of <= a.reporting_until else "受理已截止"


def current_targets(pub) -> dict[str, tuple]:
    """The inspections in 公告 or 进驻 stage: their channels are on 正在巡察 and 如何反映问题."""
    return {f"{r.id}--{t.organisation}": (r, t) for r, _, t in pub.targets
            if pub.stage(t, pub.items[(r.id, t.organisation)], r.id) in ("公告", "进驻")}


def inspection_links(nodes) -> list[str]:
    return [a["href"].rstrip("/").split("/")[-1] for node in nodes
            for a in node.select("a[href*='inspections/']:not(.headerlink)")]


def tel(phone: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", phone)


@pytest.mark.parametrize("rel", ["current", "how-to-report"])
def test_reporting_pages_list_every_channel_open_first_closed_folded(public_site, pub, rel):
    doc = article(public_site, rel)
    current = current_targets(pub)
    by_state = {s: [k for k, (_, t) in current.items() if reporting_state(pub, t) == s]
                for s in ("正在受理", "尚未开始受理", "受理已截止")}
    assert current and by_state["受理已截止"] and by_state["尚未开始受理"]
    folded = doc.select_one("details.lh-closed")
    assert folded is not None and not folded.has_attr("open")
    assert sorted(inspection_links([folded])) == sorted(by_state["受理已截止"])
    cards = [h for h in doc.select("h2, h3") if h.select_one("a[href*='inspections/']")]
    shown = inspection_links(cards)
    # open ones (closing soonest first), then upcoming ones (opening soonest first); none closed
    def window(key, state):
        a = current[key][1].announcement
        return (a.reporting_until, a.reporting_from, key) if state == "正在受理" else (a.reporting_from, key)
    expected = sorted(by_state["正在受理"], key=lambda k: window(k, "正在受理")) + \
        sorted(by_state["尚未开始受理"], key=lambda k: window(k, "尚未开始受理"))
    assert shown == expected
    for h in cards:
        r, t = current[inspection_links([h])[0]]
        state = h.find_next("p").get_text(" ", strip=True)
        assert reporting_state(pub, t) in state and f"{t.announcement.reporting_until.year}年" in state
        card = h.find_next("ul")
        assert card.select_one(f"a[href='{tel(t.announcement.phone)}']").get_text(strip=True) == t.announcement.phone
        assert card.select_one(f"a[href='mailto:{t.announcement.mailbox}']") is not None
        text = card.get_text(" ", strip=True)
        assert t.announcement.post_box in text and t.announcement.hours in text
    for key in by_state["受理已截止"]:  # the folded ones keep their channels, as links
        a = current[key][1].announcement
        assert folded.select_one(f"a[href='{tel(a.phone)}']") and folded.select_one(f"a[href='mailto:{a.mailbox}']")


def test_national_line_is_data_and_a_tel_link(public_site, dataset):
    line = dataset.site[0].hotline
    assert line is not None and line.phone == "12388"
    for rel in ("", "current", "how-to-report"):
        link = article(public_site, rel).select_one(f"a[href='tel:{line.phone}']")
        assert link is not None and link.get_text(strip=True) == line.phone, rel


def test_every_phone_and_mail_link_on_the_site_is_well_formed(public_site):
    """A tel: address is digits (and +) only; a mailto: address is a plain address (read from the
    raw HTML: parsing every page would cost half a minute)."""
    seen = Counter()
    for path in html_files(public_site):
        for href in re.findall(r'href="((?:tel|mailto):[^"]*)"', path.read_text(encoding="utf-8")):
            seen[href.split(":")[0]] += 1
            assert re.fullmatch(r"tel:\+?[0-9]{3,}|mailto:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+", href), (path, href)
    assert seen["tel"] > 20 and seen["mailto"] > 20


def test_lifecycle_page_says_when_reporting_closed(public_site, pub):
    for r, _, t in pub.targets:
        if pub.stage(t, pub.items[(r.id, t.organisation)], r.id) == "进驻" and t.announcement.reporting_until < pub.as_of:
            text = article(public_site, f"inspections/{r.id}--{t.organisation}").get_text(" ", strip=True)
            assert f"受理期已于{zh(t.announcement.reporting_until)}结束" in text
            assert "正在受理来信来电来访" not in text
            if t.left:
                assert f"撤离日期 {zh(t.left)}" in text
            return
    pytest.fail("no stationed inspection whose reporting has closed in the shipped data")


def test_inspection_list_rows_carry_their_facets(public_site, pub, dataset):
    bodies = dataset.by_id("bodies")
    rows = article(public_site, "inspections").select("#lh-inspections tbody tr")
    assert len(rows) == len(pub.targets)
    by_id = {tr.find("a")["href"].rstrip("/"): tr for tr in rows}
    for r, _, t in pub.targets:
        tr = by_id[f"{r.id}--{t.organisation}"]
        assert tr["data-year"] == str(r.year)
        assert tr["data-county"] == bodies[pub.orgs[t.organisation].county].short_name
        assert tr["data-kind"].split() == list(t.kinds or r.kinds)  # a target's own kinds where given
        assert tr["data-stage"] == pub.stage(t, pub.items[(r.id, t.organisation)], r.id)
    options = {s["name"] for s in article(public_site, "inspections").select("form.lh-filters select")}
    assert options == {"year", "county", "kind", "round", "stage"}
    for r, _, t in pub.targets:
        assert by_id[f"{r.id}--{t.organisation}"]["data-round"] == r.id
    rounds = {o["value"] for o in article(public_site, "inspections").select("select[name=round] option") if o["value"]}
    assert rounds == {r.id for r, _, _ in pub.targets}


def csv_rows(text: str) -> list[dict]:
    """A downloaded CSV's rows keyed by field name: its header row is the fields' declared
    Chinese titles (generators/opendata.py), in the order of one of the tables' field lists."""
    from generators import opendata

    header, *rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    names = next(([f.name for f in fields] for key, fields in vars(opendata).items()
                  if key.endswith("_FIELDS") and [f.title for f in fields] == header), None)
    assert names, f"the header is not a table's declared titles: {header}"
    return [dict(zip(names, row, strict=True)) for row in rows]


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return csv_rows(raw.decode("utf-8-sig"))


def test_the_items_explorer_carries_no_list_of_organisations_or_owner_units(public_site):
    """Their lists are filled in the browser from the items loaded (tests/test_items_browser.py):
    as options in the HTML they made the page grow with the organisations (661 KB at x100)."""
    form = article(public_site, "items").select_one("form.lh-filters[data-items]")
    for name in ("organisation", "owner_unit"):
        select = form.select_one(f"select[name={name}]")
        assert select["data-fill"] == name and [o.get_text() for o in select.select("option")] == ["全部"]
    counties = [o["value"] for o in form.select("select[name=county] option") if o["value"]]
    items = json.loads((public_site / "open-data" / "items.json").read_text(encoding="utf-8"))
    assert counties and set(counties) == {i["county"] for i in items}


def test_items_csv_and_json_match_the_data_row_for_row(public_site, pub):
    rows = read_csv(public_site / "open-data" / "items.csv")
    data = json.loads((public_site / "open-data" / "items.json").read_text(encoding="utf-8"))
    expected = sorted((i for items in pub.items.values() for i in items), key=lambda i: i.id)
    assert sorted(r["id"] for r in rows) == [i.id for i in expected]
    assert [r["id"] for r in rows] == [d["id"] for d in data]
    by_id = {r["id"]: r for r in rows}
    json_by_id = {d["id"]: d for d in data}
    for item in expected:
        row, obj = by_id[item.id], json_by_id[item.id]
        for name in ("round", "organisation", "category", "priority", "description", "owner_unit", "status"):
            assert row[name] == getattr(item, name) == obj[name]
        assert row["deadline"] == item.deadline.isoformat() == obj["deadline"]
        assert row["done"] == (item.done.isoformat() if item.done else "")
        assert obj["done"] == (item.done.isoformat() if item.done else None)
        assert row["sample"] == ("是" if item.sample else "否") and obj["sample"] is item.sample
        assert (row["round_title"], row["county"]) == (obj["round_title"], obj["county"]) != ("", "")


def test_inspections_csv_counts_match_records(public_site, pub):
    rows = {r["id"]: r for r in read_csv(public_site / "open-data" / "inspections.csv")}
    assert len(rows) == len(pub.targets)
    for r, _, t in pub.targets:
        row = rows[f"{r.id}--{t.organisation}"]
        leads = pub.leads[(r.id, t.organisation)]
        items = pub.items[(r.id, t.organisation)]
        assert int(row["problems_found"]) == t.problems_found
        assert int(row["leads_handed_over"]) == len(leads)
        assert int(row["leads_concluded"]) == sum(lead.concluded is not None for lead in leads)
        assert int(row["items_done"]) == sum(i.status == "已完成" for i in items)
    assert not {"subject", "summary", "sanctioned"} & set(next(iter(rows.values())))


def test_every_public_list_downloadable_and_described(public_site):
    package = json.loads((public_site / "open-data" / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert names == {"inspections", "items", "rounds", "organisations", "figures", "rules", "timeline", "notices"}
    from generators.pages.opendata import cell

    for resource in package["resources"]:
        # the package describes the JSON (English names); the CSV's header is their Chinese titles
        assert resource["path"] == f"{resource['name']}.json"
        rows = read_csv(public_site / "open-data" / f"{resource['name']}.csv")
        data = json.loads((public_site / "open-data" / resource["path"]).read_text(encoding="utf-8"))
        assert len(rows) == len(data)
        assert data or resource["name"] == "notices", resource["name"]  # data/notices.yaml is optional
        header = next(csv.reader(io.StringIO((public_site / "open-data" / f"{resource['name']}.csv").read_text("utf-8-sig"))))
        assert header == [f["title"] for f in resource["schema"]["fields"]]
        assert not [h for h in header if re.search("[A-Za-z]", h)], header
        names = [f["name"] for f in resource["schema"]["fields"]]
        assert all(list(obj) == names for obj in data)
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)), "ids must be unique and stable"
        numbers = {f["name"] for f in resource["schema"]["fields"] if f["type"] == "number"}
        for row, obj in zip(rows, data, strict=True):  # the CSV and the JSON agree, row for row
            # a number's trailing zeros (3650.40) are in the CSV only: JSON numbers cannot carry them
            assert {k: v for k, v in row.items() if k not in numbers} == \
                {k: cell(v) for k, v in obj.items() if k not in numbers}, resource["name"]
            for k in numbers:
                assert (Decimal(row[k]) if row[k] else None) == (Decimal(str(obj[k])) if obj[k] is not None else None), k


def test_rules_and_timeline_downloads_match_the_public_records(public_site, dataset):
    rules = {r["id"]: r for r in read_csv(public_site / "open-data" / "rules.csv")}
    assert set(rules) == {r.id for r in dataset.rules if r.is_public}
    for rule in dataset.rules:
        if rule.is_public:
            row = rules[rule.id]
            assert row["title"] == rule.title and row["status"] == rule.status
            assert int(row["versions"]) == len(rule.revisions)
    events = [r["id"] for r in read_csv(public_site / "open-data" / "timeline.csv")]
    assert sorted(events) == sorted(e.id for e in dataset.timeline if e.is_public)


def test_datapackage_validates(public_site):
    import frictionless  # pinned in requirements-dev.txt: never skipped
    report = frictionless.validate(str(public_site / "open-data" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:10]


def test_csv_cells_cannot_run_as_spreadsheet_formulas():
    from generators.pages.opendata import cell

    assert cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert cell("+1") == "'+1" and cell("@x") == "'@x"
    assert cell("整改") == "整改" and cell(None) == "" and cell(True) == "是" and cell(False) == "否"
    assert cell(dt.date(2024, 1, 2)) == "2024-01-02"


def test_atom_feed_parses(public_site, pub):
    root = ET.parse(public_site / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}") is not None
    entries = root.findall(f"{ATOM}entry")
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids)) > 100
    dates = [e.find(f"{ATOM}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    assert all(d[:10] <= pub.as_of.isoformat() for d in dates)
    for e in entries:
        href = e.find(f"{ATOM}link").get("href")
        assert (public_site / href / "index.html").exists(), href
    announced = {i.split("/")[-2] for i in ids if i.endswith("/announcement")}
    assert announced == {f"{r.id}--{t.organisation}" for r, _, t in pub.targets
                         if min(t.stationed, t.announcement.reporting_from) <= pub.as_of}


def test_statistics_match_the_records(public_site, pub):
    done = [(r, t) for r, _, t in pub.targets if t.feedback]
    items = [i for r, t in done for i in pub.items[(r.id, t.organisation)]]
    leads = [lead for r, t in done for lead in pub.leads[(r.id, t.organisation)]]
    doc = article(public_site, "statistics")
    heading = next(h for h in doc.find_all("h2") if "由本站记录计算的数字" in h.get_text())
    total_row = [td.get_text(strip=True) for td in heading.find_next("table").select("tbody td")]
    # inspected organisations: a target covering 25 units counts 25, a 重点了解 none
    counted = sum(0 if t.focus_only else t.counts_as for _, t in done)
    assert counted != len(done)  # the sample has both kinds of target
    assert total_row[:3] == [str(counted), str(sum(t.problems_found for _, t in done)), str(len(leads))]
    concluded = sum(lead.concluded is not None for lead in leads)
    assert total_row[3] == str(concluded)
    assert total_row[4] == f"{round(100 * concluded / len(leads), 1):g}%"
    done_items = sum(i.status == "已完成" for i in items)
    assert total_row[5:7] == [str(len(items)), str(done_items)]
    overdue = sum(i.status in OPEN and i.current_deadline < pub.as_of for i in items)
    assert total_row[7] == str(overdue)
    assert total_row[8] == f"{round(100 * done_items / len(items), 1):g}%"
    stats = json.loads((public_site / "open-data" / "statistics.json").read_text(encoding="utf-8"))
    assert stats["total"]["items"] == len(items) and stats["total"]["overdue"] == overdue
    per_year: Counter[int] = Counter()
    for r, t in done:
        per_year[r.year] += 0 if t.focus_only else t.counts_as
    assert {k: v["inspections"] for k, v in stats["by_year"].items()} == {str(k): v for k, v in per_year.items()}


def test_charts_are_svg_with_text_and_a_table_beneath(public_site):
    doc = article(public_site, "statistics")
    charts = doc.select("figure.lh-chart svg")
    assert len(charts) >= 3
    for svg in charts:
        assert svg.get("role") == "img" and svg.find("title").get_text()
        assert [t.get_text() for t in svg.find_all("text")], "labels and values are text"
        assert not svg.find_all("image") and not svg.find_all("foreignobject")
        assert svg.find_parent("figure").find_next("table") is not None, "a data table follows"
    year_chart = doc.select_one("svg[aria-labelledby=chart-problems-year-title]")
    texts = [t.get_text() for t in year_chart.find_all("text")]
    heading = next(h for h in doc.find_all("h3") if h.get_text(strip=True).startswith("按年度"))
    table = heading.find_next("table")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
    assert texts[0::2] == [r[0] for r in rows]  # years
    assert texts[1::2] == [r[2] for r in rows]  # problems found, same numbers as the table


def test_cross_versus_regular_comparison_shown_with_the_article_figures(public_site, dataset):
    text = article(public_site, "statistics").get_text(" ", strip=True)
    figures = dataset.by_id("figures")
    assert f"{figures['f-cross-problems-ratio'].value:g}倍" in text
    assert f"{figures['f-cross-sanctions-ratio'].value:g}倍" in text
    assert "市委交叉巡察" in text and "同期县区常规巡察" in text


def test_five_sunshine_areas(public_site, dataset):
    slugs = {"阳光党务": "party", "阳光政务": "government", "阳光司法": "judicial",
             "阳光村务": "village", "阳光民生": "livelihood"}
    for area, slug in slugs.items():
        doc = article(public_site, f"sunshine/{slug}")
        assert doc.find("h1").get_text(strip=True).startswith(area)
        linked = {a["href"].rstrip("/").split("/")[-1] for a in doc.select("a[href*='organisations/']")}
        expected = {o.id for o in dataset.organisations if o.sunshine == area and o.is_public}
        assert linked == expected


def test_every_public_page_under_100_kb(public_site):
    sizes = {str(p.relative_to(public_site)): p.stat().st_size for p in html_files(public_site)}
    over = {k: v for k, v in sizes.items() if v > 100_000}
    assert over == {}, f"pages over 100 KB (by how much): { {k: v - 100_000 for k, v in over.items()} }"


def test_pages_of_sample_inspections_say_so(public_site, pub):
    for r, _, t in pub.targets[:40]:
        doc = soup(public_site / "inspections" / f"{r.id}--{t.organisation}" / "index.html")
        if r.sample:
            assert doc.select_one("article .admonition-title").get_text(strip=True) == "示例数据"


def test_announcement_is_shown_as_current_while_reports_are_taken(dataset):
    """On a day inside a team's reporting window, its page and 正在巡察 say 正在受理
    (the shipped as-of date falls in no window, so the generators are run on a moved date)."""
    import datetime as dt

    from generators.dataset import Dataset
    from generators.pages import generate

    rnd, target = next((r, t) for r in dataset.rounds if r.is_public for _, t in r.targets
                       if dataset.by_id("organisations")[t.organisation].is_public)
    day = target.announcement.reporting_from + dt.timedelta(days=1)
    assert day <= target.announcement.reporting_until and (not target.feedback or day < target.feedback)
    records = dict(dataset.records, site=[dataset.site[0].model_copy(update={"as_of": day})])
    pages = {p.path: p.markdown for p in generate(Dataset(data_dir=dataset.data_dir, records=records), "public")}
    page = pages[f"inspections/{rnd.id}--{target.organisation}.md"]
    assert '!!! info "正在受理来信来电来访"' in page
    current = pages["current.md"]
    section = current.split(f"inspections/{rnd.id}--{target.organisation}.md")[1].split("\n## ")[0]
    assert "**正在受理**" in section
    # open channels come first, on 正在巡察 and on the home page, with the phone to tap
    assert current.index("## 正在受理") < current.index(f"inspections/{rnd.id}--{target.organisation}.md")
    assert "## 即将受理" not in current or current.index("## 正在受理") < current.index("## 即将受理")
    home = pages["index.md"]
    first = home.split("## 向巡察组反映问题")[1].split("\n### ")[1]
    assert "**正在受理**" in first and "(tel:" in first and "目前没有正在受理" not in home


def test_home_is_a_portal(public_site, pub, dataset):
    """Where to report first, then 12388, then entry points, the latest notices and the figures."""
    doc = article(public_site, "")
    headings = [h.get_text(" ", strip=True).rstrip("¶").strip() for h in doc.select("h2")]
    assert headings[:5] == ["向巡察组反映问题", "按县区和巡察类型查看", "最新公告通报", "文章中的数字", "本站记录"]
    current = current_targets(pub)
    receiving = sorted((k for k, (_, t) in current.items() if reporting_state(pub, t) != "受理已截止"),
                       key=lambda k: (reporting_state(pub, current[k][1]) != "正在受理",
                                      current[k][1].announcement.reporting_from, k))
    cards = [h for h in doc.select("h3") if h.select_one("a[href*='inspections/']")]
    assert inspection_links(cards) == receiving[:3]
    first = current[receiving[0]][1].announcement
    assert cards[0].find_next("ul").select_one(f"a[href='{tel(first.phone)}']") is not None
    # 12388 right after the channels, before the entry points
    text = str(doc)
    assert text.index(tel(first.phone)) < text.index("tel:12388") < text.index("按县区和巡察类型查看")
    def under(heading: str):
        return next(h for h in doc.select("h2") if heading in h.get_text()).find_next(["p", "ul"])

    entry = under("按县区")
    counties = {dataset.by_id("bodies")[o.county].short_name for o in pub.orgs.values()}
    assert {a.get_text(strip=True) for a in entry.select("a")} <= counties and "?county=" in entry.a["href"]
    # the latest notices, newest first, dated in words
    notices = under("最新公告通报").select("li")
    public_notices = sorted((n for n in dataset.notices if n.is_public and n.round in pub.rounds
                             and (n.organisation is None or n.organisation in pub.orgs) and n.date <= pub.as_of),
                            key=lambda n: (n.date, n.id), reverse=True)
    assert [li.a["href"].rstrip("/").split("/")[-1] for li in notices] == [n.id for n in public_notices[:5]]
    d = public_notices[0].date
    assert notices[0].get_text().startswith(f"{d.year}年{d.month}月{d.day}日")
    # the headline figures name their source
    figures = under("文章中的数字").find_next("p").get_text()
    source = dataset.sources[0]
    assert f"{source.publication}《{source.title}》" in figures


def test_lists_are_newest_first_and_unknown_is_not_zero(public_site, pub, dataset):
    # rounds: newest first; a round with no feedback yet shows — for problems and leads, never 0
    rows = article(public_site, "rounds").select("table tbody tr")
    ids = [tr.a["href"].rstrip("/").split("/")[-1] for tr in rows]
    by_start = sorted(pub.rounds.values(), key=lambda r: (r.start, r.id), reverse=True)
    assert ids == [r.id for r in by_start][:len(ids)]
    unfed = [r for r in pub.rounds.values() if all(not t.feedback or t.feedback > pub.as_of for _, t in r.targets)]
    assert unfed
    for tr in rows:
        rid = tr.a["href"].rstrip("/").split("/")[-1]
        cells = [td.get_text(strip=True) for td in tr.select("td")]
        if any(r.id == rid for r in unfed):
            assert cells[4:6] == ["—", "—"], cells
    rnd = unfed[0]
    for tr in article(public_site, f"rounds/{rnd.id}").select("table")[1].select("tbody tr"):
        assert [td.get_text(strip=True) for td in tr.select("td")][5:7] == ["—", "—"]
    start = rnd.start
    assert f"{start.year}年{start.month}月{start.day}日" in article(public_site, f"rounds/{rnd.id}").get_text()
    org = next(t.organisation for _, t in rnd.targets if t.organisation in pub.orgs)  # and on its organisation's page
    row = next(tr for tr in article(public_site, f"organisations/{org}").select("table tbody tr")
               if tr.a and rnd.id in tr.a["href"])
    assert [td.get_text(strip=True) for td in row.select("td")][4:6] == ["—", "—"]
    # inspections: the latest stationed first
    first = article(public_site, "inspections").select_one("#lh-inspections tbody tr a")["href"]
    latest = max(pub.targets, key=lambda rt: (rt[2].stationed, rt[0].id, rt[2].organisation))
    assert first.rstrip("/").split("/")[-1] == f"{latest[0].id}--{latest[2].organisation}"


def test_unpublished_build_asks_for_no_versions_json_and_names_no_commit(public_site, dataset):
    """A build that is no edition has no version selector (its ../versions.json would be a 404 on
    every page); its footer says it is a preview, as of when, in words."""
    d = dataset.as_of
    for rel in ("", "rounds", f"rules/{next(r.id for r in dataset.rules if r.is_public)}"):
        doc = soup(public_site / rel / "index.html")
        assert json.loads(doc.find(id="__config").string)["version"] is None
        footer = doc.select_one("[data-luohe-edition]")
        assert not footer.has_attr("data-luohe-data-commit")
        assert f"本站预览版(未正式发布),数据截至{d.year}年{d.month}月{d.day}日" in footer.get_text(" ", strip=True)


PHONE = re.compile(r"(?<![\d-])(?:0\d{2,3}-\d{7,8}|12388)(?![\d-])")
MAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def test_every_number_and_address_shown_is_a_link(public_site):
    """On the pages that show contacts (home, 正在巡察, 如何反映问题, each inspection and notice), no
    phone number or e-mail address is left as plain text: each is a tel: or mailto: link."""
    pages = [public_site / "index.html", public_site / "current" / "index.html",
             public_site / "how-to-report" / "index.html",
             *(public_site / "inspections").glob("*/index.html"), *(public_site / "notices").glob("*/index.html")]
    assert len(pages) > 300
    plain = []
    for path in pages:
        html = path.read_text(encoding="utf-8")
        body = html[html.index("<article"):html.index("</article>")]
        text = re.sub(r"<a\b[^>]*>.*?</a>|<[^>]+>", " ", body, flags=re.S)  # what is not inside a link
        plain += [(path.parent.name, m) for m in PHONE.findall(text) + MAIL.findall(text)]
    assert plain == []
