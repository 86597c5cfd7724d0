"""The five Sunshine Luohe (阳光漯河) areas: a landing page each, gathering what the data holds."""

from __future__ import annotations

from collections.abc import Iterator

from ..audience import Page, visible
from ..dataset import Dataset
from ..inspections import inspections, total
from ..numbers import percent
from ..render import link, markdown
from .common import chunk_meta, chunk_title, page_count, paginate
from .inspections import is_sample

AREAS = {"阳光党务": "party", "阳光政务": "government", "阳光司法": "judicial",
         "阳光村务": "village", "阳光民生": "livelihood"}
SCOPE = {
    "阳光党务": "党的组织和党务工作",
    "阳光政务": "政府部门和公共事务",
    "阳光司法": "审判、检察和公安机关",
    "阳光村务": "村(社区)党组织和村务",
    "阳光民生": "教育、医疗、社保、民政等民生领域",
}


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    xs = inspections(ds, audience)
    summary = []
    for area, slug in AREAS.items():
        orgs = sorted((o for o in ds.organisations if o.sunshine == area and visible(o, audience)),
                      key=lambda o: o.id)
        ids = {o.id for o in orgs}
        mine = [x for x in xs if x.organisation.id in ids]
        t = total(mine)
        rows = [{"x": x, "link": link(x.organisation.name, f"../inspections/{x.id}.md"),
                 "round": x.round_title} for x in mine]
        org_links = [{"link": link(o.name, f"../organisations/{o.id}.md"), "org": o} for o in orgs]
        pages_needed = max(page_count(rows), page_count(org_links))
        path = f"sunshine/{slug}.md"  # the inspections and the organisations split over the same pages
        for chunk, org_chunk in zip(paginate(path, rows, pages=pages_needed),
                                    paginate(path, org_links, pages=pages_needed), strict=True):
            shown = [r["x"] for r in chunk.rows]
            sample = any(is_sample(x) for x in shown) or any(o["org"].sample for o in org_chunk.rows)
            yield Page(chunk.path, markdown(
                "sunshine_area.md.j2", chunk_title(area, chunk), meta=chunk_meta({"sample": sample or None}, chunk),
                scope=SCOPE[area], orgs=[o["link"] for o in org_chunk.rows], org_count=len(orgs),
                rows=chunk.rows, row_count=len(rows), chunk=chunk, t=t, completion=percent(t.completion_rate),
                conclusion=percent(t.conclusion_rate), as_of=ds.as_of, any_sample=sample,
            ), audience)
        summary.append({"area": link(area, f"{slug}.md"), "orgs": len(orgs), "t": t,
                        "completion": percent(t.completion_rate)})
    yield Page("sunshine/index.md", markdown(
        "sunshine_index.md.j2", "阳光漯河", rows=summary, as_of=ds.as_of,
        any_sample=any(is_sample(x) for x in xs),
    ), audience)
