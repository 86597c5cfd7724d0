"""What keeps a build's memory down (issue #18, goal 3; measured by `make bench`, not here):
pages and data texts held compressed, open-data files written as their lines come, and MkDocs
holding a generated page's HTML only while the page is written. Each test checks that the
thing held small still gives back exactly what it stands for."""

from __future__ import annotations

import shutil
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.audience import Page, PageWriter, packed
from generators.load import load
from generators.opendata import Rows, tables
from generators.pipeline import build, keep_between_builds
from generators.yamlstrict import parse

from .conftest import ROOT


def test_a_builds_pages_hold_their_text_compressed_and_give_it_back():
    pages, _ = build(ROOT / "data", "public")
    assert pages and all(isinstance(p.text, bytes) for p in pages)
    assert all(p.markdown == zlib.decompress(p.text, -15).decode("utf-8") for p in pages)
    whole = sum(len(p.markdown.encode("utf-8")) for p in pages)
    assert sum(len(p.text) for p in pages) * 4 < whole  # what is held is a fraction of the text
    keep_between_builds(True)  # the live preview too: a page made again with the same text has the same bytes
    try:
        kept, _ = build(ROOT / "data", "public")
        again, _ = build(ROOT / "data", "public")
    finally:
        keep_between_builds(False)
    assert all(isinstance(p.text, bytes) for p in kept)
    assert kept == pages and [p.text for p in kept] == [p.text for p in pages]
    assert all(a is k for a, k in zip(again, kept, strict=True))  # nothing changed: every page kept


@settings(max_examples=80, deadline=None)
@given(parts=st.lists(st.tuples(st.text(alphabet=st.sampled_from("巡察整改事项ab1\n,\"\ufeff"), max_size=40), st.booleans()),
                      max_size=12))
def test_a_page_written_in_parts_is_the_page_of_its_whole_text(parts):
    """Parts written as text or compressed before (`packed`, each on its own), in any order,
    give the whole text; written as text only, the very bytes of the whole text's page."""
    writer = PageWriter("open-data/x.csv", "public")
    for text, before in parts:
        if before:
            writer.write_packed(packed(text))
        else:
            writer.write(text)
    page = writer.page()
    whole = Page("open-data/x.csv", "".join(text for text, _ in parts), "public")
    assert page.markdown == whole.markdown and page == whole
    if not any(before for _, before in parts):
        assert page.text == whole.text


def test_the_items_table_makes_its_rows_when_read_and_the_same_each_time(dataset):
    items = next(t for t in tables(dataset, "internal") if t.name == "items")
    assert isinstance(items.rows, Rows)  # not a list of every row
    first, again = list(items.rows), list(items.rows)
    assert first == again and len(first) == len(items.rows) > 100
    assert len({r["id"] for r in first}) == len(first)


