"""The home page, a portal (Material's custom home page pattern: overrides/home.html and
content/public/assets/portal.css): first where to report now (the open and upcoming channels
of generators/pages/reporting.py, then the national line), then entry points by county and by
kind, the latest notices, the headline figures with their source, and the records' counts."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from ..audience import Page, visible
from ..dataset import Dataset
from ..inspections import inspections, published_notices
from ..render import link, markdown
from ..text import date_zh
from .common import Index
from .figures import display
from .inspections import KINDS_ORDER
from .reporting import cards, channels

CHANNELS_SHOWN = 3  # the first channels on the home page; the rest are on 正在巡察
NOTICES_SHOWN = 5


def entry_links(ds: Dataset, audience: str) -> tuple[list, list]:
    """Links into the inspections list, filtered by county or district and by kind (filters.js
    reads the choice from the address)."""
    xs = inspections(ds, audience)
    counties = [b.short_name for b in ds.bodies if any(x.organisation.county == b.id for x in xs)]
    kinds = [k for k in KINDS_ORDER if any(k in x.kinds for x in xs)]
    return ([link(c, f"inspections/index.md?county={quote(c)}") for c in counties],
            [link(k, f"inspections/index.md?kind={quote(k)}") for k in kinds])


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    ix = Index(ds, audience)
    sources = ds.by_id("sources")
    figures = [f for f in ds.figures if visible(f, audience)]
    headline, seen = [], set()
    for f in figures:  # the first figure of each of the article's four parts
        if f.section not in seen:
            seen.add(f.section)
            headline.append({"display": display(f), "statement": f.statement, "period": f.period})
    source_names = sorted({f"{sources[f.source].publication}《{sources[f.source].title}》" for f in figures})
    items = [i for group in ix.items.values() for i in group]
    counts = {
        "rounds": len(ix.rounds), "organisations": len(ix.orgs), "item_count": len(items),
        "done": sum(i.status == "已完成" for i in items), "rules": len(ix.rules),
        "trainings": len(ds.trainings),
    }
    sections = [link("正在巡察", "current.md"), link("如何反映问题", "how-to-report.md"),
                link("巡察信息", "inspections/index.md"), link("整改事项", "items/index.md"),
                link("公告通报", "notices/index.md"), link("统计", "statistics.md"),
                link("阳光漯河", "sunshine/index.md"), link("开放数据", "open-data/index.md"),
                link("巡察轮次", "rounds/index.md"), link("被巡察党组织", "organisations/index.md"),
                link("制度规范", "rules/index.md"), link("大事记", "timeline.md")]
    if audience == "internal":
        sections.append(link("培训与论坛", "trainings/index.md"))
    found = channels(ds, audience)
    shown = cards(found)
    receiving = (shown["open"] + shown["upcoming"])[:CHANNELS_SHOWN]
    latest = [n for n in published_notices(ds, audience) if n.notice.date <= ds.as_of][:NOTICES_SHOWN]
    notices = [{"n": n, "link": link(n.title, f"notices/{n.id}.md"), "sample": n.sample} for n in latest]
    counties, kinds = entry_links(ds, audience)
    any_sample = any(r.sample for r in ix.rounds.values()) or any(o.sample for o in ix.orgs.values())
    yield Page("index.md", markdown(
        "home.md.j2", ds.site[0].title, meta={"template": "home.html", "hide": ["navigation", "toc"],
                                                  "as_of": str(date_zh(ix.as_of))},  # the footer's as-of date
        headline=headline, counts=counts, sections=sections, source_names=source_names,
        figures_link=link("文章中的数字", "figures.md"), as_of=ix.as_of, internal=ix.internal,
        any_sample=any_sample, receiving=receiving, open_count=len(found.open),
        more=len(found.receiving) - len(receiving), closed=len(found.closed), hotline=ds.site[0].hotline,
        current_link=link("正在巡察", "current.md"), report_link=link("如何反映问题", "how-to-report.md"),
        notices=notices, notices_link=link("全部公告通报", "notices/index.md"), counties=counties, kinds=kinds,
        inspections_link=link("全部巡察信息", "inspections/index.md"),
    ), audience)
