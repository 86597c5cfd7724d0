"""The home page: headline figures and what the site holds, all from data."""

from __future__ import annotations

from collections.abc import Iterator

from ..audience import Page, visible
from ..dataset import Dataset
from ..render import link, markdown
from .common import Index
from .figures import display


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    ix = Index(ds, audience)
    figures = [f for f in ds.figures if visible(f, audience)]
    headline, seen = [], set()
    for f in figures:  # the first figure of each of the article's four parts
        if f.section not in seen:
            seen.add(f.section)
            headline.append({"display": display(f), "statement": f.statement, "period": f.period})
    items = [i for group in ix.items.values() for i in group]
    counts = {
        "rounds": len(ix.rounds), "organisations": len(ix.orgs), "item_count": len(items),
        "done": sum(i.status == "已完成" for i in items), "rules": len(ix.rules),
        "trainings": len(ds.trainings),
    }
    sections = [link("正在巡察", "current.md"), link("巡察信息", "inspections/index.md"),
                link("整改事项", "items/index.md"), link("统计", "statistics.md"),
                link("阳光漯河", "sunshine/index.md"), link("开放数据", "open-data/index.md"),
                link("巡察轮次", "rounds/index.md"), link("被巡察党组织", "organisations/index.md"),
                link("制度规范", "rules/index.md"), link("大事记", "timeline.md")]
    if audience == "internal":
        sections.append(link("培训与论坛", "trainings/index.md"))
    any_sample = any(r.sample for r in ix.rounds.values()) or any(o.sample for o in ix.orgs.values())
    yield Page("index.md", markdown(
        "home.md.j2", ds.site[0].title, headline=headline, counts=counts, sections=sections,
        figures_link=link("文章中的数字", "figures.md"), as_of=ix.as_of, internal=ix.internal,
        any_sample=any_sample,
    ), audience)
