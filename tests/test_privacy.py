"""Nothing internal reaches the public build; hostile text is escaped everywhere.

The canary build plants a unique marker in every internal-only field and every
free-text field of every internal record, and an XSS payload in every free-text
field of every public record, then builds both sites from that data.
"""

from __future__ import annotations

import gzip
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from generators.model import FILES
from generators.yamlstrict import parse

from .conftest import ROOT, copy_project, html_files, mkdocs_build, run
from .privacy import hits, normalised, records, walk

PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)>[x](javascript:alert(3)) *b* `c` | d'
MARK = re.compile(r"CANARY\d{5}X")


class _Dumper(yaml.SafeDumper):
    """Writes back what generators.yamlstrict read: decimals with their digits (3650.40)."""


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value)))


def read_raw(data_dir: Path) -> dict[str, list]:
    out = {}
    for stem in FILES:
        parsed, problems = parse((data_dir / f"{stem}.yaml").read_text(encoding="utf-8"), stem, stem)
        assert not problems
        out[stem] = parsed.value
    return out


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    data = read_raw(project / "data")
    markers: list[str] = []
    for model, raw in records(data):
        internal_record = raw.get("audience") != "public"
        for holder, name, internal in walk(model, raw, internal_record):
            if internal:  # a marker, and the payload: escaping must hold in the internal build too
                markers.append(f"CANARY{len(markers):05d}X")
                holder[name] = f"{markers[-1]} {holder[name]} {PAYLOAD}"
            else:
                holder[name] = f"{holder[name]} {PAYLOAD}"
    for stem, value in data.items():
        (project / "data" / f"{stem}.yaml").write_text(
            yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    markers.append("CANARY99998X")  # training material kept as Markdown (content/materials/)
    for material in (project / "content" / "materials").glob("*.md"):
        material.write_text(f"CANARY99998X\n\n{material.read_text(encoding='utf-8')}", encoding="utf-8")
    markers.append("CANARY99999X")
    (project / "content" / "internal" / "canary.md").write_text(
        "---\naudience: internal\n---\n\n# 内部页面\n\nCANARY99999X\n", encoding="utf-8")
    sites = {}
    for audience in ("public", "internal"):
        sites[audience] = project / "out" / audience
        result = mkdocs_build(project, audience, sites[audience])
        assert result.returncode == 0, result.stderr[-4000:]
    return {"project": project, "markers": markers, **sites}


def test_canary_markers_planted_widely(hostile):
    assert len(hostile["markers"]) > 500


def test_no_canary_in_any_public_file(hostile):
    site = hostile["public"]
    kinds = {p.suffix for p in site.rglob("*") if p.is_file()}
    assert {".html", ".json", ".xml", ".js"} <= kinds
    assert (site / "pagefind" / "pagefind-entry.json").exists() and (site / "sitemap.xml").exists()
    assert list(site.glob("pagefind/fragment/*.pf_fragment"))  # scanned too, unzipped (privacy.normalised)
    assert (site / "404.html").exists()
    leaked = [(path, m) for path in sorted(site.rglob("*")) if path.is_file() and path.suffix != ".gz"
              for m in MARK.findall(normalised(path))]
    assert leaked == []


def test_canaries_do_reach_the_internal_build(hostile):
    """Proves the canary test can fail: the markers are rendered where they are allowed."""
    text = " ".join(normalised(p) for p in html_files(hostile["internal"]))
    shown = set(MARK.findall(text))
    assert "CANARY99999X" in shown and "CANARY99998X" in shown
    assert len(shown) > 0.5 * len(hostile["markers"])


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_hostile_text_is_escaped_on_every_page(hostile, audience):
    pages = html_files(hostile[audience])
    shown = 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article") or soup
        assert not [s for s in article.find_all("script") if "alert" in (s.string or "")], page
        assert not soup.find_all(attrs={"onerror": True}), page
        assert not soup.select('a[href^="javascript:"]'), page
        head_title = soup.title.string if soup.title else ""
        assert "<script>" not in str(soup.title or "").replace("&lt;", ""), page
        if "<script>alert(1)</script>" in article.get_text():
            shown += 1
        del head_title
    assert shown > 20, "the payload should be visible as text on many pages"
    # Pagefind's fragments hold the page's text, payload included, as plain text; that search
    # shows it as text is tested in tests/test_search.py (test_hostile_text_in_the_index_*)
    index = " ".join(gzip.decompress(p.read_bytes()).decode("utf-8")
                     for p in sorted(hostile[audience].glob("pagefind/fragment/*.pf_fragment")))
    assert "<script>alert(1)</script>" in index


def test_missing_audience_page_is_left_out_and_flagged(project_copy):
    (project_copy / "content" / "public" / "stray.md").write_text("# 草稿\n\nSTRAYMARK\n", encoding="utf-8")
    strict = run(["-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", "out"], cwd=project_copy)
    assert strict.returncode != 0
    assert "stray.md: 没有写明 audience: public" in strict.stderr
    lax = run(["-m", "mkdocs", "build", "--no-strict", "-f", "mkdocs.yml", "-d", "out"], cwd=project_copy)
    assert lax.returncode == 0, lax.stderr[-2000:]
    assert not (project_copy / "out" / "stray").exists()
    assert hits(project_copy / "out", ["STRAYMARK"]) == []


def test_shipped_internal_values_never_in_public_site(public_site):
    """Every internal-only value of the real data, scanned for in the public build."""
    data = read_raw(ROOT / "data")
    internal, public = set(), set()
    for model, raw in records(data):
        for holder, name, is_internal in walk(model, raw, raw.get("audience") != "public"):
            (internal if is_internal else public).add(holder[name].strip())
    # lines of internal text that are at least 8 characters and never said publicly
    def lines(values):
        return {line.strip() for value in values for line in value.splitlines()}

    needles = sorted({x for x in lines(internal) if len(x) >= 8} - lines(public))
    assert len(needles) > 100
    assert hits(public_site, needles) == []


def test_canaries_in_the_systems_reach_only_their_internal_pages(hostile):
    """The article's systems and their records (systems.yaml, system_records.yaml) are internal:
    the markers planted in them are shown on the internal system pages and in no public file."""
    project = hostile["project"]
    planted = {m for stem in ("systems", "system_records")
               for m in MARK.findall((project / "data" / f"{stem}.yaml").read_text(encoding="utf-8"))}
    assert len(planted) > 300
    shown = {m for page in (hostile["internal"] / "systems").rglob("*.html") for m in MARK.findall(normalised(page))}
    assert len(shown & planted) > 0.8 * len(planted)
    public = {m for p in hostile["public"].rglob("*") if p.is_file() and p.suffix != ".gz"
              for m in MARK.findall(normalised(p))}
    assert not public & planted
