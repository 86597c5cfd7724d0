"""Check every internal link, anchor and asset of built sites; list external links.

    python -m tools.linkcheck site/public site/internal [--external]

Reads the HTML of each site (and the URLs inside its CSS files and its search
index): every relative or root-relative href/src must resolve to a file of the
same site, and every #fragment must be an id (or <a name>) of the target page.
External http(s) links are collected, never fetched (`--external` lists them).
Links inside Material's banner for old editions (`data-md-component="outdated"`)
point above the edition, to the editions root, by design: they are listed as
outside the edition, not checked. Prints one line per broken link,
`page: url: reason`, and exits 1 if any.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

# Attributes that make the browser load or navigate to another address.
URL_ATTRS = {"href", "src", "poster", "data-src", "xlink:href"}
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


@dataclass(frozen=True)
class Ref:
    tag: str
    attr: str
    url: str
    rel: str = ""
    above_edition: bool = False  # inside Material's banner for old editions


@dataclass
class Parsed:
    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Parsed()
        self.banner_depth = 0  # open <div>s since Material's banner for old editions

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "div" and (self.banner_depth or values.get("data-md-component") == "outdated"):
            self.banner_depth += 1
        if values.get("id"):
            self.out.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.out.ids.add(values["name"])
        rel = (values.get("rel") or "").lower()
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRS:
                self.out.refs.append(Ref(tag, name, value.strip(), rel, self.banner_depth > 0))
            elif name == "srcset":
                for part in value.split(","):
                    if part.strip():
                        self.out.refs.append(Ref(tag, name, part.split()[0], rel, self.banner_depth > 0))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "div" and self.banner_depth:
            self.banner_depth -= 1

    def handle_endtag(self, tag):
        if tag == "div" and self.banner_depth:
            self.banner_depth -= 1


@cache
def parse_html(path: Path) -> Parsed:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.out


@cache
def css_urls(path: Path) -> tuple[str, ...]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return tuple(m.group(2).strip() for m in CSS_URL.finditer(text))


def is_external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def is_skipped(url: str) -> bool:
    return not url or url.lower().startswith(SKIP_SCHEMES)


def resolve(site: Path, source: Path, url: str) -> tuple[Path | None, str]:
    """The file an internal URL points to (None if it leaves the site) and its fragment.

    `source` is the file holding the URL; relative URLs resolve against its folder,
    root-relative ones against the site root.
    """
    parts = urlsplit(url)
    fragment = unquote(parts.fragment)
    if not parts.path:
        return source, fragment
    if parts.path.startswith("/"):
        rel = PurePosixPath(unquote(parts.path).lstrip("/"))
    else:
        base = PurePosixPath(source.relative_to(site).as_posix()).parent
        rel = base / unquote(parts.path)
    resolved: list[str] = []
    for piece in rel.parts:
        if piece == "..":
            if not resolved:
                return None, fragment
            resolved.pop()
        elif piece != ".":
            resolved.append(piece)
    target = site.joinpath(*resolved)
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, fragment


@dataclass(frozen=True, order=True)
class Broken:
    page: str  # the file holding the link, relative to the site
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.url}: {self.reason}"


@dataclass
class Report:
    site: Path
    broken: list[Broken] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)  # url -> pages
    above_edition: dict[str, list[str]] = field(default_factory=dict)  # url -> pages
    checked: int = 0


def _check_one(report: Report, source: Path, url: str) -> None:
    site = report.site
    if is_skipped(url):
        return
    page = source.relative_to(site).as_posix()
    if is_external(url):
        report.external.setdefault(url, []).append(page)
        return
    report.checked += 1
    target, fragment = resolve(site, source, url)
    if target is None:
        report.broken.append(Broken(page, url, "leaves the site"))
    elif not target.is_file():
        report.broken.append(Broken(page, url, f"no such file {target.relative_to(site).as_posix()}"))
    elif fragment and target.suffix == ".html" and fragment not in parse_html(target).ids:
        report.broken.append(Broken(page, url, f"no id {fragment!r} in {target.relative_to(site).as_posix()}"))


def check(site: Path) -> Report:
    """Every broken internal link of one built site, and its external links."""
    site = Path(site).resolve()
    report = Report(site)
    for path in sorted(site.rglob("*.html")):
        for ref in parse_html(path).refs:
            if ref.above_edition and not is_skipped(ref.url) and not is_external(ref.url):
                report.above_edition.setdefault(ref.url, []).append(path.relative_to(site).as_posix())
            else:
                _check_one(report, path, ref.url)
    for path in sorted(site.rglob("*.css")):
        for url in css_urls(path):
            _check_one(report, path, url)
    index = site / "search" / "search_index.json"
    if index.is_file():
        # Search results link to these locations, relative to the site root.
        for doc in json.loads(index.read_text(encoding="utf-8")).get("docs", []):
            _check_one(report, site / "index.html", doc["location"] or "./")
    report.broken.sort()
    report.external = {k: sorted(set(v)) for k, v in sorted(report.external.items())}
    report.above_edition = {k: sorted(set(v)) for k, v in sorted(report.above_edition.items())}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="linkcheck", description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="+", type=Path, help="built site folders")
    parser.add_argument("--external", action="store_true", help="list the external links too")
    args = parser.parse_args(argv)
    failed = False
    for site in args.sites:
        report = check(site)
        failed |= bool(report.broken)
        print(f"{site}: {report.checked} internal links checked, {len(report.broken)} broken, "
              f"{len(report.external)} external (not fetched), "
              f"{len(report.above_edition)} to the editions root (not checked)")
        for broken in report.broken:
            print(f"  {broken}")
        if args.external:
            for url, pages in report.external.items():
                print(f"  external {url} ({len(pages)} pages, e.g. {pages[0]})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
