"""One page per inspection round, and the rounds index."""

from __future__ import annotations

from collections.abc import Iterator

from ..lifecycle import stage
from ..render import link, markdown
from . import Page
from .common import Index


def pages(ds, audience: str) -> Iterator[Page]:
    ix = Index(ds, audience)
    rows = []
    for rnd in sorted(ix.rounds.values(), key=lambda r: (r.start, r.id)):
        targets = []
        for team, target in rnd.targets:
            if target.organisation not in ix.orgs:
                continue
            items = sorted(ix.items[(rnd.id, target.organisation)], key=lambda i: i.id)
            targets.append({
                "team": team,
                "team_body": ix.body_name(team.body),
                "target": target,
                "org_link": link(ix.orgs[target.organisation].name, f"../organisations/{target.organisation}.md"),
                "stage": stage(target, items, ix.as_of),
                "rect_items": items,
                "leads": sorted(ix.leads[(rnd.id, target.organisation)], key=lambda lead: lead.id),
            })
        title = ix.round_title(rnd)
        sample = rnd.sample or any(i.sample for t in targets for i in t["rect_items"])
        yield Page(f"rounds/{rnd.id}.md", markdown(
            "round.md.j2", title, meta={"sample": sample or None},
            rnd=rnd, organiser=ix.body_name(rnd.organiser), targets=targets,
            as_of=ix.as_of, internal=ix.internal,
        ), audience)
        rows.append({
            "rnd": rnd, "link": link(title, f"{rnd.id}.md"), "targets": len(targets),
            "problems": sum(t["target"].problems_found for t in targets),
            "leads": sum(t["target"].leads_handed_over for t in targets),
        })
    yield Page("rounds/index.md", markdown(
        "rounds_index.md.j2", "巡察轮次", rows=rows, as_of=ix.as_of,
        any_sample=any(r["rnd"].sample for r in rows),
    ), audience)