def test_a_builds_data_texts_are_held_compressed_and_positions_still_found(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    ds = load(data)
    texts = {stem: p.text for stem, p in ds.parsed.items() if p.text is not None}
    assert texts and all(isinstance(t, bytes) for t in texts.values())
    # a position asked after validation is the one a fresh parse of the file gives
    text = (data / "items.yaml").read_text(encoding="utf-8")
    fresh, _ = parse(text, "items.yaml", "items")
    path = max(p for p in fresh.positions if p and p[-1] == "description")  # the last item's
    assert ds.parsed["items"].where(path) == fresh.positions[path]


def test_a_generated_page_holds_its_html_only_while_it_is_written(tmp_path, monkeypatch):
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    held: list[int] = []
    build_page = mkdocs_build._build_page

    def counting(page, config, doc_files, *args, **kwargs):
        held.append(sum(1 for f in doc_files if f.page is not None and f.page.content and f.abs_src_path is None))
        return build_page(page, config, doc_files, *args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", counting)
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.extra["search"] = "none"  # Pagefind's index is not what this is about
    mkdocs_build.build(config)
    assert len(held) > 500 and max(held) == 0  # MkDocs alone holds every page's HTML before writing any
    page = tmp_path / "site" / "rules" / "index.html"
    assert "制度规范" in page.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _keeping_restored():
    yield
    keep_between_builds(False)


def test_the_preview_keeps_the_items_files_when_another_table_changes(tmp_path):
    """A rule edited under the preview makes the open-data files again; the items' files, whose
    rows are made an inspection at a time and compared a part at a time, are the last build's."""
    from .test_incremental import _edit_text

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    keep_between_builds(True)
    try:
        first = {p.path: p for p in build(data, "internal")[0] if p.path.startswith("open-data/")}
        _edit_text(data / "rules.yaml")
        again = {p.path: p for p in build(data, "internal")[0] if p.path.startswith("open-data/")}
    finally:
        keep_between_builds(False)
    items = [path for path in first if path.startswith("open-data/items")]
    assert len(items) > 3 and all(again[path] is first[path] for path in items)
    assert again["open-data/rules.csv"] != first["open-data/rules.csv"]


def _texts_held(root: object) -> int:
    """Bytes of every text (str or bytes longer than 64 bytes) reachable from `root`, not counting
    what the validated records hold (nor classes, modules, functions): the texts and parses the
    live preview keeps besides the records (ids and hashes are shorter)."""
    import gc
    import sys
    import types

    from pydantic import BaseModel

    skip = (BaseModel, type, types.ModuleType, types.FunctionType)
    seen: set[int] = set()
    stack, total = [root], 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, skip):
            continue
        seen.add(id(obj))
        if isinstance(obj, (str, bytes)):
            total += sys.getsizeof(obj) if sys.getsizeof(obj) > 64 + sys.getsizeof(obj[:0]) else 0
        else:
            stack.extend(gc.get_referents(obj))
    return total


def test_the_preview_keeps_hashes_of_the_data_not_its_text_nor_its_parse(tmp_path):
    """Between rebuilds the preview keeps each record's model, found again by hashes of its
    text and of its value; the texts and parses it kept before were 0.6 GiB at x100."""
    from generators import load as loader
    from generators.load import keep_between_loads

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    size = sum(p.stat().st_size for p in data.glob("*.yaml"))
    keep_between_loads(True)
    try:
        first = load(data)
        _edit_one_description(data / "items.yaml")
        again = load(data)
        kept = _texts_held(loader._REUSE)
    finally:
        keep_between_loads(False)
    assert again.items[1] is first.items[1] and again.items[0] is not first.items[0]
    assert again.rules[0] is first.rules[0]
    # what is held is the data files' texts compressed; each file's text and each record's,
    # as they were kept before, were twice the data's size
    assert kept < size / 3, (kept, size)


def _edit_one_description(path):
    text = path.read_text(encoding="utf-8")
    marker = "  description: "
    at = text.index(marker) + len(marker)
    path.write_text(text[:at] + "(改)" + text[at:], encoding="utf-8")


def test_the_preview_makes_again_only_the_items_year_file_of_the_edited_item(tmp_path):
    """An item edited under the preview changes the items' CSV and JSON and its year's JSON;
    every other year's file is the last build's page, not compressed again."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    keep_between_builds(True)
    first = {p.path: p for p in build(data, "public")[0] if p.path.startswith("open-data/items")}
    _edit_one_description(data / "items.yaml")
    again = {p.path: p for p in build(data, "public")[0] if p.path.startswith("open-data/items")}
    year = next(p for p in again.values() if p.path.endswith(".json") and "(改)" in p.markdown
                and p.path != "open-data/items.json")
    others = [path for path in again if path.startswith("open-data/items-") and path != year.path]
    assert len(others) > 2 and all(again[path] is first[path] for path in others)
    assert year is not first[year.path] and "(改)" in again["open-data/items.csv"].markdown


def test_the_preview_makes_again_only_the_edited_inspections_open_data_lines(tmp_path, monkeypatch):
    """The items' files are joined from each inspection's lines compressed apart: an item edited
    under the preview makes one inspection's lines again, and the files still hold every line."""
    from generators.pages import opendata

    made: list[str] = []
    real = opendata._made_part
    monkeypatch.setattr(opendata, "_made_part", lambda names, fn, args, by_year: made.append(args[0]) or real(
        names, fn, args, by_year))
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    keep_between_builds(True)
    build(data, "internal")
    inspections = len(made)
    assert inspections > 10
    _edit_one_description(data / "items.yaml")
    pages = {p.path: p for p in build(data, "internal")[0]}
    keep_between_builds(False)
    assert len(made) == inspections + 1  # the edited item's inspection
    fresh = {p.path: p for p in build(data, "internal")[0]}
    files = [path for path in fresh if path.startswith("open-data/items")]
    assert all(pages[path].markdown == fresh[path].markdown for path in files)
    assert "(改)" in pages["open-data/items.csv"].markdown


def test_records_refer_to_one_object_for_each_short_text(dataset):
    """The items of a round name it with one string, not one each (ids, statuses, dates are
    read thousands of times and kept while the preview runs); a description is its own."""
    items = dataset.records["items"]
    by_round: dict[str, list] = {}
    for item in items:
        by_round.setdefault(item.round, []).append(item)
    shared = [group for group in by_round.values() if len(group) > 1]
    assert shared and all(i.round is group[0].round and i.status is next(
        j for j in items if j.status == i.status).status for group in shared for i in group)
    long = [i.description for i in items if len(i.description) > 24]
    assert long and len({id(d) for d in long}) == len(long)


def test_records_given_the_same_fields_share_one_set_of_them(dataset):
    """pydantic keeps a new set of the given fields' names in every model: more memory than the
    models and their values at x100. Ours share one, which nothing may change and a copy does not."""
    items = dataset.items
    by_fields: dict = {}
    for item in items:
        by_fields.setdefault(frozenset(item.model_fields_set), set()).add(id(item.__pydantic_fields_set__))
        for change in item.history:
            by_fields.setdefault(frozenset(change.model_fields_set), set()).add(id(change.__pydantic_fields_set__))
    assert len(by_fields) < len(items) / 10 and all(len(ids) == 1 for ids in by_fields.values())
    first = items[0]
    assert first.model_fields_set == {k for k, v in first.model_dump(exclude_unset=True).items()}
    shared = first.__pydantic_fields_set__
    copied = first.model_copy(update={"revision_reason": "改"})
    assert copied.revision_reason == "改" and "revision_reason" in copied.model_fields_set
    assert first.__pydantic_fields_set__ is shared and "revision_reason" not in shared
    with pytest.raises(TypeError):
        shared.add("revision_reason")
