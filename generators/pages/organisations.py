"""One page per inspected organisation, and an index grouped by county."""

from __future__ import annotations

from collections.abc import Iterator

from ..lifecycle import stage
from ..render import link, markdown
from . import Page
from .common import Index


def pages(ds, audience: str) -> Iterator[Page]:
    ix = Index(ds, audience)
    groups: dict[str, list] = {}
    for org in sorted(ix.orgs.values(), key=lambda o: o.id):
        inspections = []
        for rnd, team, target in ix.inspections[org.id]:
            items = sorted(ix.items[(rnd.id, org.id)], key=lambda i: i.id)
            inspections.append({
                "round_link": link(ix.round_title(rnd), f"../rounds/{rnd.id}.md"),
                "team": team, "team_body": ix.body_name(team.body), "target": target,
                "stage": stage(target, items, ix.as_of), "rect_items": items, "sample": rnd.sample,
            })
        parent = ix.orgs.get(org.parent) if org.parent else None
        sample = org.sample or any(x["sample"] or any(i.sample for i in x["rect_items"]) for x in inspections)
        yield Page(f"organisations/{org.id}.md", markdown(
            "organisation.md.j2", org.name, meta={"sample": sample or None},
            org=org, county=ix.body_name(org.county),
            parent=link(parent.name, f"{parent.id}.md") if parent else None,
            inspections=inspections, as_of=ix.as_of, internal=ix.internal, sample=sample,
        ), audience)
        groups.setdefault(org.county, []).append(
            {"org": org, "link": link(org.name, f"{org.id}.md"), "count": len(inspections)})
    ordered = [{"county": ix.body_name(b), "rows": groups[b]} for b in ix.bodies if b in groups]
    yield Page("organisations/index.md", markdown(
        "organisations_index.md.j2", "被巡察党组织", groups=ordered,
        any_sample=any(r["org"].sample for g in ordered for r in g["rows"]),
    ), audience)
