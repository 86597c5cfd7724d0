"""The live preview's incremental rebuild (issue #18 goal 1): after an edit, only the edited
records are parsed and validated again (yamlstrict.parse_records, load's reuse) and only the
pages whose inputs changed are made again (generators/pagecache.py); whatever is reused, the
pages and the problems are exactly those of a fresh build. Not timed: tools/bench_preview.py
times the preview."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators import pagecache
from generators.pipeline import build, keep_between_builds
from generators.yamlstrict import parse, parse_records

from .conftest import ROOT

ITEMS = (ROOT / "data" / "items.yaml").read_text(encoding="utf-8")
RECORD_STARTS = [m.start() for m in re.finditer(r"^- ", ITEMS, flags=re.M)]
FEW = ITEMS[:RECORD_STARTS[120]]  # the header comment and 120 records: enough for the parser's cases, fast


def _edit(text: str, kind: str, n: int) -> str:
    """One edit an office makes to items.yaml: a description changed, a record deleted or
    duplicated, a status changed to a value not allowed, a broken line, a comment, a line
    broken by an old Mac's CR or a NEL."""
    starts = [m.start() for m in re.finditer(r"^- ", text, flags=re.M)]
    begin = starts[n % len(starts)]
    end = next((s for s in starts if s > begin), len(text))
    record = text[begin:end]
    if kind == "describe":
        record = re.sub(r"^(  description: .*)$", r"\1(已修改)", record, count=1, flags=re.M)
    elif kind == "delete":
        record = ""
    elif kind == "duplicate":
        record = record + record
    elif kind == "status":
        record = re.sub(r"^  status: .*$", "  status: 差不多了", record, count=1, flags=re.M)
    elif kind == "syntax":
        record = record.replace("  description:", "  description: [", 1)
    elif kind == "column0":
        record = record + "备注: 这一行顶格写了\n"
    elif kind == "comment":
        record = "# 办公室备注\n" + record
    elif kind in ("cr", "nel"):  # a line break other than LF or CRLF, then a document's end at column 0
        record = record[:-1] + ("\r" if kind == "cr" else "\x85") + "...\n"
    return text[:begin] + record + text[end:]


KINDS = ["describe", "delete", "duplicate", "status", "syntax", "column0", "comment", "cr", "nel"]


@settings(max_examples=40, deadline=None)
@given(edits=st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 10_000)), min_size=1, max_size=3))
def test_parse_records_gives_what_parse_gives(edits):
    text = FEW
    first, _, keys = parse_records(text.encode(), "data/items.yaml", "items", {})
    kept = dict(zip(keys, first.value, strict=True))  # each record's parse, by its text's digest
    for kind, n in edits:
        text = _edit(text, kind, n)
        again, found_again, keys = parse_records(text.encode(), "data/items.yaml", "items", kept)
        kept = dict(zip(keys, again.value or [], strict=True))
        fresh, found = parse(text, "data/items.yaml", "items")
        assert [str(p) for p in found_again] == [str(p) for p in found]
        assert again.value == fresh.value


def test_parse_records_parses_only_the_edited_record(monkeypatch):
    from generators import yamlstrict

    first, _, keys = parse_records(ITEMS.encode(), "data/items.yaml", "items", {})
    kept = dict(zip(keys, first.value, strict=True))
    parsed = []
    real = yamlstrict.parse
    monkeypatch.setattr(yamlstrict, "parse", lambda text, *a: parsed.append(text) or real(text, *a))
    value, found, _ = parse_records(_edit(ITEMS, "describe", 5).encode(), "data/items.yaml", "items", kept)
    assert not found and len(parsed) == 1 and "(已修改)" in parsed[0]  # one record, not the file
    assert len(value.value) == len(RECORD_STARTS)


@pytest.fixture
def data(tmp_path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    yield tmp_path / "data"
    keep_between_builds(False)


def _fresh(data: Path, audience: str):
    """A build that reuses nothing, leaving what the preview keeps as it was (turning the
    keeping off forgets it, and the next rebuild would reuse nothing either)."""
    from generators import load

    kept = [(holder, dict(holder.__dict__)) for holder in (load._REUSE, pagecache._KEPT)]
    keep_between_builds(False)
    try:
        return build(data, audience)
    finally:
        for holder, state in kept:
            holder.__dict__.update(state)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(["describe", "delete", "duplicate", "status", "comment"]),
                                st.integers(0, 10_000)), min_size=1, max_size=2),
       audience=st.sampled_from(["public", "internal"]))
def test_a_rebuild_reusing_pages_gives_the_pages_of_a_fresh_build(data, edits, audience):
    items = data / "items.yaml"
    items.write_text(ITEMS, encoding="utf-8")
    keep_between_builds(True)
    build(data, audience)
    for kind, n in edits:
        items.write_text(_edit(items.read_text(encoding="utf-8"), kind, n), encoding="utf-8")
        pages, problems = build(data, audience)
        fresh_pages, fresh_problems = _fresh(data, audience)
        assert [str(p) for p in problems] == [str(p) for p in fresh_problems]
        assert pages == fresh_pages


