"""Training sessions (集训 and 巡察论坛): internal build only."""

from __future__ import annotations

from collections.abc import Iterator

from ..render import link, markdown
from . import Page
from .common import Index


def training_title(t) -> str:
    return f"第{t.ordinal}期{'全市业务集训' if t.kind == '集训' else '巡察论坛'}:{t.topic}"


def pages(ds, audience: str) -> Iterator[Page]:
    if audience != "internal":
        return
    ix = Index(ds, audience)
    rows = []
    for t in sorted(ds.trainings, key=lambda t: (t.date, t.id)):
        title = training_title(t)
        yield Page(f"trainings/{t.id}.md", markdown(
            "training.md.j2", title, meta={"sample": t.sample or None}, t=t,
            rules=[link(f"《{ix.rules[r].title}》", f"../rules/{r}.md") for r in t.rules],
            cases=[link(ix.round_title(ix.rounds[c]), f"../rounds/{c}.md") for c in t.cases],
        ), audience)
        rows.append({"t": t, "link": link(title, f"{t.id}.md")})
    yield Page("trainings/index.md", markdown(
        "trainings_index.md.j2", "培训与论坛", rows=rows, any_sample=any(r["t"].sample for r in rows),
    ), audience)
