"""Notices as pages (generators/pages/notices.py): one page per notice in the order offices
publish them, the list of notices, their place on the round and inspection pages, the feed
and the `notices` download.

A copy of the project gets a data/notices.yaml written here: for one inspection (A) an
announcement, its feedback and a rectification notice checked against the ledger, with
one of its items edited so that it was completed only after the notice's date; for a round
with no ledger (B) a round-wide notice given only as totals (a rate of 97.35, 3650.40 万元);
and an internal notice. Most checks read the generated Markdown (fast); one real MkDocs
build checks what a reader sees."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from generators import build
from generators.checks import recorded_totals
from generators.dataset import Dataset
from generators.labels import title
from generators.load import load
from generators.model import Announcement, Outcomes, RectificationItem, Totals
from generators.numbers import exact_rate
from generators.opendata import NOTICE_FIELDS
from generators.pages.notices import cn_date
from generators.text import mailto, md, tel

from .conftest import copy_project, mkdocs_build
from .test_portal import csv_rows

ATOM = "{http://www.w3.org/2005/Atom}"
INTERNAL_NOTICE = "内部专报NOTICEMARKER"
INTERNAL_NOTES = "内部备注NOTESMARKER"
PUBLISHER_A = "中共漯河市委巡察工作领导小组办公室"
PUBLISHER_ORG = "被巡察党组织整改工作领导小组"


@dataclass
class Setup:
    project: Path
    ds: Dataset  # the copy's data, notices included
    round_a: str
    org_a: str
    round_b: str
    moved: str  # the item completed only after the progress notice's date
    progress_date: dt.date
    completed_later: dt.date
    ledger_public: dict[str, int]  # the public ledger of A's scope on the notice's date
    ledger_now: dict[str, int]  # the same items' counts on the as-of date


def _scope(ds: Dataset, round_id: str, org: str, public: bool = False) -> list[RectificationItem]:
    return [i for i in ds.items if i.round == round_id and i.organisation == org and (i.is_public or not public)]


def _choose_a(ds: Dataset):
    """A public inspection with feedback, at least three public items and a completed public
    item, early enough that the notice and the later completion both fall before as_of."""
    orgs = ds.by_id("organisations")
    for rnd in sorted(ds.rounds, key=lambda r: r.id):
        if not rnd.is_public:
            continue
        for team, target in rnd.targets:
            items = _scope(ds, rnd.id, target.organisation)
            done = [i for i in items if i.is_public and i.status == "已完成"]
            if (target.feedback and target.feedback + dt.timedelta(days=60) <= ds.as_of and len(items) >= 3
                    and done and orgs[target.organisation].is_public):
                return rnd, team, target, done[0]
    raise AssertionError("no inspection fits")


def _choose_b(ds: Dataset):
    """A public round with feedback everywhere and no ledger at all: known from its totals only."""
    with_items = {i.round for i in ds.items}
    for rnd in sorted(ds.rounds, key=lambda r: r.id):
        feedbacks = [t.feedback for _, t in rnd.targets]
        if rnd.is_public and rnd.id not in with_items and all(feedbacks):
            return rnd
    raise AssertionError("no round without items")


def _complete_later(items_yaml: Path, item_id: str, feedback: dt.date, later: dt.date) -> None:
    """Rewrite one item's record: 整改中 from the feedback, 已完成 only on `later`."""
    text = items_yaml.read_text(encoding="utf-8")
    start = text.index(f"- id: {item_id}\n")
    end = text.find("\n- id: ", start) + 1 or len(text)
    record = yaml.safe_load(text[start:end])[0]
    record.update(status="已完成", done=later.isoformat(), history=[
        {"date": feedback.isoformat(), "status": "整改中", "note": "制定整改方案"},
        {"date": later.isoformat(), "status": "已完成", "note": "整改到位,经验收销号"},
    ])
    record.pop("unfinished_reason", None)
    block = yaml.safe_dump([record], allow_unicode=True, sort_keys=False, width=10**6)
    items_yaml.write_text(text[:start] + block + text[end:], encoding="utf-8")