def test_one_description_edited_makes_again_only_the_pages_that_show_it(data):
    keep_between_builds(True)
    before = {p.path: p.markdown for p in build(data, "public")[0]}
    made = pagecache.made()
    items = data / "items.yaml"
    edited = _edit(ITEMS, "describe", 0)
    items.write_text(edited, encoding="utf-8")
    after = {p.path: p.markdown for p in build(data, "public")[0]}
    changed = sorted(path for path in after if after[path] != before.get(path))
    record = edited[:RECORD_STARTS[1]]
    inspection = "inspections/{}--{}.md".format(*re.search(r"round: (\S+)\n  organisation: (\S+)", record).groups())
    assert inspection in changed and all("(已修改)" not in before[p] for p in changed)
    # made again: the inspection's page, its round's and organisation's pages (which list it),
    # its notices and the notice list pages showing them, the items' open data
    assert pagecache.made() - made < 12
    unchanged_inspections = [p for p in after if p.startswith("inspections/") and p != inspection]
    assert unchanged_inspections and all(after[p] == before[p] for p in unchanged_inspections)


RATE = ("    rate: 75.61\n", "    rate: 75.610\n")
NEXT = ("  next_steps: 持续推进尚未完成的整改事项", "  next_steps: (改)持续推进尚未完成的整改事项")
MISTAKE = ("    problems: 41\n", "    problems: 四十一\n")
CORRECTED = ("    problems: 四十一\n", "    problems: 41\n")
ZERO = ("    long_term: 0\n", "    long_term: false\n")


@pytest.mark.parametrize("saves", [
    [[RATE]],  # the digits alone: the record is equal as Decimals
    [[RATE, NEXT]],  # with a field the open data do not show, in one save
    [[RATE, MISTAKE], [CORRECTED]],  # with a mistake in the same record, then the mistake corrected
    [[ZERO]],  # 0 -> false: equal in Python, but not an integer
], ids=["digits", "digits-and-text", "digits-mistake-corrected", "zero-false"])
def test_a_value_equal_in_python_but_written_otherwise_is_not_kept(data, saves):
    """75.610 == 75.61 and 0 == False, but the open data show a notice's figures with the
    digits published and a count must be a number: a rebuild must not keep what was made
    from the old text. Each save is compared with a fresh build."""
    keep_between_builds(True)
    build(data, "public")
    notices = data / "notices.yaml"
    for save in saves:
        text = notices.read_text(encoding="utf-8")
        for old, new in save:
            assert old in text
            text = text.replace(old, new, 1)
        notices.write_text(text, encoding="utf-8")
        pages, problems = build(data, "public")
        fresh_pages, fresh_problems = _fresh(data, "public")
        assert [str(p) for p in problems] == [str(p) for p in fresh_problems]
        assert pages == fresh_pages
    if RATE in saves[0]:
        assert ",75.610," in next(p.markdown for p in pages if p.path == "open-data/notices.csv")


@pytest.mark.parametrize("below", [True, False], ids=["copy-below", "copy-above"])
def test_other_digits_after_a_pasted_copy_of_the_record_are_not_kept(data, below):
    """An office pastes a copy of a notice (same id, the rate written 75.610), renames the
    copy, then writes the original's rate as 75.610 too: the original came back through its
    unchanged text in between, and its digits must still be the ones its pages were made with."""
    notices = data / "notices.yaml"
    base = notices.read_text(encoding="utf-8")
    start = base.index(RATE[0])
    start = base.rindex("\n- id: ", 0, start) + 1
    end = base.index("\n- id: ", start) + 1
    record = base[start:end]
    rid = re.match(r"- id: (\S+)", record).group(1)
    copy = record.replace(*RATE)
    renamed = copy.replace(f"- id: {rid}\n", f"- id: {rid}-b\n")

    def saved(first: str, second: str) -> str:
        return base[:start] + (first + second if below else second + first) + base[end:]

    keep_between_builds(True)
    build(data, "public")
    for text in (saved(record, copy), saved(record, renamed), saved(record.replace(*RATE), renamed)):
        notices.write_text(text, encoding="utf-8")
        pages, problems = build(data, "public")
    fresh_pages, fresh_problems = _fresh(data, "public")
    assert [str(p) for p in problems] == [str(p) for p in fresh_problems] and pages
    assert pages == fresh_pages


def test_reading_another_data_folder_leaves_what_the_preview_keeps(data, tmp_path):
    """The previous edition's data (LUOHE_PREVIOUS_DATA) is read beside the preview's folder
    on every rebuild: it must neither reset nor take what the preview keeps."""
    from generators import load

    other = tmp_path / "previous"
    shutil.copytree(data, other)
    keep_between_builds(True)
    build(data, "public")
    load.read(other)
    notices = data / "notices.yaml"
    notices.write_text(notices.read_text(encoding="utf-8").replace(*RATE, 1), encoding="utf-8")
    made = pagecache.made()
    pages, _ = build(data, "public")
    assert pages == _fresh(data, "public")[0]
    assert pagecache.made() > made  # the digits changed: the pages were made again


