"""The timeline of the integration pilot, as the article tells it."""

from __future__ import annotations

from collections.abc import Iterator

from ..audience import Page, visible
from ..dataset import Dataset
from ..render import markdown


def month_zh(month: str) -> str:
    """A timeline month in words: 2018-03 -> 2018年3月, 2018 -> 2018年."""
    year, _, m = month.partition("-")
    return f"{year}年{int(m)}月" if m else f"{year}年"


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    sources = ds.by_id("sources")
    events = [
        {"month": month_zh(e.month), "title": e.title, "detail": e.detail,
         "source": f"{sources[e.source].publication}{sources[e.source].title}"}
        for e in sorted(ds.timeline, key=lambda e: (e.month, e.id), reverse=True)  # newest first
        if visible(e, audience)
    ]
    yield Page("timeline.md", markdown("timeline.md.j2", "大事记", events=events), audience)
