"""Page generators: pure functions from a validated Dataset to Markdown pages.

Each module exposes `pages(ds, audience) -> Iterable[Page]`. With audience
"public" a generator must leave out every internal record and internal-only
field; with "internal" it shows everything. Nothing here imports MkDocs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from ..audience import Page, by_path
from ..dataset import Dataset
from ..gcpause import paused_gc
from ..memo import forget
from ..pagecache import generated
from . import (
    cases,
    figures,
    handouts,
    home,
    inspections,
    notices,
    opendata,
    organisations,
    reporting,
    rounds,
    rules,
    statistics,
    sunshine,
    systems,
    timeline,
    trainings,
)

Generator = Callable[[Dataset, str], Iterable[Page]]


def registry() -> list[Generator]:
    return [home.pages, rounds.pages, organisations.pages, rules.pages, trainings.pages, handouts.pages, cases.pages,
            figures.pages, timeline.pages, inspections.pages, reporting.pages, notices.pages, sunshine.pages, statistics.pages,
            opendata.pages, systems.pages]


def generate(ds: Dataset, audience: str) -> list[Page]:
    """Every page of one build, sorted by path; refuses internal pages in the public build."""
    if audience not in ("public", "internal"):
        raise ValueError(f"unknown audience {audience!r}")
    out: list[Page] = []
    try:
        with paused_gc():  # pages hold no cycles (generators/gcpause.py)
            for generator in registry():  # under the live preview, only those whose records changed
                out.extend(generated(generator, ds, audience))
    finally:
        forget(ds)  # the shared lookups (generators/memo.py) live for one build only
    paths = [p.path for p in out]
    duplicates = sorted(p for p, n in Counter(paths).items() if n > 1)  # not paths.count: O(n²)
    if duplicates:
        raise ValueError(f"two generators wrote the same page: {duplicates}")
    if audience == "public":
        leaked = [p.path for p in out if p.audience != "public"]
        if leaked:
            raise ValueError(f"internal pages in the public build: {leaked}")
    return sorted(out, key=by_path)  # paths are unique: comparing whole pages only cost time