def test_an_edited_template_makes_the_pages_again(data, monkeypatch):
    """Jinja reloads a template edited under the preview: the pages kept from the old one
    must not be reused (pipeline.pages compares render.templates_stamp)."""
    from generators import pipeline

    keep_between_builds(True)
    build(data, "public")
    made = pagecache.made()
    build(data, "public")
    assert pagecache.made() == made  # nothing changed: every page kept
    monkeypatch.setattr(pipeline, "templates_stamp", lambda: ("organisation.md.j2", 1, 1))
    build(data, "public")
    assert pagecache.made() - made > 100  # every kept page made again


TEXT_FIELD = re.compile(r"^(  (?:title|name|topic|statement|description|theme|detail|summary|publisher): .+)$", re.M)


def _edit_text(path: Path) -> None:
    """The first record's first text field of a data file, reworded."""
    text = path.read_text(encoding="utf-8")
    edited = TEXT_FIELD.sub(r"\1(改)", text, count=1)
    assert edited != text, path
    path.write_text(edited, encoding="utf-8")


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_an_edit_of_any_file_gives_the_pages_of_a_fresh_build(data, audience):
    """A page generator none of whose files changed keeps its pages (pagecache.generated):
    one file after another is edited, and each rebuild must equal a fresh build, so every
    file a generator reads must be known to it."""
    keep_between_builds(True)
    build(data, audience)
    internal_only = ("leads", "curricula", "systems", "system_records", "trainings")
    # each file once: the public build for those it shows, the internal build for the rest
    files = [f for f in sorted(data.glob("*.yaml")) if (f.stem in internal_only) == (audience == "internal")]
    for path in files:
        _edit_text(path)
        pages, problems = build(data, audience)
        fresh_pages, fresh_problems = _fresh(data, audience)
        assert [str(p) for p in problems] == [str(p) for p in fresh_problems], path.name
        assert pages == fresh_pages, path.name


@pytest.mark.parametrize(("module", "own"), [("rules", "rules.yaml"), ("trainings", "trainings.yaml")])
def test_an_items_edit_leaves_the_pages_that_do_not_show_items_kept(data, monkeypatch, module, own):
    """The rule pages, and the training pages (whose cases and handouts, which show items, are
    generators of their own), are not made again after an edit of items.yaml."""
    import importlib

    generator = importlib.import_module(f"generators.pages.{module}")
    ran = []
    real = generator.pages
    monkeypatch.setattr(generator, "pages", lambda ds, audience: ran.append(audience) or real(ds, audience))
    keep_between_builds(True)
    build(data, "internal")
    assert ran == ["internal"]
    _edit_text(data / "items.yaml")
    build(data, "internal")
    assert ran == ["internal"], f"the {module} pages were made again after an edit of items.yaml"
    _edit_text(data / own)
    build(data, "internal")
    assert ran == ["internal"] * 2, f"the {module} pages were kept after an edit of {own}"


def test_a_comment_line_moves_the_problems_below_it(data):
    """A comment changes no record, but every problem placed below it moves down a line: the
    checks kept between rebuilds (pagecache.watched) must run again."""
    keep_between_builds(True)
    _, before = build(data, "public")
    rules = data / "rules.yaml"
    assert any(p.file.endswith("rules.yaml") for p in before), "the sample data has a notice in rules.yaml"
    rules.write_text("# 办公室备注\n" + rules.read_text(encoding="utf-8"), encoding="utf-8")
    _, after = build(data, "public")
    assert [str(p) for p in after] == [str(p) for p in _fresh(data, "public")[1]]
    assert [p.line for p in after if p.file.endswith("rules.yaml")] == [
        p.line + 1 for p in before if p.file.endswith("rules.yaml")]


def test_an_inspection_is_the_same_object_while_its_records_are(data):
    """The derived facts of an unchanged inspection (and of its notices) are the very objects
    of the last rebuild, so the pages made from them are found unchanged at once; the edited
    item's inspection is made again and shows the edit."""
    from generators.inspections import inspections, published_notices
    from generators.pipeline import validate

    keep_between_builds(True)
    ds, _ = validate(data)
    before = {x.id: x for x in inspections(ds, "public")}
    notices_before = {n.id: n for n in published_notices(ds, "public")}
    (data / "items.yaml").write_text(_edit(ITEMS, "describe", 0), encoding="utf-8")
    ds, _ = validate(data)
    after = {x.id: x for x in inspections(ds, "public")}
    record = ITEMS[:RECORD_STARTS[1]]
    edited = "{}--{}".format(*re.search(r"round: (\S+)\n  organisation: (\S+)", record).groups())
    assert after.keys() == before.keys()
    assert after[edited] is not before[edited]
    assert any("(已修改)" in i.description for i in after[edited].rect_items)
    assert all(after[k] is before[k] for k in after if k != edited)
    notices_after = {n.id: n for n in published_notices(ds, "public")}
    kept = [k for k in notices_after if notices_after[k] is notices_before[k]]
    made = [k for k in notices_after if notices_after[k] is not notices_before[k]]
    assert kept and made  # the edited inspection's notices (and its round's) only
    assert all(any("(已修改)" in i.description for i in notices_after[k].items) for k in made)
