"""The article's systems as records (data/systems.yaml, data/system_records.yaml): bad records
are refused where they are, there is no place for a person's name, the system pages are in the
internal site only (test_privacy.py's canary build covers their data), and the article's
figures are checked against the records, which the figures page says (and a disagreement is
reported at the figure, naming the records' file)."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup

from generators.model import SystemRecord
from generators.pipeline import validate

from .conftest import ROOT
from .privacy import normalised
from .test_schema import validator

GOOD = """- id: jr-test
  sample: true
  audience: internal
  system: joint-review
  kind: 四方会审
  title: 测试用四方会审
  date: '2020-03-01'
  body: luohe
  rounds:
  - r-2019-luohe-1
  organisations:
  - o-city-03
"""


def data_copy(tmp_path: Path) -> Path:
    folder = (tmp_path / "data").resolve()
    shutil.copytree(ROOT / "data", folder)
    return folder


def append(folder: Path, snippet: str) -> int:
    """Append records to system_records.yaml; the line the snippet starts on."""
    path = folder / "system_records.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + snippet, encoding="utf-8")
    return text.count("\n") + 1


def errors(folder: Path) -> list[str]:
    """Each error as FILE:LINE:COL: path: message, the file given as an absolute path."""
    ds, problems = validate(folder)
    assert ds is None
    return [str(p).replace(p.file, str(Path(p.file).resolve()), 1) for p in problems if p.severity == "error"]


def test_a_good_record_is_accepted_control(tmp_path):
    folder = data_copy(tmp_path)
    append(folder, GOOD)
    ds, problems = validate(folder)
    assert ds is not None, [str(p) for p in problems]


def test_a_name_field_and_bad_values_are_refused_at_their_lines(tmp_path):
    """Faults of a record on its own, all reported in one run: a field for a person's name
    (there is none), an end before the start, an evaluation kind on a meeting."""
    folder = data_copy(tmp_path)
    named = append(folder, GOOD.replace("jr-test", "jr-named").replace("body: luohe", "body: luohe\n  chair: 张三"))
    ends = append(folder, GOOD.replace("jr-test", "jr-ends").replace("body: luohe", "body: luohe\n  until: '2019-01-01'"))
    rated = append(folder, GOOD.replace("jr-test", "jr-rated").replace("body: luohe", "body: luohe\n  evaluation: 群众评议"))
    where = str(folder / "system_records.yaml")
    found = errors(folder)
    assert any(e.startswith(f"{where}:{named + 8}:") and "chair: 未知字段" in e for e in found), found
    assert any(e.startswith(f"{where}:{ends + 8}:") and "结束日期 2019-01-01 早于开始日期 2020-03-01" in e
               for e in found), found
    assert any(e.startswith(f"{where}:{rated}:") and "成效评估须写明评价方式(evaluation),其他记录不写" in e
               for e in found), found


def test_bad_references_are_refused_at_their_lines(tmp_path):
    """Faults across records, all reported in one run: unknown round and rule, an organisation
    its rounds did not inspect, a kind of record its system does not keep."""
    folder = data_copy(tmp_path)
    refs = append(folder, GOOD.replace("jr-test", "jr-refs").replace("r-2019-luohe-1", "r-1999-nowhere")
                  .replace("body: luohe", "body: luohe\n  rules:\n  - rule-nope"))
    kind = append(folder, GOOD.replace("jr-test", "jr-kind").replace("kind: 四方会审", "kind: 全市反馈大会"))
    where = str(folder / "system_records.yaml")
    found = errors(folder)
    assert any(e.startswith(f"{where}:{refs + 9}:") and "引用了不存在的制度 'rule-nope'" in e for e in found), found
    assert any(e.startswith(f"{where}:{refs + 11}:") and "引用了不存在的巡察轮次 'r-1999-nowhere'" in e
               for e in found), found
    assert any(e.startswith(f"{where}:{refs + 13}:") and "不是本记录所列轮次的巡察对象" in e for e in found), found
    assert any(e.startswith(f"{where}:{kind + 4}:") and "机制“四方会审”没有“全市反馈大会”这类记录" in e
               for e in found), found


def test_no_field_can_hold_a_name():
    """By design: participants are units, posts and counts. No field is declared named()."""
    assert not [n for n, f in SystemRecord.model_fields.items()
                if isinstance(f.json_schema_extra, dict) and f.json_schema_extra.get("named")]
    assert {"chair", "speaker", "person", "attendees_names"}.isdisjoint(SystemRecord.model_fields)
    assert list(validator("system_records").iter_errors([{**_first(), "chair": "张三"}]))


def _first() -> dict:
    from .test_schema import records

    return records("system_records")[0]


def test_a_record_count_that_disagrees_with_the_article_is_reported_at_the_figure(tmp_path):
    folder = data_copy(tmp_path)
    path = folder / "system_records.yaml"
    text = path.read_text(encoding="utf-8")
    # drop the 23rd 书记专题会: 22 meetings where the article says 23
    start = text.index("- id: sm-", text.index("第23次书记专题会") - 200)
    end = text.index("\n- id: ", start) + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    figures = (folder / "figures.yaml").read_text(encoding="utf-8").splitlines()
    at = figures.index("- id: f-secretary-meetings")
    value_line = next(i for i in range(at, len(figures)) if figures[i].strip().startswith("value:")) + 1
    found = errors(folder)
    meeting = [e for e in found if e.startswith(f"{folder / 'figures.yaml'}:{value_line}:")]
    assert meeting, found
    assert "文章数字为 23次" in meeting[0] and "相差 -1" in meeting[0] and "共 22 条" in meeting[0]
    assert "记录见" in meeting[0] and "system_records.yaml" in meeting[0]


def _system_pages() -> list[str]:
    from generators.load import load

    return [f"systems/{s.id}/index.html" for s in load(ROOT / "data").systems]


def test_system_pages_are_in_the_internal_site_only(internal_site, public_site):
    pages = _system_pages()
    assert len(pages) >= 9
    for page in ["systems/index.html", *pages]:
        assert (internal_site / page).exists(), page
        assert not (public_site / page).exists(), page
    assert not (public_site / "systems").exists()
    index = BeautifulSoup((internal_site / "systems/index.html").read_text(encoding="utf-8"), "html.parser")
    assert "书记推动" in index.find("article").get_text()
    nav = BeautifulSoup((internal_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert any(a.get_text(strip=True) == "机制与记录" for a in nav.select("nav a"))
    meetings = BeautifulSoup((internal_site / "systems/secretary-push/index.html").read_text(encoding="utf-8"),
                             "html.parser").find("article")
    text = meetings.get_text()
    assert "示例数据" in text and "第1次书记专题会暨巡察工作领导小组会(示例)" in text
    assert meetings.select('a[href$="rules/rule-secretary-hearing/"]')
    public_text = " ".join(normalised(p) for p in public_site.rglob("*.html"))
    assert "第1次书记专题会暨巡察工作领导小组会" not in public_text and "机制与记录" not in public_text


def _figure_rows(site: Path) -> dict[str, str]:
    soup = BeautifulSoup((site / "figures/index.html").read_text(encoding="utf-8"), "html.parser")
    rows = {}
    for tr in soup.select("article table tr"):
        cells = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        if cells:
            rows[cells[1] + "|" + cells[0]] = cells[-1]
    return rows


def test_figures_page_marks_the_figures_checked_against_system_records(public_site):
    rows = _figure_rows(public_site)
    meetings = rows["先后主持召开23次书记专题会暨巡察工作领导小组会|23次"]
    assert meetings.startswith("按示例记录复核") and "书记专题会" in meetings and "共 23 条" in meetings
    assert rows["点人点事点问题169件|169件"].startswith("按示例记录复核")
    assert rows["先后安排整建制抽调县区30个巡察组、218人次参与全市联动交叉巡察|218人次"].startswith("按示例记录复核")
    assert rows["研究统筹为全市增设巡察组10个、增编60人|10个"].startswith("由转录文章的记录复算")
    assert rows["作出批示46次|46次"] == "只引用,未复核"
    checked = sum(v != "只引用,未复核" for v in rows.values())
    assert checked >= 35 and len(rows) == 49
    text = BeautifulSoup((public_site / "figures/index.html").read_text(encoding="utf-8"), "html.parser").get_text()
    assert f"{checked} 个由记录复算核对,{49 - checked} 个只引用、未复核" in text


def test_the_systems_index_is_written_without_any_system(dataset):
    """systems.yaml is optional, but the internal nav names systems/index.md: without the file the
    index still exists (and says nothing is recorded) so a strict build does not fail."""
    import copy

    from generators.pages import systems

    ds = copy.copy(dataset)
    ds.records = {**dataset.records, "systems": [], "system_records": []}
    pages = {p.path: p for p in systems.pages(ds, "internal")}
    assert list(pages) == ["systems/index.md"] and "尚未登记任何机制" in pages["systems/index.md"].markdown
    assert not list(systems.pages(dataset, "public"))