def _notices_yaml(rnd_a, org_a, stationed, feedback, progress, totals, rnd_b, b_date) -> str:
    rate = exact_rate(totals["completed"], totals["problems"], 2)
    return f"""\
- id: t-announce
  sample: true
  audience: public
  kind: 巡察公告
  round: {rnd_a}
  organisation: {org_a}
  date: '{(stationed - dt.timedelta(days=1)).isoformat()}'
  publisher: {PUBLISHER_A}
- id: t-feedback
  sample: false
  audience: public
  kind: 反馈情况
  round: {rnd_a}
  organisation: {org_a}
  date: '{feedback.isoformat()}'
  publisher: {PUBLISHER_A}
  attendees: 巡察组组长、副组长,被巡察党组织领导班子成员
  problems_summary:
  - 落实主体责任不够有力
  - 选人用人把关不严
  recommendations:
  - 建立问题清单、任务清单、责任清单
- id: t-progress
  sample: false
  audience: public
  kind: 整改进展情况
  round: {rnd_a}
  organisation: {org_a}
  date: '{progress.isoformat()}'
  publisher: {PUBLISHER_ORG}
  organising: 召开专题会议研究部署,成立整改工作领导小组。
  measures:
  - category: 落实主体责任不够有力
    measures: 逐项制定整改措施,明确责任人和完成时限。
  totals:
    problems: {totals["problems"]}
    completed: {totals["completed"]}
    basically_completed: {totals["basically_completed"]}
    not_completed: {totals["not_completed"]}
    rate: {rate}
  outcomes:
    systems: 6
    funds_recovered: 3650.40
    filed: 3
    sanctioned: 2
    criticised: 0
  next_steps: 持续巩固整改成果,健全长效机制。
  contact:
    phone: 0395-3100000
    post_box: 漯河市100号邮政信箱
    email: zhenggai@luohe.example
  internal_notes: {INTERNAL_NOTES}
- id: t-round-b
  sample: false
  audience: public
  kind: 整改情况通报
  round: {rnd_b}
  date: '{b_date.isoformat()}'
  publisher: {PUBLISHER_A}
  totals:
    problems: 151
    completed: 147
    basically_completed: 4
    rate: 97.35
  outcomes:
    funds_returned: 12.508
    funds_recovered: 3650.40
    filed: 5
    sanctioned: 3
- id: t-internal
  sample: false
  audience: internal
  kind: 整改情况通报
  round: {rnd_a}
  date: '{progress.isoformat()}'
  publisher: {PUBLISHER_A}
  title: {INTERNAL_NOTICE}
"""


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> Setup:
    project = copy_project(tmp_path_factory.mktemp("notices") / "project")
    data = project / "data"
    ds = load(data)
    rnd_a, _, target, item = _choose_a(ds)
    rnd_b = _choose_b(ds)
    assert target.feedback is not None
    progress = target.feedback + dt.timedelta(days=30)
    later = progress + dt.timedelta(days=10)
    _complete_later(data / "items.yaml", item.id, target.feedback, later)
    (data / "notices.yaml").unlink(missing_ok=True)
    edited = load(data)  # the edit validates; the ledger as it now reads
    ledger_all = recorded_totals(_scope(edited, rnd_a.id, target.organisation), progress)
    public = _scope(edited, rnd_a.id, target.organisation, public=True)
    b_date = max(t.feedback for _, t in rnd_b.targets if t.feedback) + dt.timedelta(days=60)
    (data / "notices.yaml").write_text(_notices_yaml(
        rnd_a.id, target.organisation, target.stationed, target.feedback, progress, ledger_all,
        rnd_b.id, min(b_date, edited.as_of)), encoding="utf-8")
    return Setup(project, load(data), rnd_a.id, target.organisation, rnd_b.id, item.id, progress, later,
                 recorded_totals(public, progress), recorded_totals(public, edited.as_of))


