"""One page per inspection round, and the rounds index."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from ..audience import Page
from ..dataset import Dataset
from ..inspections import Inspection, inspections, notices_of
from ..model import Round
from ..pagecache import reused
from ..render import link, markdown
from .common import Index, listing
from .notices import list_rows


def known_sum(values: Iterable[int | None]) -> int | None:
    """The sum of the known values; None (unknown, shown as —) when none is known yet."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def round_page(rnd: Round, title: str, organiser: str, xs: list[Inspection], team_bodies: list[str],
               notices: list[dict], as_of: dt.date, audience: str) -> Page:
    """One round's page: a pure function of its arguments (kept under the live preview)."""
    targets = [{"x": x, "team_body": team_body, "link": link(x.organisation.name, f"../inspections/{x.id}.md")}
               for x, team_body in zip(xs, team_bodies, strict=True)]
    sample = rnd.sample or any(i.sample for x in xs for i in x.rect_items) or any(n["sample"] for n in notices)
    return Page(f"rounds/{rnd.id}.md", markdown(
        "round.md.j2", title, meta={"sample": sample or None},
        rnd=rnd, organiser=organiser, targets=targets,
        as_of=as_of, internal=audience == "internal", notices=notices,
    ), audience)


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    ix = Index(ds, audience)
    by_round: dict[str, list] = {}
    for x in reversed(inspections(ds, audience)):  # newest stationing first
        by_round.setdefault(x.round.id, []).append(x)
    rows: list[dict[str, Any]] = []
    for rnd in sorted(ix.rounds.values(), key=lambda r: (r.start, r.id), reverse=True):  # newest first
        xs = by_round.get(rnd.id, [])
        title = ix.round_title(rnd)
        notices = list_rows(notices_of(ds, audience, rnd.id), "../notices/")
        yield reused(rnd.id, round_page, rnd, title, ix.body_name(rnd.organiser), xs,
                     [ix.bodies[x.team.body].short_name for x in xs], notices, ix.as_of, audience)
        rows.append({
            "rnd": rnd, "link": link(title, f"{rnd.id}.md"), "targets": len(xs),
            "problems": known_sum(x.problems for x in xs),
            "leads": known_sum(x.leads for x in xs),
        })
    yield from listing("rounds/index.md", rows, "rounds_index.md.j2", "巡察轮次", audience,
                       as_of=ix.as_of, any_sample=any(r["rnd"].sample for r in rows))
