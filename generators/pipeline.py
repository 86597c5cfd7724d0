"""The build: data/ in, every page of one audience out. Everything calls this.

    pages, problems = build(data_dir, "public")

load (read each file strictly, validate each record with its model, cross-check the
records) -> generate (every page generator of generators/pages/, then the edition's
changelog page). `problems` holds every error, warning and notice found; when any is an
error, `pages` is empty. The MkDocs hook, `python -m generators`, the site build, the
benchmark and the tests call this and nothing else assembles the steps.
"""

from __future__ import annotations

from pathlib import Path

from .audience import AUDIENCES, Page
from .dataset import Dataset
from .edition import UNPUBLISHED, Edition
from .edition import pages as edition_pages
from .load import load
from .pages import generate
from .problems import DataError, Problem


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
    return sorted(generate(ds, audience) + edition_pages(ds, audience, edition))


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)
