"""Page weight of built sites, per kind of page, against a budget.

    python -m tools.weight site/public site/internal

A page weighs its own HTML plus every file it makes the browser load at once:
stylesheets, scripts, images and icons it references, fonts and images those
stylesheets reference, and data files named by `data-src`. Sizes are
uncompressed bytes on disk. Search (Material's worker, its lunr scripts and
search/search_index.json) is fetched after the page has loaded, once per visit
and then cached, so it is reported per site, outside the page budget.

A kind of page is its place in the site: `/` (home), `rounds/` (a section's
index or a top-level page), `rounds/*/` (every page one level down), and so on.
Prints, per kind, the number of pages and the heaviest page; exits 1 if a page
is over budget.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tools.linkcheck import css_urls, is_external, is_skipped, parse_html, resolve

KB = 1024
# The budget (README, "Quality gates"): a page's own HTML, and everything loaded with it.
BUDGET = {"html": 100 * KB, "total": 1024 * KB}
CATEGORIES = ("html", "css", "js", "fonts", "images", "data", "other")
_EXT = {".css": "css", ".js": "js", ".mjs": "js", ".woff": "fonts", ".woff2": "fonts", ".ttf": "fonts",
        ".otf": "fonts", ".eot": "fonts", ".png": "images", ".jpg": "images", ".jpeg": "images",
        ".gif": "images", ".svg": "images", ".webp": "images", ".avif": "images", ".ico": "images",
        ".json": "data", ".csv": "data", ".html": "html"}
# Elements and rel values that load a file while the page loads (not links to follow).
_LOADED_LINK_RELS = {"stylesheet", "icon", "shortcut icon", "apple-touch-icon", "preload", "modulepreload"}


def category(path: Path) -> str:
    return _EXT.get(path.suffix.lower(), "other")


def kind_of(rel: str) -> str:
    """The kind of a page from its path relative to the site: 'rounds/r-1/index.html' -> 'rounds/*/'."""
    parts = rel.split("/")
    if len(parts) == 1:
        return "/" if rel == "index.html" else rel
    folders = parts[:-1]
    return "/".join([folders[0], *["*"] * (len(folders) - 1)]) + "/"


def pages_by_kind(site: Path) -> dict[str, list[Path]]:
    """Every HTML page of a built site, grouped by kind, sorted."""
    out: dict[str, list[Path]] = {}
    for path in sorted(Path(site).rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("assets/", "search/")):
            continue
        out.setdefault(kind_of(rel), []).append(path)
    return dict(sorted(out.items()))


def representatives(site: Path) -> dict[str, str]:
    """One page of each kind, the heaviest (its URL path relative to the site root, e.g. 'rounds/r-1/')."""
    out = {}
    for kind, paths in pages_by_kind(site).items():
        heaviest = max(paths, key=lambda p: (p.stat().st_size, p.as_posix()))
        rel = heaviest.relative_to(site).as_posix()
        out[kind] = rel[: -len("index.html")] if rel.endswith("index.html") else rel
    return out


def _loaded(tag: str, attr: str, rel: str) -> bool:
    if tag == "a" or attr == "data-src":
        return attr == "data-src"
    if tag == "link":
        return rel in _LOADED_LINK_RELS
    return tag in {"script", "img", "source", "image", "use", "video", "audio", "iframe", "input"}


@dataclass
class Weight:
    page: str  # relative to the site
    kind: str
    sizes: dict[str, int] = field(default_factory=dict)  # category -> bytes
    files: list[str] = field(default_factory=list)  # the assets counted, relative to the site

    @property
    def html(self) -> int:
        return self.sizes.get("html", 0)

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    def over(self) -> list[str]:
        """How this page exceeds the budget, in words (empty if it does not)."""
        out = []
        if self.html > BUDGET["html"]:
            out.append(f"HTML {kib(self.html)}, {kib(self.html - BUDGET['html'])} over the "
                       f"{kib(BUDGET['html'])} budget")
        if self.total > BUDGET["total"]:
            out.append(f"total {kib(self.total)}, {kib(self.total - BUDGET['total'])} over the "
                       f"{kib(BUDGET['total'])} budget ({self.breakdown()})")
        return out

    def breakdown(self) -> str:
        return ", ".join(f"{c} {kib(self.sizes[c])}" for c in CATEGORIES if self.sizes.get(c))


def kib(n: int) -> str:
    return f"{n / KB:.1f} KiB"


def _assets(site: Path, source: Path, urls, seen: set[Path]) -> None:
    for url in urls:
        if is_skipped(url) or is_external(url):
            continue
        target, _ = resolve(site, source, url)
        if target is None or not target.is_file() or target in seen:
            continue
        seen.add(target)
        if target.suffix == ".css":
            _assets(site, target, css_urls(target), seen)


def weigh(site: Path, page: Path) -> Weight:
    site = Path(site).resolve()
    page = page.resolve()
    rel = page.relative_to(site).as_posix()
    seen: set[Path] = set()
    refs = [r.url for r in parse_html(page).refs if _loaded(r.tag, r.attr, r.rel)]
    _assets(site, page, refs, seen)
    seen.discard(page)
    weight = Weight(rel, kind_of(rel), {"html": page.stat().st_size})
    for path in sorted(seen):
        cat = category(path)
        weight.sizes[cat] = weight.sizes.get(cat, 0) + path.stat().st_size
        weight.files.append(path.relative_to(site).as_posix())
    return weight


def weigh_site(site: Path) -> dict[str, list[Weight]]:
    """The weight of every page, by kind."""
    return {kind: [weigh(site, p) for p in paths] for kind, paths in pages_by_kind(site).items()}


def search_cost(site: Path) -> tuple[int, int]:
    """Bytes of search loaded after the page (worker, lunr scripts, index): raw and gzipped."""
    site = Path(site)
    files = [*site.glob("assets/javascripts/workers/search.*.js"), site / "search" / "search_index.json",
             *site.glob("assets/javascripts/lunr/min/lunr.stemmer.support.min.js"),
             *site.glob("assets/javascripts/lunr/min/lunr.zh.min.js")]
    files = [f for f in files if f.is_file()]
    raw = sum(f.stat().st_size for f in files)
    packed = sum(len(gzip.compress(f.read_bytes(), 6)) for f in files)
    return raw, packed


def report(site: Path) -> tuple[list[str], list[str]]:
    """Lines of the report for one site, and one line per page over budget."""
    lines = [f"{site}: budget per page: HTML <= {kib(BUDGET['html'])}, everything loaded with it "
             f"<= {kib(BUDGET['total'])} (uncompressed)",
             f"  {'kind':<24}{'pages':>6}  {'max HTML':>12}  {'max total':>12}  heaviest page"]
    over = []
    for kind, weights in weigh_site(site).items():
        heaviest = max(weights, key=lambda w: (w.total, w.page))
        max_html = max(weights, key=lambda w: (w.html, w.page))
        flag = "  OVER" if any(w.over() for w in weights) else ""
        lines.append(f"  {kind:<24}{len(weights):>6}  {kib(max_html.html):>12}  {kib(heaviest.total):>12}  "
                     f"{heaviest.page} ({heaviest.breakdown()}){flag}")
        over += [f"{w.page}: {problem}" for w in weights for problem in w.over()]
    raw, packed = search_cost(site)
    lines.append(f"  search, loaded after each first page view and cached: {kib(raw)} ({kib(packed)} gzipped)")
    return lines, over


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="weight", description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="+", type=Path, help="built site folders")
    args = parser.parse_args(argv)
    failed = False
    for site in args.sites:
        lines, over = report(site)
        print("\n".join(lines))
        for line in over:
            print(f"  over budget: {line}")
        failed |= bool(over)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
