"""Training material (issue #5), read through the built internal site: a page and a handout
per session, reading paths by role with a browser-side checklist, case studies generated
from the rounds, self-check questions; and proof that none of it reaches the public build."""

from __future__ import annotations

import functools
import http.server
import random
import re
import threading
from pathlib import Path
from urllib.parse import unquote

import markdown as pymd
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.pages.common import Index
from generators.ruledates import shown
from generators.ruletext import articles

from .conftest import ROOT, copy_project, html_files, mkdocs_config, run, text_files
from .privacy import hits

# overdue: still open (the statuses a notice counts as 未完成) past the (revised) deadline
OPEN = {"未启动", "整改中", "申请延期", "未完成"}


def markdown_of(config: Path):
    """Markdown -> HTML with the extensions, and their settings, MkDocs uses for the pages of
    a site, read from its config by MkDocs itself (mkdocs.yml's markdown_extensions through
    INHERIT, plus MkDocs' built-in toc, tables and fenced_code): a change to mkdocs.yml is
    what the tests see, not a copy of the list kept here."""
    from mkdocs.config import load_config

    cfg = load_config(str(config))
    return functools.partial(pymd.markdown, extensions=cfg["markdown_extensions"],
                             extension_configs=cfg["mdx_configs"])


@functools.cache
def to_html():
    """Markdown -> HTML as in the internal site (where training material is)."""
    return markdown_of(ROOT / "mkdocs.internal.yml")


AREAS = ("trainings", "curricula", "cases")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page_file(site: Path, rel: str) -> Path:
    return site / rel / "index.html"


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def resolve(site: Path, source: Path, href: str) -> tuple[Path, str]:
    """The file and fragment a relative link on `source` points at."""
    url, _, fragment = href.partition("#")
    if not url:
        return source, fragment
    target = (source.parent / unquote(url)).resolve()
    assert target.is_relative_to(site.resolve()), href
    if url.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, fragment


def assert_target(site: Path, source: Path, href: str) -> BeautifulSoup:
    """The link resolves to an existing page and, if it has one, an existing anchor."""
    target, fragment = resolve(site, source, href)
    assert target.exists(), (source, href)
    doc = soup(target)
    if fragment:
        assert doc.find(id=fragment) is not None, (source, href)
    return doc


def section(doc: BeautifulSoup, anchor: str) -> list:
    """The elements after the heading with id `anchor`, up to the next heading of its level."""
    heading = doc.find(id=anchor)
    assert heading is not None, anchor
    out = []
    for sibling in heading.find_next_siblings():
        if sibling.name == heading.name:
            break
        out.append(sibling)
    return out


def overdue(item, as_of) -> bool:
    return item.status in OPEN and (item.revised_deadline or item.deadline) < as_of


# --- a page per session ---------------------------------------------------------------------


