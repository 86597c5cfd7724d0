"""Pagefind's index for the built site (issue #16): after MkDocs has written the site, run the
pinned Pagefind binary (the `pagefind[extended]` package, Chinese segmentation included) over
its pages. A plain `mkdocs build` with mkdocs.yml or mkdocs.internal.yml therefore gives a
site with working search; the generators know nothing of it.

Only the article of the pages marked data-pagefind-body is indexed (not the navigation, header or
footer): overrides/partials/search-section.html marks them and names their section. Runs only when
`extra.search` is "pagefind" (the offline package and the bench build with Material's own
search instead)."""

from __future__ import annotations

import subprocess
import sys
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


_serving = False


def on_startup(command, dirty) -> None:
    global _serving
    _serving = command == "serve"


def on_post_build(config) -> None:
    if config.extra.get("search") != "pagefind":
        return
    if _serving and (Path(config.site_dir) / "pagefind" / "pagefind-entry.json").is_file():
        return  # a preview's rebuild keeps the search of its first build (its banner says search may be stale)
    result = subprocess.run(command(config.site_dir), capture_output=True, text=True, timeout=1800)
    if result.returncode:
        raise PluginError(f"Pagefind could not index {config.site_dir}: {result.stderr.strip() or result.stdout.strip()}")
    for line in result.stdout.splitlines() + result.stderr.splitlines():
        if line.strip() and "stemming" not in line and "Search will still work" not in line:
            log.info(line.strip())
