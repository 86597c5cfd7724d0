"""Pagefind's index for the built site (issue #16): after MkDocs has written the site, run the
pinned Pagefind binary (the `pagefind[extended]` package, Chinese segmentation included) over
its pages. A plain `mkdocs build` with mkdocs.yml or mkdocs.internal.yml therefore gives a
site with working search; the generators know nothing of it.

Only the article of the pages marked data-pagefind-body is indexed (not the navigation, header or
footer): overrides/partials/search-section.html marks them and names their section. Runs only when
`extra.search` is "pagefind" (the offline package and the bench build with Material's own
search instead).

Pagefind holds every page it indexes in memory at once: about 24 MiB per million characters
of their articles, 7.2 GiB for the 32,887 indexed pages of the x100 internal site. A site whose
indexed articles are longer than `extra.search_part_chars` (PART_CHARS) is indexed in parts,
each run on its own pages only (linked into a folder of their own, so the URLs are the same):
the first part is pagefind/, the next pagefind/part-2/ and so on, and pagefind/parts.json lists
them for assets/search.js, which merges them into one search (Pagefind's mergeIndex). Below
that size, the whole site is indexed in one run, as it always was."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger(__name__)

# Left out of the index: the ¶ of headings (not in titles), and of an inspection's table of
# rectification items all but each item's own text: its status, deadline, unit, dated history,
# tags and ¶, the same few words on every row, which made the words' index chunks, and so the
# bytes of a first query, grow with the items (bench/README.md, "Search engines side by side").
EXCLUDED = ["a.headerlink", "table.lh-items>tbody>tr>td:not(.lh-item__problem)", ".lh-permalink", ".lh-tag"]
ARGUMENTS = ["--force-language", "zh", *(a for s in EXCLUDED for a in ("--exclude-selectors", s)), "--quiet"]


def command(site_dir: str) -> list[str]:
    return [sys.executable, "-m", "pagefind", "--site", site_dir, *ARGUMENTS]


PART_CHARS = 40_000_000  # characters of indexed articles per Pagefind run: about 1.1 GiB of its memory
MARK = "<div data-pagefind-body>"  # overrides/partials/search-section.html
PARTS = "parts.json"

_serving = False
_indexed: list[tuple[str, int]] = []  # this build's indexed pages: (output file, its article's length)


def on_startup(command, dirty) -> None:
    global _serving
    _serving = command == "serve"


def on_pre_build(config) -> None:
    _indexed.clear()


def on_post_page(output: str, page, config) -> str:
    start = output.find(MARK)
    if start >= 0:
        end = output.find("</article>", start)
        _indexed.append((page.file.dest_uri, (end if end > start else len(output)) - start))
    return output


def parts(indexed: list[tuple[str, int]], limit: int) -> list[list[str]]:
    """The indexed pages in as few parts as keep each part's articles at most `limit` characters
    long (a page longer than that is a part of its own). The other pages go to the parts in
    turn, in the order of their paths, so that every part holds a like share of every section:
    Pagefind scores a page against its own part's word statistics, and parts alike in their mix
    score like the whole site (a part of rules only next to a part of inspections ranked a rule
    above the page a query named)."""
    limit = max(limit, 1)
    alone = [[path] for path, length in sorted(indexed) if length > limit]
    rest = sorted((path, length) for path, length in indexed if length <= limit)
    count = max(1, -(-sum(length for _, length in rest) // limit))
    while True:
        split = [rest[n::count] for n in range(count)]
        if count >= len(rest) or all(sum(length for _, length in part) <= limit for part in split):
            return [[path for path, _ in part] for part in split if part] + alone
        count = min(len(rest), count + max(1, count // 10))


def on_post_build(config) -> None:
    if config.extra.get("search") != "pagefind":
        return
    site = Path(config.site_dir)
    if _serving and (site / "pagefind" / PARTS).is_file():
        return  # a preview's rebuild keeps the search of its first build (its banner says search may be stale)
    split = parts(_indexed, int(config.extra.get("search_part_chars", PART_CHARS)))
    if len(split) <= 1:
        _run(command(config.site_dir), config.site_dir)
        names = []
    else:
        names = [f"part-{n}/" for n in range(2, len(split) + 1)]
        for out, pages in zip(["", *names], split, strict=True):
            try:
                staged = tempfile.TemporaryDirectory(prefix=".pagefind-part-", dir=site.parent)
            except OSError as exc:
                raise PluginError(f"Pagefind could not index {config.site_dir} in parts: {exc}") from exc
            with staged as stage:
                for page in pages:
                    _link(site / page, Path(stage, page))
                _run([*command(stage), "--output-path", str(site / "pagefind" / out)], config.site_dir)
            if out:  # a part's own index only: the script, its interface and WebAssembly are the first part's
                for path in (site / "pagefind" / out).iterdir():
                    if path.is_file() and path.name != "pagefind-entry.json" and path.suffix != ".pf_meta":
                        path.unlink()
    (site / "pagefind").mkdir(parents=True, exist_ok=True)  # written last: the index is whole
    (site / "pagefind" / PARTS).write_text(json.dumps(names), encoding="utf-8")


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copyfile(source, target)


def _run(args: list[str], site_dir: str) -> None:
    result = subprocess.run(args, capture_output=True, text=True, timeout=1800)
    if result.returncode:
        raise PluginError(f"Pagefind could not index {site_dir}: {result.stderr.strip() or result.stdout.strip()}")
    for line in result.stdout.splitlines() + result.stderr.splitlines():
        if line.strip() and "stemming" not in line and "Search will still work" not in line:
            log.info(line.strip())