@pytest.fixture(scope="module")
def public(setup) -> dict[str, str]:
    pages, problems = build(setup.project / "data", "public")
    assert pages, "\n".join(map(str, problems))
    return {p.path: p.markdown for p in pages}


@pytest.fixture(scope="module")
def internal(setup) -> dict[str, str]:
    pages, problems = build(setup.project / "data", "internal")
    assert pages, "\n".join(map(str, problems))
    return {p.path: p.markdown for p in pages}


def row(label: str, value: str) -> str:
    """A Markdown table row as the templates write it (every value escaped)."""
    return f"| {md(label)} | {md(value)} |"


# --- the generated Markdown -------------------------------------------------------------------


def test_the_announcement_says_who_inspects_whom_and_how_to_report(setup, public):
    page = public["notices/t-announce.md"]
    rnd = setup.ds.by_id("rounds")[setup.round_a]
    team, target = next((tm, tg) for tm, tg in rnd.targets if tg.organisation == setup.org_a)
    org = setup.ds.by_id("organisations")[setup.org_a]
    a = target.announcement
    assert md(team.name) in page and md(org.name) in page
    assert cn_date(target.stationed) in page and cn_date(target.left or a.reporting_until) in page
    assert "领导班子及其成员、下一级党组织领导班子主要负责人和重要岗位领导干部问题的来信、来电、来访" in page
    assert "不属于巡察受理范围" in page and "有关主管部门" in page
    assert f"{cn_date(a.reporting_from)}至{cn_date(a.reporting_until)}" in page
    shown = {"phone": tel(a.phone), "mailbox": mailto(a.mailbox), "post_box": md(a.post_box), "hours": md(a.hours)}
    for name, value in shown.items():  # the number and the address as tap-to-call and mail links
        assert f"{md(title(Announcement, name))}:{value}" in page, name
    assert "[12388](tel:12388)" in page  # the national line, from site.yaml
    assert page.rstrip().endswith(f"{PUBLISHER_A}\n\n{cn_date(setup.ds.by_id('notices')['t-announce'].date)}")
    assert "示例数据" in page  # sample: true


def test_the_feedback_notice_gives_the_date_attendees_problems_and_recommendations(setup, public):
    page = public["notices/t-feedback.md"]
    notice = setup.ds.by_id("notices")["t-feedback"]
    target = next(tg for _, tg in setup.ds.by_id("rounds")[setup.round_a].targets if tg.organisation == setup.org_a)
    assert cn_date(target.feedback) + "," in page
    assert md(notice.attendees) in page
    for text in notice.problems_summary + notice.recommendations:
        assert md(text) in page
    assert page.rstrip().endswith(f"{PUBLISHER_A}\n\n{cn_date(notice.date)}")


def test_the_rectification_notice_follows_the_offices_order(setup, public):
    page = public["notices/t-progress.md"]
    order = ["一、整改组织情况", "二、整改措施和进展", "(一)落实主体责任不够有力", "三、整改数字",
             "四、整改成果", "五、下一步工作", "欢迎广大干部群众", "联系电话", md("0395-3100000"),
             md("zhenggai@luohe.example"), f"{PUBLISHER_ORG}\n\n{cn_date(setup.progress_date)}"]
    found = [page.find(text) for text in order]  # as written (values escaped as the templates do)
    assert -1 not in found, dict(zip(order, found, strict=True))
    assert found == sorted(found)
    # labels from the declarations, values as published
    for name in ("problems", "completed", "basically_completed", "not_completed"):
        value = getattr(setup.ds.by_id("notices")["t-progress"].totals, name)
        assert row(title(Totals, name), f"{value} 个") in page
    assert row(title(Outcomes, "filed"), "3 件") in page  # cases
    assert row(title(Outcomes, "sanctioned"), "2 人") in page  # people
    assert row(title(Outcomes, "criticised"), "0 人") in page  # published as 0: shown as 0
    assert row(title(Outcomes, "funds_recovered"), "3650.40") in page


