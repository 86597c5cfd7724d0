"""The build: data/ in, every page of one audience out. Everything calls this.

    pages, problems = build(data_dir, "public")

load (read each file strictly, validate each record with its model, cross-check the
records) -> generate (every page generator of generators/pages/, then the edition's
changelog page). `problems` holds every error, warning and notice found; when any is an
error, `pages` is empty. The MkDocs hook, `python -m generators`, the site build, the
benchmark and the tests call this and nothing else assembles the steps.
"""

from __future__ import annotations

import os
from pathlib import Path

from .audience import AUDIENCES, Page, by_path
from .dataset import Dataset
from .edition import UNPUBLISHED, Edition
from .edition import pages as edition_pages
from .load import keep_between_loads, load
from .pagecache import forget_kept_pages_when_changed, keep_pages_between_builds
from .pages import generate
from .problems import DataError, Problem
from .render import templates_stamp


def build(data_dir: Path, audience: str, edition: Edition = UNPUBLISHED) -> tuple[list[Page], list[Problem]]:
    """Every page of one build, sorted by path, and every problem of the data."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    ds, problems = validate(data_dir)
    if ds is None:
        return [], problems
    return pages(ds, audience, edition), problems


def validate(data_dir: Path) -> tuple[Dataset | None, list[Problem]]:
    """The validated data and every problem found; no Dataset when any problem is an error."""
    try:
        ds = load(Path(data_dir))
    except DataError as exc:
        return None, exc.problems
    return ds, sorted(ds.warnings)


def pages(ds: Dataset, audience: str, edition: Edition = UNPUBLISHED) -> list[Page]:
    """Every page of one build of validated data, sorted by path."""
    forget_kept_pages_when_changed(templates_stamp())  # a template edited under the preview
    return sorted(generate(ds, audience) + edition_pages(ds, audience, edition), key=by_path)


def keep_between_builds(on: bool = True) -> None:
    """For a process that builds again after each edit (`mkdocs serve`): keep each data file's
    parse and each record's validation (generators/load.py) and each page with the inputs it
    was made from (generators/pagecache.py), so a rebuild reads, validates and makes again
    only what the edit changed. Off, everything is forgotten. The pages' texts are held
    compressed either way (a page made again with the same text has the same bytes)."""
    keep_between_loads(on)
    keep_pages_between_builds(on)


class Preview:
    """The pages of a live preview, kept as files in `folder` between rebuilds.

    `update(pages)` writes a page's file only when its content differs from the last
    update and removes the files of pages that are gone, so a file's modification time
    says whether its page changed: a previewer that renders only sources newer than their
    output (MkDocs' dirty build) renders only the changed pages. After a build with data
    errors the folder still holds the last pages built without one, so the preview can
    keep showing them next to the errors."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._texts: dict[str, bytes] = {}  # each page's text as last written, as the page holds it (compressed)

    def update(self, pages: list[Page]) -> list[str]:
        """Write the pages whose content changed; their paths, sorted."""
        # compared as held: a kept page's text is the same object (at once), a page made again
        # is compressed to the same bytes when its text is the same
        last = self._texts
        made = {p.path: p for p in pages}
        changed = sorted(path for path, p in made.items() if last.get(path) != p.text)
        self._texts = texts = {path: p.text for path, p in made.items()}
        folders = set()
        for path in changed:
            target = os.path.join(self.folder, path)
            if (folder := os.path.dirname(target)) not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            with open(target, "wb") as f:
                f.write(made[path].encoded)
        for path in sorted(last.keys() - texts.keys()):
            Path(self.folder, path).unlink(missing_ok=True)
        return changed

    def files(self) -> list[tuple[str, str]]:
        """(page path, its file) of every page of the last update, sorted by path (os.path:
        pathlib's `/` took seconds for the 7,000 pages of x10 data)."""
        folder = str(self.folder)
        return [(path, os.path.join(folder, path)) for path in sorted(self._texts)]


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)
