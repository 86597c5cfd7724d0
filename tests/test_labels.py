"""Each field's label is declared once, on its model (generators/labels.py), and every
place that shows it reads the declaration: the item tables, the explorer, the downloads,
the datapackage and the changelog."""

from __future__ import annotations

import json

import pytest

from generators import build, changelog, lifecycle
from generators.labels import derived, description, title
from generators.model import FILES, RectificationItem, nested_models
from generators.opendata import OWNERS, tables
from generators.pages.inspections import EXPLORER_COLUMNS, ITEM_COLUMNS

from .conftest import ROOT


def every_model():
    seen, todo = [], list(FILES.values())
    while todo:
        model = todo.pop()
        if model not in seen:
            seen.append(model)
            todo.extend(nested_models(model).values())
    return seen


@pytest.mark.parametrize("model", every_model(), ids=lambda m: m.__name__)
def test_every_field_has_a_title(model):
    for name in model.model_fields:
        assert title(model, name).strip(), f"{model.__name__}.{name}"


def test_an_undeclared_name_has_no_title():
    class Plain:
        @property
        def fact(self):
            return 1

        @derived("某项", "说明")
        def declared(self):
            return 2

    with pytest.raises(KeyError):
        title(Plain, "fact")
    assert (title(Plain, "declared"), description(Plain, "declared")) == ("某项", "说明")


@pytest.fixture(scope="module")
def public_pages():
    pages, problems = build(ROOT / "data", "public")
    assert pages, problems
    return {p.path: p.markdown for p in pages}


def test_the_items_table_header_is_the_declared_titles(public_pages):
    header = "".join(f'<th scope="col" data-key="{name}">{title(RectificationItem, name)}</th>'
                     for name, _ in ITEM_COLUMNS)
    with_items = [md for path, md in public_pages.items() if path.startswith("inspections/") and header in md]
    assert with_items, "no inspection page shows the items table with the declared header"
    assert not [path for path, md in public_pages.items() if "| 类别 | 优先级 |" in md]
    # each cell carries its column's title as the label a phone shows before it
    assert all(f'data-label="{title(RectificationItem, name)}"' in with_items[0] for name, _ in ITEM_COLUMNS)
    explorer = public_pages["items/index.md"]
    for name in EXPLORER_COLUMNS:
        assert f'data-key="{name}">{title(RectificationItem, name)}</th>' in explorer
    assert title(lifecycle, "is_overdue") == "逾期" and "整改时限" in explorer


def test_downloads_and_datapackage_carry_the_declared_titles(public_pages, dataset):
    package = json.loads(public_pages["open-data/datapackage.json"])
    items = next(r for r in package["resources"] if r["name"] == "items")
    titles = {f["name"]: f["title"] for f in items["schema"]["fields"]}
    assert titles["deadline"] == title(RectificationItem, "deadline") == "原定时限"
    assert titles["revised_deadline"] == title(RectificationItem, "revised_deadline")
    assert titles["overdue"] == title(lifecycle, "is_overdue")
    # the CSV a citizen opens in Excel: its header row is those titles, in the package's order
    header = public_pages["open-data/items.csv"].lstrip("\ufeff").split("\r\n", 1)[0].split(",")
    assert header == [f["title"] for f in items["schema"]["fields"]]
    assert {"轮次名称", "所属县区", "被巡察党组织"} <= set(header) and len(set(header)) == len(header)
    for table in tables(dataset, "public"):
        assert all(f.title for f in table.fields), table.name
    assert set(OWNERS) >= {"Item", "Inspection", "lifecycle"}


def test_the_changelog_names_fields_by_their_declared_titles():
    assert changelog.label("items", "deadline") == "原定时限"
    assert changelog.label("rules", "issuer") == title(FILES["rules"], "issuer")
    with pytest.raises(KeyError):
        changelog.label("items", "no_such_field")


def test_items_show_no_raw_id_and_each_has_a_permalink(public_pages):
    """An item's id is its row's anchor and its permalink, never text a reader sees."""
    from bs4 import BeautifulSoup

    checked = 0
    for path, md in public_pages.items():
        if not (path.startswith("inspections/") and 'class="lh-items"' in md):
            continue
        # the items' tables (the inspections list shares their layout, not their rows)
        rows = BeautifulSoup(md, "html.parser").select("table.lh-items:has(th[data-key=description]) tbody tr")
        for row in rows:
            assert row["id"] and row.select_one("a.lh-permalink")["href"] == f"#{row['id']}", path
            assert row["id"] not in row.get_text(), path
            checked += 1
    assert checked, "no inspection page shows items"


def test_the_open_data_page_speaks_plainly(public_pages):
    page = public_pages["open-data/index.md"]
    assert not [word for word in ("BOM", "UTF-8", "Frictionless", "Data Package", "id)") if word in page]
    assert "可用 Excel" in page
    for name in ("inspections", "items", "rounds", "organisations", "figures", "rules", "timeline", "notices"):
        assert f'<a href="{name}.csv" download>下载表格({name}.csv)</a>' in page
        assert f'<a href="{name}.json" download>' in page
