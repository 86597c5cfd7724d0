"""The published figures: every figure the article states, with its statement and source."""

from __future__ import annotations

import typing
from collections.abc import Iterator

from .. import queries
from ..audience import Page, visible
from ..dataset import Dataset
from ..model import Figure, Integration
from ..render import markdown


def display(fig: Figure) -> str:
    value = int(fig.value) if float(fig.value).is_integer() else fig.value
    return f"{value}{fig.unit}"


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    sources = ds.by_id("sources")
    all_views = queries.views(ds) if queries.needed(ds) else {}
    groups = []
    for section in typing.get_args(Integration):
        rows = []
        for fig in ds.figures:
            if fig.section != section or not visible(fig, audience):
                continue
            check = "—"
            if fig.backed_by is not None:
                _, how = queries.evaluate(fig.backed_by, all_views)
                check = f"已由记录复核:{how}"
            rows.append({"fig": fig, "display": display(fig), "check": check})
        if rows:
            groups.append({"section": section, "figures": rows})
    used = sorted({f["fig"].source for g in groups for f in g["figures"]})
    names = [f"{sources[s].publication}{sources[s].title}" for s in used]
    yield Page("figures.md", markdown(
        "figures.md.j2", "文章中的数字", groups=groups, sources=names,
        source_line="、".join(names) or "—",
    ), audience)
