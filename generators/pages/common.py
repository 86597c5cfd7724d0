"""Small lookups shared by the page generators."""

from __future__ import annotations

from collections import defaultdict

from ..load import Dataset
from ..memo import memo
from . import visible


class Index:
    """Records by id and by relation, restricted to what one build may show.

    `Index(ds, audience)` is built once per dataset and audience and shared by every
    generator module (generators/memo.py): read it, never change it."""

    def __new__(cls, ds: Dataset, audience: str):
        return memo(ds, (cls.__name__, audience), lambda: super(Index, cls).__new__(cls)._build(ds, audience))

    def _build(self, ds: Dataset, audience: str) -> Index:
        self.ds = ds
        self.audience = audience
        self.as_of = ds.site[0].as_of
        self.bodies = ds.by_id("bodies")
        self.orgs = {o.id: o for o in ds.organisations if visible(o, audience)}
        self.rounds = {r.id: r for r in ds.rounds if visible(r, audience)}
        self.rules = {r.id: r for r in ds.rules if visible(r, audience)}
        self.items = defaultdict(list)  # (round, organisation) -> items
        for item in ds.items:
            if visible(item, audience) and item.round in self.rounds and item.organisation in self.orgs:
                self.items[(item.round, item.organisation)].append(item)
        self.leads = defaultdict(list)
        if audience == "internal":
            for lead in ds.leads:
                self.leads[(lead.round, lead.organisation)].append(lead)
        self.inspections = defaultdict(list)  # organisation -> [(round, team, target)]
        for rnd in sorted(self.rounds.values(), key=lambda r: (r.start, r.id)):
            for team, target in rnd.targets:
                self.inspections[target.organisation].append((rnd, team, target))
        return self

    @property
    def internal(self) -> bool:
        return self.audience == "internal"

    def body_name(self, body_id: str) -> str:
        return self.bodies[body_id].name

    def round_title(self, rnd) -> str:
        return f"{rnd.year}年{self.bodies[rnd.organiser].short_name}第{rnd.ordinal}轮巡察"
