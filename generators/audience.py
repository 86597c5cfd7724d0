"""The two builds and what each may show: the `Page` every generator returns, and `visible()`.

The public build is the safe default: a record is in it only when it says
`audience: public`; every other record, and every field declared `internal()` in the
model, is for the internal build only (fail closed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import Record

Audience = Literal["public", "internal"]
AUDIENCES: tuple[Audience, ...] = ("public", "internal")


@dataclass(frozen=True, order=True)
class Page:
    path: str  # relative to the docs root, '/'-separated; .md pages, or data files (.csv, .json, .xml)
    markdown: str  # the Markdown of a .md page, or the text of a data file
    audience: str  # "public" or "internal": the build it was generated for


def by_path(page: Page) -> str:
    """The key pages are sorted by (a build's paths are unique)."""
    return page.path


def visible(record: Record, audience: str) -> bool:
    """Whether a record may appear in the given build (fail closed: unknown is internal)."""
    return audience == "internal" or record.is_public
