"""What the sites write out under hostile data (issue #17, cases 3 and 7).

- The public changelog (本版变化) compares exactly what the public pages show: a public
  rule whose `references` gains or loses an internal rule is shown unchanged on its public
  page, so it is no change of the public edition.
- CSV downloads: a text cell starting with any character of OWASP's list (= + - @ tab CR)
  is neutralised with a leading apostrophe; numbers stay numbers.
"""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from generators import build, changelog
from generators.dataset import Dataset
from generators.pages.opendata import cell
from generators.pages.rules_library import Library

from .conftest import ROOT
from .test_portal import csv_rows


def _with_references(ds: Dataset, rule_id: str, references: list[str]) -> Dataset:
    rules = [r.model_copy(update={"references": references}) if r.id == rule_id else r for r in ds.rules]
    return Dataset(data_dir=ds.data_dir, records={**ds.records, "rules": rules})


def _picks(ds: Dataset):
    public = [r for r in ds.rules if r.is_public]
    internal = [r for r in ds.rules if not r.is_public]
    rule = public[0]
    hidden = next(r for r in internal if r.id not in rule.references)
    shown = next(r for r in public[1:] if r.id not in rule.references)
    return rule, hidden, shown


def test_public_changelog_lists_no_reference_to_an_internal_rule(dataset):
    rule, hidden, _ = _picks(dataset)
    edited = _with_references(dataset, rule.id, [*rule.references, hidden.id])
    # what the public rule page lists is unchanged ...
    assert Library(edited, "public").cites[rule.id] == Library(dataset, "public").cites[rule.id]
    # ... so the public changelog lists nothing, either way
    assert changelog.changes(dataset, edited, "public") == []
    assert changelog.changes(edited, dataset, "public") == []
    # the internal site does show the new reference, and its changelog says so
    assert hidden.id in Library(edited, "internal").cites[rule.id]
    [change] = changelog.changes(dataset, edited, "internal")
    assert (change.id, change.action, change.fields) == (rule.id, "changed", ("references",))


def test_public_changelog_lists_a_reference_to_a_public_rule(dataset):
    rule, hidden, shown = _picks(dataset)
    edited = _with_references(dataset, rule.id, [*rule.references, hidden.id, shown.id])
    assert shown.id in Library(edited, "public").cites[rule.id]
    [change] = changelog.changes(dataset, edited, "public")
    assert (change.id, change.action, change.fields) == (rule.id, "changed", ("references",))
    markdown = changelog.page([change], "public", "2025", "2024").markdown
    assert hidden.id not in markdown and hidden.title not in markdown


# --- case 7: CSV formula injection ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_formula_start_of_owasps_list_is_neutralised(text):
    assert cell(text) == "'" + text


@pytest.mark.parametrize("value, written", [(-3, "-3"), (Decimal("-1.50"), "-1.50"), (-0.5, "-0.5"), (12, "12"),
                                            ("漯河", "漯河"), ("a-b", "a-b"), (None, "")])
def test_numbers_and_plain_text_are_written_as_they_are(value, written):
    assert cell(value) == written


def test_a_description_starting_with_minus_is_neutralised_in_the_download(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    payload = "-2+3+cmd|' /C calc'!A0"
    items = data / "items.yaml"
    lines = items.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("  description: "))
    lines[index] = f'  description: "{payload}"'
    items.write_text("\n".join(lines), encoding="utf-8")
    pages, problems = build(data, "public")
    assert not [p for p in problems if p.severity == "error"], problems
    [page] = [p for p in pages if p.path == "open-data/items.csv"]
    rows = csv_rows(page.markdown)
    cells = [value for row in rows for value in row.values() if value and payload in value]
    assert cells == ["'" + payload]