def test_figures_keep_their_published_digits_and_unknown_is_never_zero(setup, public):
    page = public["notices/t-round-b.md"]
    assert row(title(Totals, "rate"), "97.35%") in page
    assert row(title(Outcomes, "funds_recovered"), "3650.40") in page
    assert row(title(Outcomes, "funds_returned"), "12.508") in page
    for name in ("long_term", "not_completed"):  # not published
        assert row(title(Totals, name), "—(未公布)") in page
        assert row(title(Totals, name), "0 个") not in page
    missing = page.split("通知未公布:")[1].split("。")[0]
    assert md(title(Outcomes, "democratic_life_meetings")) in missing and md(title(Outcomes, "filed")) not in missing
    assert "按整改台账" not in page  # a round known only from its totals
    progress = public["notices/t-progress.md"]
    assert row(title(Totals, "long_term"), "—(未公布)") in progress


def test_the_ledger_is_counted_on_the_notices_date(setup, public):
    """The item completed after the notice's date counts as not completed on the notice."""
    page = public["notices/t-progress.md"]
    moved = setup.ds.by_id("items")[setup.moved]
    assert moved.status == "已完成" and moved.status_on(setup.progress_date) == "整改中"
    assert setup.ledger_now["completed"] > setup.ledger_public["completed"]
    ledger = page.split("按整改台账,截至" + cn_date(setup.progress_date), 1)[1]
    for name in ("problems", "completed", "not_completed"):
        assert row(title(Totals, name), f"{setup.ledger_public[name]} 项") in ledger, name
    assert row(title(Totals, "completed"), f"{setup.ledger_now['completed']} 项") not in ledger


def test_round_and_inspection_pages_list_their_notices_newest_first(setup, public):
    inspection = public[f"inspections/{setup.round_a}--{setup.org_a}.md"]
    links = ["../notices/t-progress.md", "../notices/t-feedback.md", "../notices/t-announce.md"]
    at = [inspection.find(f"]({href})") for href in links]
    assert -1 not in at and at == sorted(at)
    rnd = public[f"rounds/{setup.round_a}.md"]
    at = [rnd.find(f"]({href})") for href in links]
    assert -1 not in at and at == sorted(at)
    assert "t-round-b" not in rnd and "t-internal" not in rnd
    round_b = setup.ds.by_id("rounds")[setup.round_b]
    assert "](../notices/t-round-b.md)" in public[f"rounds/{setup.round_b}.md"]
    orgs = setup.ds.by_id("organisations")
    for _, target in round_b.targets:  # a round-wide notice is on each of its inspections' pages
        if not orgs[target.organisation].is_public:
            continue
        assert "](../notices/t-round-b.md)" in public[f"inspections/{setup.round_b}--{target.organisation}.md"]
    index = public["notices/index.md"]
    assert f"共 {sum(n.is_public for n in setup.ds.notices)} 件" in index
    order = sorted((n for n in setup.ds.notices if n.is_public), key=lambda n: (n.date, n.id), reverse=True)
    at = [index.find(f"]({n.id}.md)") for n in order]
    assert -1 not in at and at == sorted(at)


def test_internal_notices_and_notes_only_in_the_internal_build(public, internal):
    for text in (INTERNAL_NOTICE, INTERNAL_NOTES, "t-internal"):
        assert not [path for path, page in public.items() if text in page], text
    assert "notices/t-internal.md" in internal
    assert INTERNAL_NOTES in internal["notices/t-progress.md"]
    assert "t-internal" in internal["feed.xml"] and "t-internal" in internal["open-data/notices.csv"]


def test_the_notices_table_has_every_published_figure_with_its_declared_title():
    fields = {f.name: f for f in NOTICE_FIELDS}
    for model in (Totals, Outcomes):
        for name, declared in model.model_fields.items():
            assert fields[name].title == declared.title, name
            amount = "万元" in (declared.title or "") or name == "rate"
            assert fields[name].type == ("number" if amount else "integer"), name
    for name in ("kind", "round", "round_title", "organisation", "organisation_name", "date", "publisher", "title"):
        assert name in fields


