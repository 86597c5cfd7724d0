"""The published figures: every figure the article states, with its statement and source."""

from __future__ import annotations

import typing
from collections.abc import Iterator

from .. import queries
from ..audience import Page, visible
from ..dataset import Dataset
from ..model import Figure, Integration, places
from ..render import markdown


def display(fig: Figure) -> str:
    """A figure as published: its digits as written (97.35, 3650.40) and its unit."""
    return f"{fig.value}{fig.unit}"


QUOTED = "只引用,未复核"


def check_of(fig: Figure, all_views: dict[str, list[dict]], bodies: dict[str, str]) -> tuple[str, bool]:
    """How a figure is checked, in plain Chinese, and whether sample records went into it."""
    if fig.backed_by is None:
        return QUOTED, False
    found = queries.evaluate(fig.backed_by, all_views, places(fig.value), bodies)
    # a figure recomputed from invented records is not verified, nor is one recomputed from
    # records that restate the same article: each says so
    if found.sample:
        return f"按示例记录复核:{found.how}", True
    if fig.source in found.restated:
        return f"由转录文章的记录复算:{found.how}", False
    return f"已由记录复核:{found.how}", False


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    sources = ds.by_id("sources")
    all_views = queries.views(ds) if queries.needed(ds) else {}
    bodies = {b.id: b.short_name for b in ds.bodies}
    groups, any_sample = [], False
    for section in typing.get_args(Integration):
        rows = []
        for fig in ds.figures:
            if fig.section != section or not visible(fig, audience):
                continue
            check, sample = check_of(fig, all_views, bodies)
            any_sample = any_sample or sample
            source = sources[fig.source]
            rows.append({"fig": fig, "display": display(fig), "check": check,
                         "source": source.publication})
        if rows:
            groups.append({"section": section, "figures": rows})
    used = sorted({f["fig"].source for g in groups for f in g["figures"]})
    names = [f"{sources[s].publication}{sources[s].title}" for s in used]
    shown = [f for g in groups for f in g["figures"]]
    checked = sum(f["check"] != QUOTED for f in shown)
    yield Page("figures.md", markdown(
        "figures.md.j2", "文章中的数字", groups=groups, sources=names, any_sample=any_sample,
        total=len(shown), checked=checked, quoted=len(shown) - checked,
        source_line="、".join(names) or "—",
    ), audience)
