"""Long lists split over pages, so that no page's size grows with the records.

The property tests cover the splitting itself; one real internal build from the sample
data at x3 (tools/sample_data.py --scale 3, every list long enough to split) checks the
HTML: every page under 100 KB, every record on exactly one page of its list, links good.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.pages.common import PER_PAGE, chunk_path, paginate, regroup
from tools.linkcheck import check

from .conftest import ROOT, copy_project, mkdocs_build, run
from .test_validation import ORG, append, one_error

HTML_BUDGET = 100 * 1024


@settings(deadline=None)
@given(n=st.integers(0, 2000), per_page=st.integers(1, 300), minimum=st.integers(1, 5))
def test_every_row_lands_on_exactly_one_page_in_order(n, per_page, minimum):
    rows = list(range(n))
    chunks = paginate("rounds/index.md", rows, per_page, pages=minimum)
    assert [r for c in chunks for r in c.rows] == rows
    assert all(len(c.rows) <= per_page for c in chunks)
    assert len(chunks) == max(minimum, -(-n // per_page))
    assert [c.number for c in chunks] == list(range(1, len(chunks) + 1))
    assert chunks[0].path == "rounds/index.md"
    assert len({c.path for c in chunks}) == len(chunks)
    for c in chunks:
        if c.rows:
            assert rows[c.first - 1:c.last] == c.rows


@settings(deadline=None)
@given(count=st.integers(2, 5000), data=st.data())
def test_pager_links_neighbours_and_stays_small(count, data):
    n = data.draw(st.integers(1, count))
    chunk = paginate("inspections/index.md", list(range(count)), 1)[n - 1]
    pager = str(chunk.pager)
    assert f"第 {n} / {count} 页" in pager
    assert f"**{n}**" in pager
    targets = set(re.findall(r"\]\(([^)]+)\)", pager))
    expected = {chunk_path("inspections/index.md", k).rpartition("/")[2]
                for k in (1, n - 1, n + 1, count) if 1 <= k <= count and k != n}
    assert expected <= targets
    assert len(targets) <= 8  # first, last, previous, next and two either side: bounded
    assert len(pager) < 400


def test_chunk_paths_stay_beside_the_list():
    assert chunk_path("rounds/index.md", 1) == "rounds/index.md"
    assert chunk_path("rounds/index.md", 3) == "rounds/page-3.md"
    assert chunk_path("rules/by-tag.md", 2) == "rules/by-tag-page-2.md"
    assert chunk_path("rules/in-force/2024-12-31.md", 2) == "rules/in-force/2024-12-31-page-2.md"


def test_regroup_keeps_order_and_continues_groups():
    rows = [{"group": g, "i": i} for i, g in enumerate("aabbba")]
    assert [(g["name"], [r["i"] for r in g["rows"]]) for g in regroup(rows)] == [
        ("a", [0, 1]), ("b", [2, 3, 4]), ("a", [5])]


def test_an_id_that_names_a_list_page_is_refused(project_copy, dataset):
    line = append(project_copy, "organisations",
                  ORG.format(id="page-2", name="测试党组织", county=dataset.bodies[0].id))
    msg = one_error(project_copy)
    assert msg.startswith(f"data/organisations.yaml:{line}:")
    assert "留作长列表的分页页名" in msg


@pytest.fixture(scope="module")
def scaled_site(tmp_path_factory) -> Path:
    """The internal site (it has every list the public one has, and the rules) at x3."""
    tmp = tmp_path_factory.mktemp("scaled")
    project = copy_project(tmp / "project")
    shutil.rmtree(project / "data")  # a whole scaled data set (figures without backed_by)
    result = run(["-m", "tools.sample_data", "--scale", "3", "--out", str(project / "data")], cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    out = tmp / "site"
    result = mkdocs_build(project, "internal", out)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


# page 1 of each list, and where its page k sits (a folder beside it, as MkDocs writes page-k.md)
LISTS = {
    "inspections/index.html": "inspections/page-{k}/index.html",
    "organisations/index.html": "organisations/page-{k}/index.html",
    "rules/index.html": "rules/page-{k}/index.html",
    "rules/by-tag/index.html": "rules/by-tag-page-{k}/index.html",
    "rules/in-force/2024-12-31/index.html": "rules/in-force/2024-12-31-page-{k}/index.html",
}


def _pages_of(site: Path, first: str) -> list[Path]:
    out = [site / first]
    while (site / LISTS[first].format(k=len(out) + 1)).exists():
        out.append(site / LISTS[first].format(k=len(out) + 1))
    return out


@pytest.mark.parametrize("first", LISTS)
def test_long_lists_are_split(scaled_site, first):
    pages = _pages_of(scaled_site, first)
    assert len(pages) >= 2, f"{first} was not split at x3"
    for k, page in enumerate(pages, start=1):
        html = page.read_text(encoding="utf-8")
        assert f"第 {k} / {len(pages)} 页" in html


def test_every_inspection_is_listed_once(scaled_site):
    listed = []
    for page in _pages_of(scaled_site, "inspections/index.html"):
        listed += re.findall(r'<tr data-year[^>]*><td><a href="(?:\.\./)*([^"/]+)/"', page.read_text(encoding="utf-8"))
    own = sorted(p.parent.name for p in (scaled_site / "inspections").glob("*--*/index.html"))
    assert sorted(listed) == own
    assert len(own) > PER_PAGE


def test_no_page_outgrows_the_budget(scaled_site):
    sizes = {p.relative_to(scaled_site).as_posix(): p.stat().st_size for p in scaled_site.rglob("*.html")}
    over = {p: s for p, s in sizes.items() if s > HTML_BUDGET}
    assert not over, f"pages over {HTML_BUDGET} bytes at x3: {over}"


def test_scaled_site_links_resolve(scaled_site):
    report = check(scaled_site)
    assert report.checked > 10000
    assert not report.broken, "\n".join(map(str, report.broken[:20]))
