"""Inspections (one organisation in one round) and the public statistics computed from them.

Pure functions over a Dataset; the public portal's pages, charts and open-data files
all read from here, so a number means the same thing everywhere. Leads are internal
records: only their counts leave this module.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from .audience import visible
from .lifecycle import is_overdue, stage
from .memo import memo


@dataclass
class Inspection:
    round: object
    team: object
    target: object
    organisation: object
    rect_items: list = field(default_factory=list)  # items visible in this build
    leads_total: int = 0
    leads_concluded: int = 0
    sanctioned: int = 0
    stage: str = ""
    overdue: int = 0

    @property
    def id(self) -> str:
        return f"{self.round.id}--{self.organisation.id}"

    @property
    def done(self) -> int:
        return sum(i.status == "已完成" for i in self.rect_items)

    @property
    def reporting_open(self) -> bool:
        return self.stage in ("公告", "进驻")

    def reporting_current(self, as_of: dt.date) -> bool:
        a = self.target.announcement
        return a.reporting_from <= as_of <= a.reporting_until

    def reporting_state(self, as_of: dt.date) -> str:
        """Whether the team takes reports on the as-of date: 尚未开始受理, 正在受理 or 受理已截止."""
        a = self.target.announcement
        if as_of < a.reporting_from:
            return "尚未开始受理"
        return "正在受理" if as_of <= a.reporting_until else "受理已截止"


def inspections(ds, audience: str) -> list[Inspection]:
    """Every inspection visible in the build, in order of stationing (computed once per
    dataset and audience, shared by the generators: read-only)."""
    return list(memo(ds, ("inspections", audience), lambda: _inspections(ds, audience)))


def _inspections(ds, audience: str) -> list[Inspection]:
    as_of = ds.as_of
    orgs = {o.id: o for o in ds.organisations if visible(o, audience)}
    items: dict[tuple, list] = defaultdict(list)
    for item in ds.items:
        if visible(item, audience):
            items[(item.round, item.organisation)].append(item)
    leads: dict[tuple, list] = defaultdict(list)
    for lead in ds.leads:
        leads[(lead.round, lead.organisation)].append(lead)
    out = []
    for rnd in ds.rounds:
        if not visible(rnd, audience):
            continue
        for team, target in rnd.targets:
            org = orgs.get(target.organisation)
            if org is None:
                continue
            key = (rnd.id, org.id)
            mine = sorted(items[key], key=lambda i: i.id)
            ls = leads[key]
            out.append(Inspection(
                round=rnd, team=team, target=target, organisation=org, rect_items=mine,
                leads_total=len(ls), leads_concluded=sum(lead.concluded is not None for lead in ls),
                sanctioned=sum(lead.sanctioned for lead in ls),
                stage=stage(target, mine, as_of), overdue=sum(is_overdue(i, as_of) for i in mine),
            ))
    return sorted(out, key=lambda x: (x.target.stationed, x.round.id, x.organisation.id))


@dataclass
class Tally:
    """Totals over a group of inspections."""

    inspections: int = 0
    problems: int = 0
    leads: int = 0
    concluded: int = 0
    sanctioned: int = 0
    items: int = 0
    done: int = 0
    overdue: int = 0

    def add(self, x: Inspection) -> None:
        self.inspections += 1
        self.problems += x.target.problems_found
        self.leads += x.leads_total
        self.concluded += x.leads_concluded
        self.sanctioned += x.sanctioned
        self.items += len(x.rect_items)
        self.done += x.done
        self.overdue += x.overdue

    @property
    def conclusion_rate(self) -> float | None:
        return round(100 * self.concluded / self.leads, 1) if self.leads else None

    @property
    def completion_rate(self) -> float | None:
        return round(100 * self.done / self.items, 1) if self.items else None


def tally_by(xs: list[Inspection], key) -> dict[str, Tally]:
    """Group inspections by key(x) -> str or list of str; sorted by group name."""
    groups: dict[str, Tally] = defaultdict(Tally)
    for x in xs:
        keys = key(x)
        for k in keys if isinstance(keys, list) else [keys]:
            groups[k].add(x)
    return dict(sorted(groups.items()))


def total(xs: list[Inspection]) -> Tally:
    t = Tally()
    for x in xs:
        t.add(x)
    return t


@dataclass
class Comparison:
    """Cross inspections against regular county inspections, per team, as the article compares them."""

    cross_teams: int
    regular_teams: int
    cross_found: float
    regular_found: float
    cross_sanctioned: float
    regular_sanctioned: float

    @property
    def found_ratio(self) -> float | None:
        return round(self.cross_found / self.regular_found, 2) if self.regular_found else None

    @property
    def sanctioned_ratio(self) -> float | None:
        return round(self.cross_sanctioned / self.regular_sanctioned, 2) if self.regular_sanctioned else None


def cross_vs_regular(xs: list[Inspection]) -> Comparison:
    """Average problems+leads found and people sanctioned per team: city cross rounds vs
    regular rounds organised by the counties in the same years."""
    def per_team(selected):
        teams: dict[tuple, list[int]] = {}
        for x in selected:
            t = teams.setdefault((x.round.id, x.team.name), [0, 0])
            t[0] += x.target.problems_found + x.leads_total
            t[1] += x.sanctioned
        n = len(teams)
        return n, (sum(v[0] for v in teams.values()) / n if n else 0.0), (
            sum(v[1] for v in teams.values()) / n if n else 0.0)

    with_feedback = [x for x in xs if x.target.feedback]
    cross = [x for x in with_feedback if "交叉" in x.round.kinds and x.round.organiser == "luohe"]
    years = {x.round.year for x in cross}
    regular = [x for x in with_feedback if "常规" in x.round.kinds and x.round.organiser != "luohe"
               and x.round.year in years]
    cn, cf, cs = per_team(cross)
    rn, rf, rs = per_team(regular)
    return Comparison(cn, rn, round(cf, 2), round(rf, 2), round(cs, 2), round(rs, 2))
