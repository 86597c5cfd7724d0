"""One page per inspected organisation, and an index grouped by county."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..audience import Page
from ..dataset import Dataset
from ..inspections import Inspection, inspections
from ..model import Organisation
from ..pagecache import reused
from ..render import link, markdown
from .common import Index, listing
from .sunshine import AREAS


def organisation_page(org: Organisation, county: str, parent: Organisation | None, xs: list[Inspection],
                      as_of: dt.date, audience: str) -> Page:
    """One organisation's page: a pure function of its arguments (kept under the live preview)."""
    rows = [{"x": x, "link": link(x.round_title, f"../inspections/{x.id}.md")} for x in xs]
    sample = org.sample or any(x.round.sample or any(i.sample for i in x.rect_items) for x in xs)
    return Page(f"organisations/{org.id}.md", markdown(
        "organisation.md.j2", org.name, meta={"sample": sample or None, "search": {"boost": 3}},
        org=org, county=county,
        parent=link(parent.name, f"{parent.id}.md") if parent else None,
        sunshine=link(org.sunshine, f"../sunshine/{AREAS[org.sunshine]}.md") if org.sunshine else None,
        inspections=rows, as_of=as_of, sample=sample,
    ), audience)


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    ix = Index(ds, audience)
    by_org: dict[str, list] = {}
    for x in inspections(ds, audience):
        by_org.setdefault(x.organisation.id, []).append(x)
    groups: dict[str, list] = {}
    for org in sorted(ix.orgs.values(), key=lambda o: o.id):
        xs = by_org.get(org.id, [])
        parent = ix.orgs.get(org.parent) if org.parent else None
        yield reused(org.id, organisation_page, org, ix.body_name(org.county), parent, xs, ix.as_of, audience)
        groups.setdefault(org.county, []).append(
            {"org": org, "link": link(org.name, f"{org.id}.md"), "count": len(xs), "group": ix.body_name(org.county)})
    rows = [row for b in ix.bodies if b in groups for row in groups[b]]  # grouped by county, in body order
    yield from listing("organisations/index.md", rows, "organisations_index.md.j2", "被巡察党组织", audience,
                       grouped=True, any_sample=any(r["org"].sample for r in rows))