# --- what a reader sees: one real build ---------------------------------------------------------


@pytest.fixture(scope="module")
def site(setup, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("notices-site")
    result = mkdocs_build(setup.project, "public", out)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


def html(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel / "index.html").read_text(encoding="utf-8"), "html.parser")


def cells(table) -> dict[str, str]:
    return {tr.find_all("td")[0].get_text(strip=True): tr.find_all("td")[1].get_text(strip=True)
            for tr in table.select("tbody tr")}


def test_the_reader_sees_figures_as_published(setup, site):
    doc = html(site, "notices/t-round-b")
    article = doc.select_one("article")
    totals, outcomes = [cells(t) for t in article.select("table")]
    assert totals[title(Totals, "rate")] == "97.35%"
    assert totals[title(Totals, "problems")] == "151 个"
    for name in ("long_term", "not_completed"):
        assert totals[title(Totals, name)] == "—(未公布)"
    assert outcomes[title(Outcomes, "funds_recovered")] == "3650.40"
    assert outcomes[title(Outcomes, "funds_returned")] == "12.508"
    assert outcomes[title(Outcomes, "sanctioned")] == "3 人" and outcomes[title(Outcomes, "filed")] == "5 件"
    assert title(Outcomes, "democratic_life_meetings") not in outcomes
    assert "3650.40" in article.get_text() and "97.35%" in article.get_text()


def test_the_reader_sees_the_ledger_of_the_notices_day(setup, site):
    doc = html(site, "notices/t-progress")
    tables = doc.select("article table")
    published, ledger = cells(tables[0]), cells(tables[1])
    assert published[title(Totals, "long_term")] == "—(未公布)"
    assert ledger[title(Totals, "completed")] == f"{setup.ledger_public['completed']} 项"
    assert ledger[title(Totals, "completed")] != f"{setup.ledger_now['completed']} 项"
    assert "按整改台账,截至" + cn_date(setup.progress_date) in doc.get_text()
    assert "示例数据" in html(site, "notices/t-announce").get_text()
    inspection = html(site, f"inspections/{setup.round_a}--{setup.org_a}")
    assert inspection.select_one('article a[href$="notices/t-progress/"]') is not None


def test_the_feed_and_the_download_carry_the_notice(setup, site):
    root = ET.parse(site / "feed.xml").getroot()
    entries = {e.find(f"{ATOM}id").text: e for e in root.findall(f"{ATOM}entry")}
    entry = entries["tag:luohe.example,2024:notices/t-progress"]
    assert entry.find(f"{ATOM}updated").text.startswith(setup.progress_date.isoformat())
    assert (site / entry.find(f"{ATOM}link").get("href") / "index.html").exists()
    raw = (site / "open-data" / "notices.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = {r["id"]: r for r in csv_rows(raw.decode("utf-8-sig"))}
    b = rows["t-round-b"]
    assert (b["rate"], b["funds_recovered"], b["funds_returned"]) == ("97.35", "3650.40", "12.508")
    assert b["long_term"] == b["not_completed"] == b["organisation"] == ""  # unknown, not 0
    assert b["kind"] == "整改情况通报" and b["round"] == setup.round_b and b["publisher"] == PUBLISHER_A
    progress = rows["t-progress"]
    assert progress["completed"] == str(setup.ds.by_id("notices")["t-progress"].totals.completed)
    assert progress["date"] == setup.progress_date.isoformat() and progress["organisation"] == setup.org_a
    assert "t-internal" not in rows


def test_nothing_internal_reaches_the_public_site(site):
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".csv", ".json"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            for marker in (INTERNAL_NOTICE, INTERNAL_NOTES, "t-internal"):
                assert marker not in text, (path, marker)
