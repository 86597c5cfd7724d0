"""Golden checksums (tests/golden/): every generated page of both builds of data/ is
byte for byte what was committed; a meant change is committed with `make golden`."""

from __future__ import annotations

import pytest

from tools.golden import GOLDEN, checksums, differences, parse, render

from .conftest import ROOT


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_generated_pages_match_the_golden_checksums(audience):
    expected = parse((GOLDEN / f"{audience}.sha256").read_text(encoding="utf-8"))
    diff = differences(expected, checksums(ROOT / "data", audience))
    assert not diff, "pages differ from tests/golden/ (run `make golden` if the change is meant):\n" + "\n".join(diff)


def test_a_changed_page_is_named(tmp_path, project_copy):
    """The check can fail: one edited description changes its item's pages, and is named."""
    items = project_copy / "data" / "items.yaml"
    text = items.read_text(encoding="utf-8")
    at = text.index("  description: ") + len("  description: ")
    items.write_text(text[:at] + "(改动)" + text[at:], encoding="utf-8")
    expected = parse((GOLDEN / "public.sha256").read_text(encoding="utf-8"))
    diff = differences(expected, checksums(project_copy / "data", "public"))
    assert diff and all(line.startswith("changed: ") for line in diff)
    assert parse(render(expected)) == expected