def test_a_page_per_session_with_date_topic_audience_agenda_materials(internal_site, dataset):
    assert len(dataset.trainings) >= 10
    for t in dataset.trainings:
        doc = soup(page_file(internal_site, f"trainings/{t.id}"))
        text = compact(doc.find("article").get_text())
        for value in (t.date.isoformat(), t.topic, t.attendees, t.kind):
            assert compact(value) in text, (t.id, value)
        assert t.agenda, t.id
        table = next(tb for tb in doc.select("article table")
                     if [th.get_text() for th in tb.select("thead th")] == ["时间", "内容"])
        rows = [[compact(td.get_text()) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
        assert rows == [[compact(a.time), compact(a.activity)] for a in t.agenda], t.id
        for m in t.materials:
            assert compact(m.title) in text, t.id
            if m.body is not None:
                assert all(compact(p) in text for p in m.body.split("\n\n")), t.id


def test_material_kept_as_markdown_is_rendered_on_the_page_and_the_handout(internal_site, dataset):
    """A material with `file:` is content/materials/FILE, rendered as Markdown (headings,
    lists, emphasis), on the session's page and its handout; the build reads nothing else."""
    kept = [(t, m) for t in dataset.trainings for m in t.materials if m.file]
    assert kept
    for t, m in kept:
        source = (ROOT / "content" / "materials" / m.file).read_text(encoding="utf-8")
        headings = [line.removeprefix("### ").strip() for line in source.splitlines() if line.startswith("### ")]
        strong = re.findall(r"\*\*([^*]+)\*\*", source)
        assert headings and strong
        for rel in (f"trainings/{t.id}", f"trainings/handouts/{t.id}"):
            doc = soup(page_file(internal_site, rel)).find("article")
            h2 = next(h for h in doc.find_all("h2") if compact(m.title) in compact(h.get_text()))
            h3 = [compact(h.get_text()) for h in h2.find_all_next("h3")]
            assert all(any(compact(h) in x for x in h3) for h in headings), rel
            assert {compact(s.get_text()) for s in doc.find_all("strong")} >= {compact(s) for s in strong}, rel
            assert doc.find("ol") is not None and "**" not in doc.get_text()


def test_material_file_missing_or_with_top_headings_is_an_error(tmp_path):
    project = copy_project(tmp_path / "project")
    data = project / "data" / "trainings.yaml"
    text = data.read_text(encoding="utf-8")
    assert "file: inspection-lifecycle.md" in text
    line = text[:text.index("file: inspection-lifecycle.md")].count("\n") + 1
    data.write_text(text.replace("file: inspection-lifecycle.md", "file: no-such-file.md"), encoding="utf-8")
    result = run(["-m", "generators", "validate"], cwd=project)
    assert result.returncode == 1
    assert any(x.startswith(f"data/trainings.yaml:{line}:") and "找不到讲义文件 content/materials/no-such-file.md" in x
               for x in result.stderr.splitlines()), result.stderr
    data.write_text(text.replace("file: inspection-lifecycle.md", "file: Lifecycle.MD"), encoding="utf-8")
    result = run(["-m", "generators", "validate"], cwd=project)
    assert any(x.startswith(f"data/trainings.yaml:{line}:") and "讲义文件名只能由小写字母" in x
               for x in result.stderr.splitlines()), result.stderr
    data.write_text(text, encoding="utf-8")
    (project / "content" / "materials" / "inspection-lifecycle.md").write_text("## 顶级标题\n\n正文\n", encoding="utf-8")
    result = run(["-m", "generators", "validate"], cwd=project)
    assert result.returncode == 1 and "中的标题请从 ### 开始" in result.stderr


def test_each_session_links_its_rules_and_the_articles_it_covers(internal_site, dataset):
    rules = dataset.by_id("rules")
    checked = 0
    for t in dataset.trainings:
        source = page_file(internal_site, f"trainings/{t.id}")
        items = [el for el in section(soup(source), "rules") if el.name == "ul"][0].find_all("li", recursive=False)
        assert len(items) == len(t.rules), t.id
        for li, rid in zip(items, t.rules, strict=True):
            hrefs = [a["href"] for a in li.find_all("a")]
            taught = shown(rules[rid], t.date)  # the session is pinned to the version in force that day
            page = f"../../rules/{rid}/" + ("" if taught == shown(rules[rid], dataset.as_of) else f"v{taught.version}/")
            assert hrefs[:2] == [f"../../rules/{rid}/", f"../../rules/{rid}/v{taught.version}/"], (t.id, hrefs)
            covered = sorted({n for c in t.covers if c.rule == rid for n in c.articles})
            later = [f"../../rules/{rid}/v{r.version}/#changes" for r in rules[rid].revisions if r.version > taught.version]
            assert hrefs[2:] == [f"{page}#art-{n}" for n in covered] + later, (t.id, rid)
            by_number = {a.number: a for a in articles(taught.text) if a.number}
            for n in covered:
                target = assert_target(internal_site, source, f"{page}#art-{n}")
                # the anchor is the article of that number (第N条) in the version the session taught
                assert target.find(id=f"art-{n}").get_text().startswith(by_number[n].label)
                checked += 1
    assert checked >= 20


def test_each_session_lists_the_cases_it_uses_with_their_lessons(internal_site, dataset):
    used = 0
    for t in dataset.trainings:
        source = page_file(internal_site, f"trainings/{t.id}")
        doc = soup(source)
        if not t.cases:
            assert doc.find(id="cases") is None
            continue
        items = [el for el in section(doc, "cases") if el.name == "ul"][0].find_all("li", recursive=False)
        assert len(items) == len(t.cases)
        for li, case in zip(items, t.cases, strict=True):
            assert li.find("a")["href"] == f"../../cases/{case.round}/"
            assert_target(internal_site, source, li.find("a")["href"])
            assert compact(case.lesson) in compact(li.get_text())
            used += 1
    assert used >= 10


def test_reading_lists_both_ways(internal_site, dataset):
    """Each training lists its rules (above); each rule page links the trainings that teach it."""
    pairs = [(t, rid) for t in dataset.trainings for rid in t.rules]
    assert len(pairs) >= 20
    for t, rid in pairs:
        source = page_file(internal_site, f"rules/{rid}")
        hrefs = [a["href"] for a in soup(source).select("article a")]
        assert f"../../trainings/{t.id}/" in hrefs, (rid, t.id)


# --- self-check questions ---------------------------------------------------------------------


def test_questions_reveal_on_click_and_wrong_answers_explain_and_link_the_article(internal_site, dataset):
    asked = 0
    rules = dataset.by_id("rules")
    css = (internal_site / "assets" / "training.css").read_text(encoding="utf-8")
    assert re.search(r"\.luohe-reveal:not\(:target\)(:not\(\.luohe-shown\))?\s*\{\s*display:\s*none", css)
    for t in dataset.trainings:
        source = page_file(internal_site, f"trainings/{t.id}")
        doc = soup(source)
        assert "assets/training.css" in " ".join(link["href"] for link in doc.select("link[rel=stylesheet]"))
        assert t.questions, t.id
        for n, q in enumerate(t.questions, start=1):
            heading = doc.find(id=f"q{n}")
            assert compact(q.question) in compact(heading.find_next("p").get_text())
            options = heading.find_next("ul").find_all("a")
            assert [compact(a.get_text()) for a in options] == \
                [compact(f"{'ABCDEF'[k]}.{o}") for k, o in enumerate(q.options)]
            for k, a in enumerate(options):
                letter = "ABCDEF"[k]
                assert a["href"] == f"#q{n}-{letter.lower()}"
                reveal = doc.find(id=a["href"][1:])
                assert "luohe-reveal" in reveal["class"]
                text = compact(reveal.get_text())
                assert compact(q.explanation) in text
                if letter == q.answer:
                    assert "luohe-right" in reveal["class"] and "正确" in text
                else:
                    assert "luohe-wrong" in reveal["class"] and f"正确答案是{q.answer}" in text
                link = reveal.find("a", href=True)
                taught = shown(rules[q.rule], t.date)  # the version the session taught
                page = "" if taught == shown(rules[q.rule], dataset.as_of) else f"v{taught.version}/"
                assert link["href"] == f"../../rules/{q.rule}/{page}#art-{q.article}"
                assert_target(internal_site, source, link["href"])
            asked += 1
    assert asked >= 10


# --- handouts ------------------------------------------------------------------------------------


def test_a_printable_handout_per_session(internal_site, dataset):
    css = (internal_site / "assets" / "training.css").read_text(encoding="utf-8")
    printing = css.split("@media print", 1)[1]
    for chrome in (".md-header", ".md-sidebar", ".md-footer", ".md-tabs"):
        assert chrome in printing
    assert "display: none" in printing and ".luohe-page-break" in printing
    rules = dataset.by_id("rules")
    for t in dataset.trainings:
        source = page_file(internal_site, f"trainings/{t.id}")
        handout = page_file(internal_site, f"trainings/handouts/{t.id}")
        linked = [resolve(internal_site, source, a["href"])[0] for a in soup(source).select("article a[href]")]
        assert handout.resolve() in linked, t.id
        doc = soup(handout)
        text = compact(doc.find("article").get_text())
        assert compact(t.topic) in text and t.date.isoformat() in text
        assert all(compact(a.activity) in text for a in t.agenda)
        for cover in t.covers:  # the full text of every article covered, for reading on paper
            by_number = {a.number: a for a in articles(shown(rules[cover.rule], t.date).text) if a.number}
            assert all(compact(by_number[n].body) in text for n in cover.articles)
        key = doc.select_one("article h2.luohe-page-break")
        assert key is not None and "答案" in key.get_text()
        before = compact("".join(str(x) for x in key.find_all_previous(string=True)))
        after = compact(" ".join(x.get_text() for x in key.find_next_siblings()))
        for n, q in enumerate(t.questions, start=1):
            assert compact(q.question) in before and all(compact(o) in before for o in q.options)
            assert f"第{n}题:{q.answer}。" in after and compact(q.explanation) in after
        for a in doc.select("article a[href]"):
            assert_target(internal_site, handout, a["href"])
        assert "assets/training.css" in " ".join(x["href"] for x in doc.select("link[rel=stylesheet]"))


# --- curricula --------------------------------------------------------------------------------------


def test_curricula_by_role_are_ordered_reading_paths(internal_site, dataset):
    assert {c.role for c in dataset.curricula} == {"新任巡察组成员", "巡察组组长", "巡察办主任"}
    index = soup(page_file(internal_site, "curricula"))
    for c in dataset.curricula:
        assert f"{c.id}/" in [a["href"] for a in index.select("article a")]
        source = page_file(internal_site, f"curricula/{c.id}")
        doc = soup(source)
        steps = doc.select("article ol > li[data-check]")
        assert [li["data-check"] for li in steps] == [f"{s.kind}-{s.ref}" for s in c.steps]
        assert len({li["data-check"] for li in steps}) == len(steps)
        area = {"training": "trainings", "rule": "rules", "case": "cases"}
        for li, step in zip(steps, c.steps, strict=True):
            href = li.find("a")["href"]
            assert href == f"../../{area[step.kind]}/{step.ref}/"
            assert_target(internal_site, source, href)
            if step.note:
                assert compact(step.note) in compact(li.get_text())
        # without JavaScript it is a plain list: no checkbox in the HTML, the script adds them
        assert doc.select("article input") == []
        assert "assets/training.js" in [s["src"].split("../")[-1] for s in doc.select("script[src]")]
    script = (internal_site / "assets" / "training.js").read_text(encoding="utf-8")
    assert "localStorage" in script and "location.pathname" in script and "data-check" in script
    assert not re.search(r"fetch\(|XMLHttpRequest|sendBeacon|https?://", script)


def test_internal_config_repeats_the_public_assets_first():
    """INHERIT replaces lists: the internal build must keep every public asset, then add its own."""
    public, internal = mkdocs_config("mkdocs.yml"), mkdocs_config("mkdocs.internal.yml")
    for key, mine in (("extra_css", ["assets/training.css"]), ("extra_javascript", ["assets/training.js"])):
        assert internal[key] == public.get(key, []) + mine, key
    assert {"curricula/index.md", "cases/index.md", "trainings/index.md"} <= \
        {v for entry in internal["nav"] for v in entry.values()}
    for asset in ("training.css", "training.js"):
        assert (ROOT / "content" / "internal" / "assets" / asset).exists()
        assert not (ROOT / "content" / "public" / "assets" / asset).exists()


def test_nav_holds_section_indexes_only(internal_site):
    doc = soup(internal_site / "index.html")
    hrefs = [a["href"] for a in doc.select("nav.md-nav--primary a.md-nav__link[href]")]
    assert "curricula/" in hrefs and "cases/" in hrefs and "trainings/" in hrefs
    assert not [h for h in hrefs if re.match(r"(trainings|curricula|cases)/.+/", h)]


# --- case studies ------------------------------------------------------------------------------------


def test_case_studies_are_generated_from_the_rounds(internal_site, dataset):
    as_of = dataset.as_of
    used = sorted({c.round for t in dataset.trainings for c in t.cases})
    assert len(used) >= 5
    rounds = dataset.by_id("rounds")
    index = soup(page_file(internal_site, "cases"))
    for rid in used:
        assert f"{rid}/" in [a["href"] for a in index.select("article a")]
        rnd = rounds[rid]
        doc = soup(page_file(internal_site, f"cases/{rid}"))
        text = compact(doc.find("article").get_text())
        keys = {(rid, t.organisation) for _, t in rnd.targets}
        items = [i for i in dataset.items if (i.round, i.organisation) in keys]
        leads = [lead for lead in dataset.leads if (lead.round, lead.organisation) in keys]
        assert compact("、".join(rnd.kinds)) in text
        assert f"巡察共发现问题{sum(t.problems_found for _, t in rnd.targets)}个" in text
        assert f"形成整改事项{len(items)}项" in text
        if not items:
            assert "本轮尚无整改事项记录" in text
            continue
        table = next(tb for tb in doc.select("article table") if "问题类别" in tb.get_text())
        rows = {compact(tr.find("td").get_text()): [td.get_text(strip=True) for td in tr.find_all("td")[1:]]
                for tr in table.select("tbody tr")}
        expected = {}
        for item in items:
            row = expected.setdefault(compact(item.category), [0, 0, 0])
            row[0] += 1
            row[1] += item.status == "已完成"
            row[2] += overdue(item, as_of)
        assert rows == {k: [str(x) for x in v] for k, v in expected.items()}
        facts = {compact(tr.find("td").get_text()): compact(tr.find_all("td")[1].get_text())
                 for tb in doc.select("article table") for tr in tb.select("tbody tr")}
        assert facts["移交问题线索"].startswith(f"{len(leads)}件")
        assert facts["其中已办结"].startswith(f"{sum(lead.concluded is not None for lead in leads)}件")
        assert facts["整改事项已完成"].startswith(f"{sum(i.status == '已完成' for i in items)}项")
        assert facts["逾期未完成"] == f"{sum(overdue(i, as_of) for i in items)}项"
        lessons = [c.lesson for t in dataset.trainings for c in t.cases if c.round == rid]
        assert all(compact(lesson) in text for lesson in lessons)
        # anonymised: no inspected organisation is named on the case page
        orgs = dataset.by_id("organisations")
        assert not [orgs[t.organisation].name for _, t in rnd.targets if orgs[t.organisation].name in text]


def test_no_personal_name_anywhere_in_the_internal_build(internal_site, dataset):
    """Every value of a field declared named() (and not internal_named) is absent from the
    internal build too; today that is each lead's subject."""
    from generators.model import FILES, named_fields

    declared = {(stem, f): ok for stem, model in FILES.items() for f, ok in named_fields(model).items()}
    assert declared == {("leads", "subject"): False}
    names = sorted({getattr(rec, f) for (stem, f), ok in declared.items() if not ok
                    for rec in dataset.records[stem] if getattr(rec, f)})
    assert len(names) >= 10
    assert hits(internal_site, names) == []


# --- nothing of it in the public build -----------------------------------------------------------------


def test_none_of_it_reaches_the_public_build(public_site, dataset):
    for area in AREAS:
        assert not (public_site / area).exists(), area
    assert not list(public_site.rglob("training.js")) and not list(public_site.rglob("training.css"))
    for path in html_files(public_site):
        doc = soup(path)
        assert not doc.select("[data-check], .luohe-reveal, .luohe-page-break"), path
        hrefs = [a["href"] for a in doc.select("a[href]")] + [s["src"] for s in doc.select("script[src]")] + \
                [x["href"] for x in doc.select("link[href]")]
        assert not [h for h in hrefs if re.search(r"(^|/)(trainings|curricula|cases)/|training\.(js|css)", h)], path
    public_rules = " ".join(v.text for r in dataset.rules if r.is_public for v in r.revisions)  # options quote any version
    needles = {x for t in dataset.trainings for x in
               [t.topic, *(q.question for q in t.questions), *(q.explanation for q in t.questions),
                *(c.lesson for c in t.cases), *(a.activity for a in t.agenda), *(m.body for m in t.materials if m.body),
                *(o for q in t.questions for o in q.options if o not in public_rules)]}
    needles |= {x for c in dataset.curricula for x in [c.title, c.intro, *(s.note for s in c.steps if s.note)]}
    needles |= {line.strip("#-> 0123456789.") for text in dataset.materials.values() for line in text.splitlines()}
    needles = sorted(n for n in needles if len(n) >= 8)
    assert len(needles) > 50
    assert hits(public_site, needles) == []
    text = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in text_files(public_site))
    assert "luohe-progress" not in text and "luohe-reveal" not in text


def test_generators_give_the_public_build_nothing(dataset):
    from generators.pages import cases, curricula, handouts, trainings

    for module in (trainings, handouts, curricula, cases):
        assert list(module.pages(dataset, "public")) == []


# --- data checks --------------------------------------------------------------------------------------


def _append(project: Path, stem: str, snippet: str) -> int:
    path = project / "data" / f"{stem}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + snippet, encoding="utf-8")
    return text.count("\n") + 1


def _errors(project: Path) -> list[str]:
    result = run(["-m", "generators", "validate", "--strict"], cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    return [x for x in result.stderr.splitlines() if x.startswith("data/")]


BAD_TRAINING = """- id: t-bad
  sample: true
  audience: internal
  kind: 集训
  ordinal: 9
  date: '2024-06-01'
  topic: 测试
  attendees: 测试
  rules: [{rule}]
  covers:
  - rule: {rule}
    articles: [{missing}]
  - rule: {other}
    articles: [3]
  cases:
  - round: {round}
    lesson: 测试
  questions:
  - question: 测试题
    options: [甲, 乙]
    answer: A
    explanation: 测试
    rule: {rule}
    article: {missing}
"""

BAD_CURRICULUM = """- id: c-bad
  sample: true
  audience: public
  role: 巡察组组长
  title: 测试
  intro: 测试
  steps:
  - case: {uncased}
  - rule: ghost-rule
"""


def test_cross_record_errors_of_training_material_at_once(project_copy, dataset):
    rule = next(r for r in dataset.rules if len([a for a in articles(r.current.text) if a.number]) >= 5)
    other = next(r.id for r in dataset.rules if r.id != rule.id)
    cased = {c.round for t in dataset.trainings for c in t.cases}
    fed = sorted(cased)[0]  # a round already used as a case, so `uncased` stays without one
    uncased = next(r.id for r in dataset.rounds if r.id not in cased)
    start = _append(project_copy, "trainings", BAD_TRAINING.format(rule=rule.id, other=other, round=fed, missing=99))
    cstart = _append(project_copy, "curricula", BAD_CURRICULUM.format(uncased=uncased))
    errors = _errors(project_copy)
    n, m = len(dataset.trainings), len(dataset.curricula)
    expected = [
        (f"data/trainings.yaml:{start + 11}:", f"trainings[{n}].covers[0].articles[0]:", "没有第 99 条"),
        (f"data/trainings.yaml:{start + 12}:", f"trainings[{n}].covers[1].rule:", f"制度 '{other}' 没有列入本培训的 rules"),
        (f"data/trainings.yaml:{start + 23}:", f"trainings[{n}].questions[0].article:", "没有第 99 条"),
        (f"data/curricula.yaml:{cstart + 2}:", f"curricula[{m}].audience:", "只能是内部的"),
        (f"data/curricula.yaml:{cstart + 7}:", f"curricula[{m}].steps[0].case:", "没有在任何培训中用作案例"),
        (f"data/curricula.yaml:{cstart + 8}:", f"curricula[{m}].steps[1].rule:", "引用了不存在的制度 'ghost-rule'"),
    ]
    for where, path, message in expected:
        assert [e for e in errors if e.startswith(where) and path in e and message in e], (where, path, errors)


def test_field_errors_of_training_material_at_once(project_copy, dataset):
    rule = dataset.rules[0].id
    start = _append(project_copy, "trainings", f"""- id: t-bad
  sample: true
  audience: internal
  kind: 集训
  ordinal: 9
  date: '2024-06-01'
  topic: 测试
  attendees: 测试
  rules: [{rule}]
  questions:
  - question: 测试题
    options: [甲, 乙, 乙]
    answer: D
    explanation: 测试
    rule: {rule}
    article: 3
""")
    cstart = _append(project_copy, "curricula", f"""- id: c-bad
  sample: true
  audience: internal
  role: 巡察组组长
  title: 测试
  intro: 测试
  steps:
  - rule: {rule}
    training: {dataset.trainings[0].id}
  - case: null
""")
    errors = _errors(project_copy)
    n, m = len(dataset.trainings), len(dataset.curricula)
    assert [e for e in errors if e.startswith(f"data/trainings.yaml:{start + 10}:")
            and f"trainings[{n}].questions[0]:" in e and "答案 D 超出选项范围" in e], errors
    assert [e for e in errors if e.startswith(f"data/curricula.yaml:{cstart + 7}:")
            and f"curricula[{m}].steps[0]:" in e and "只写 training、rule、case 中的一项" in e], errors
    assert [e for e in errors if f"curricula[{m}].steps[1]:" in e and "只写" in e], errors


# --- escaping, at the generator ------------------------------------------------------------------------


HOSTILE = st.lists(st.sampled_from(list("<>&\"'`*_[](){}#|\\!:-= 甲乙")
                                   + ["<script>", "javascript:", "{: onclick=x }", "\n\n", "{: #q1-a }"]),
                   min_size=1, max_size=20).map("".join).filter(lambda s: s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=HOSTILE)
def test_hostile_text_in_training_material_is_shown_as_text(dataset, text):
    from generators.pages.curricula import pages as curriculum_pages
    from generators.pages.trainings import training_page

    t = next(t for t in dataset.trainings if t.questions and t.cases)
    q = t.questions[0].model_copy(update={"question": text, "explanation": text,
                                          "options": [f"{text}{k}" for k in range(len(t.questions[0].options))]})
    hostile = t.model_copy(update={
        "topic": text, "attendees": text, "questions": [q],
        "agenda": [t.agenda[0].model_copy(update={"activity": text})],
        "cases": [t.cases[0].model_copy(update={"lesson": text})],
    })
    page = training_page(Index(dataset, "internal"), hostile)
    body = page.markdown.split("---\n", 2)[2]
    html = to_html()(body)
    doc = BeautifulSoup(html, "html.parser")
    assert not doc.find_all("script") and not doc.find_all(attrs={"onclick": True})
    assert not [a for a in doc.find_all("a") if a.get("href", "").lower().startswith("javascript")]
    shown = compact(doc.get_text())
    assert compact(text) in shown
    # the quiz anchors still work: each option's target exists, whatever the text
    for a in doc.select("ul a[href^='#q']"):
        assert doc.find(id=a["href"][1:]) is not None
    curriculum = dataset.curricula[0]
    step = curriculum.steps[0].model_copy(update={"note": text})
    ds = _with_curricula(dataset, [curriculum.model_copy(update={"intro": text, "steps": [step]})])
    out = next(p for p in curriculum_pages(ds, "internal") if p.path.endswith(f"{curriculum.id}.md"))
    doc = BeautifulSoup(to_html()(out.markdown.split("---\n", 2)[2]), "html.parser")
    assert not doc.find_all("script") and not doc.find_all(attrs={"onclick": True})
    assert [li["data-check"] for li in doc.select("ol > li")] == [f"{step.kind}-{step.ref}"]


def test_markdown_is_rendered_with_the_extensions_of_mkdocs_yml(project_copy, dataset):
    """The property test above renders through mkdocs.yml: take pymdownx.escapeall out of a
    copy's mkdocs.yml and the same hostile text is no longer shown as written (Markdown
    without it leaves the backslashes of escaped `<`, `=`, `/` on the page)."""
    from generators.pages.trainings import training_page

    text = "<script>alert(1)</script> a=b"
    t = next(t for t in dataset.trainings if t.agenda)
    hostile = t.model_copy(update={"attendees": text, "agenda": [t.agenda[0].model_copy(update={"activity": text})]})
    body = training_page(Index(dataset, "internal"), hostile).markdown.split("---\n", 2)[2]
    config = project_copy / "mkdocs.yml"
    shown = compact(BeautifulSoup(markdown_of(project_copy / "mkdocs.internal.yml")(body), "html.parser").get_text())
    assert compact(text) in shown
    yml = config.read_text(encoding="utf-8")
    without = re.sub(r"^  - pymdownx\.escapeall:\n(?:    .*\n)*", "", yml, flags=re.M)
    assert "escapeall" in yml and "escapeall" not in without
    config.write_text(without, encoding="utf-8")
    shown = compact(BeautifulSoup(markdown_of(project_copy / "mkdocs.internal.yml")(body), "html.parser").get_text())
    assert compact(text) not in shown and "\\<script" in shown


def _with_curricula(dataset, curricula):
    import copy

    ds = copy.copy(dataset)
    ds.records = {**dataset.records, "curricula": curricula}
    return ds


# --- the sample data ------------------------------------------------------------------------------------


def test_sample_trainings_and_curricula_are_deterministic():
    from tools.trainings_data import build_curricula, build_trainings

    rules = yaml.safe_load((ROOT / "data" / "rules.yaml").read_text(encoding="utf-8"))
    rounds = yaml.safe_load((ROOT / "data" / "rounds.yaml").read_text(encoding="utf-8"))
    first = build_trainings(rules, rounds, random.Random(11))
    assert first == build_trainings(rules, rounds, random.Random(11))
    assert build_curricula(first, rules) == build_curricula(first, rules)
    assert all(t["questions"] and t["covers"] and t["agenda"] for t in first)


# --- in a browser -----------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served_internal(internal_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_Quiet, directory=str(internal_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.mark.browser
def test_checklist_ticks_stay_in_this_browser_per_page(chromium, served_internal, dataset):
    first, second = dataset.curricula[0], dataset.curricula[1]
    context = chromium.new_context()
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith(served_internal) else None)
    pg = context.new_page()
    pg.goto(f"{served_internal}curricula/{first.id}/")
    boxes = pg.locator("article li[data-check] input.luohe-check")
    assert boxes.count() == len(first.steps)
    boxes.nth(1).check()
    assert pg.locator(".luohe-progress").inner_text() == f"已完成 1 / {len(first.steps)} 步"
    pg.reload()
    boxes = pg.locator("article li[data-check] input.luohe-check")
    assert [boxes.nth(k).is_checked() for k in range(boxes.count())] == \
        [k == 1 for k in range(len(first.steps))]
    step = first.steps[1]
    keys = pg.evaluate("Object.keys(window.localStorage)")
    assert keys == [f"luohe-progress:/curricula/{first.id}/:{step.kind}-{step.ref}"]
    pg.goto(f"{served_internal}curricula/{second.id}/")  # another page: its own ticks
    boxes = pg.locator("article li[data-check] input.luohe-check")
    assert boxes.count() == len(second.steps) and not any(boxes.nth(k).is_checked() for k in range(boxes.count()))
    context.close()
    assert outside == []
    plain = chromium.new_context(java_script_enabled=False)
    pg = plain.new_page()
    pg.goto(f"{served_internal}curricula/{first.id}/")
    assert pg.locator("article input").count() == 0
    assert pg.locator("article ol > li[data-check]:has(a)").count() == len(first.steps)
    plain.close()


@pytest.mark.browser
def test_quiz_answers_revealed_on_click(chromium, served_internal, dataset):
    t = next(t for t in dataset.trainings if t.questions)
    q = t.questions[0]
    wrong = next(letter for letter in "ABCDEF"[:len(q.options)] if letter != q.answer)
    context = chromium.new_context(java_script_enabled=False)  # no script needed: CSS :target
    pg = context.new_page()
    pg.goto(f"{served_internal}trainings/{t.id}/")
    reveals = {letter: pg.locator(f"#q1-{letter.lower()}") for letter in "ABCDEF"[:len(q.options)]}
    assert not any(r.is_visible() for r in reveals.values())
    pg.locator(f"a[href='#q1-{wrong.lower()}']").click()
    assert reveals[wrong].is_visible() and not reveals[q.answer].is_visible()
    assert f"正确答案是 {q.answer}" in reveals[wrong].inner_text()
    pg.locator(f"a[href='#q1-{q.answer.lower()}']").click()
    assert reveals[q.answer].is_visible() and not reveals[wrong].is_visible()
    pg.emulate_media(media="print")
    assert not pg.locator(".md-header").is_visible() and not pg.locator(".md-sidebar--primary").is_visible()
    context.close()
