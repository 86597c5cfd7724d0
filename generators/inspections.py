"""Inspections (one organisation in one round) and the public statistics computed from them.

Pure functions over a Dataset; the public portal's pages, charts and open-data files
all read from here, so a number means the same thing everywhere. Leads are internal
records: only their counts leave this module.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from .audience import visible
from .dataset import Dataset
from .labels import derived, fact
from .lifecycle import is_overdue, stage
from .memo import memo
from .model import Body, LeadHandover, Notice, Organisation, RectificationItem, Round, Target, Team
from .numbers import rate
from .pagecache import reused
from .text import chinese_ordinal


def round_title(rnd: Round, bodies: dict[str, Body]) -> str:
    """A round as readers name it (the one place this is spelled): as its notices do when the
    committee's term is known, 十一届市委第五轮巡察, else 2024年市委第1轮巡察."""
    body = bodies.get(rnd.organiser)
    name = body.short_name if body else rnd.organiser
    if rnd.term:
        return f"{rnd.term}{name}第{chinese_ordinal(rnd.ordinal)}轮巡察"
    return f"{rnd.year}年{name}第{rnd.ordinal}轮巡察"


@dataclass
class Inspection:
    """One organisation inspected in one round, with every fact the pages, charts and
    downloads show of it (each declared with its label)."""

    round: Round = fact("巡察轮次", "所属轮次的编号")
    team: Team = fact("巡察组")
    target: Target = fact("巡察对象")
    organisation: Organisation = fact("被巡察党组织")
    round_title: str = fact("轮次名称", "如 2024年漯河市第一轮巡察")
    county: str = fact("所属县区", "被巡察党组织所属巡察主体的简称")
    rect_items: list[RectificationItem] = fact("整改事项", "本次巡察公开的整改事项数", default_factory=list)
    leads_total: int = fact("移交问题线索", "移交的问题线索数(只公开数量)", default=0)
    leads_concluded: int = fact("已办结线索", "已办结的问题线索数", default=0)
    sanctioned: int = fact("党纪政务处分", "给予党纪政务处分的人数", default=0)
    kinds: list[str] = fact("巡察类型", "本对象的巡察类型:对象写了就按对象,否则按本轮", default_factory=list)
    stage: str = fact("阶段", "公告、进驻、反馈、整改或整改完成,按数据截至日期判断", default="")
    overdue: int = fact("逾期整改事项", "超过(调整后)时限仍未完成的整改事项数", default=0)
    done: int = fact("已完成整改事项", "状态为已完成的整改事项数", default=0)
    published: PublishedNotice | None = fact("公布的整改情况", "截至数据日期最近一次公布了整改数字的通知(只有总数、没有台账时据此判断阶段)",
                                    default=None)

    @derived("巡察编号", "轮次编号--被巡察党组织编号")
    def id(self) -> str:
        return f"{self.round.id}--{self.organisation.id}"

    @property
    def problems(self) -> int | None:
        """Problems found, known once feedback is given; None (unknown, shown as —, never 0)
        while the team is announced or stationed."""
        return None if self.reporting_open else self.target.problems_found

    @property
    def leads(self) -> int | None:
        """Leads handed over, known once feedback is given; None before it, like `problems`."""
        return None if self.reporting_open else self.leads_total

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


def inspections(ds: Dataset, audience: str) -> list[Inspection]:
    """Every inspection visible in the build, in order of stationing (computed once per
    dataset and audience, shared by the generators: read-only)."""
    return list(memo(ds, ("inspections", audience), lambda: _inspections(ds, audience)))


Key = tuple[str, str]  # (round id, organisation id): one inspection


@dataclass(frozen=True)
class ByInspection:
    """The records of each inspection, grouped once per build: items the build may show
    (of visible rounds and organisations), sorted by id; leads (all: only their counts
    leave this module, and the internal pages that list them)."""

    items: dict[Key, list[RectificationItem]]
    leads: dict[Key, list[LeadHandover]]


def by_inspection(ds: Dataset, audience: str) -> ByInspection:
    return memo(ds, ("by_inspection", audience), lambda: _by_inspection(ds, audience))


def _by_inspection(ds: Dataset, audience: str) -> ByInspection:
    rounds = {r.id for r in ds.rounds if visible(r, audience)}
    orgs = {o.id for o in ds.organisations if visible(o, audience)}
    items: dict[Key, list[RectificationItem]] = defaultdict(list)
    for item in sorted(ds.items, key=lambda i: i.id):
        if visible(item, audience) and item.round in rounds and item.organisation in orgs:
            items[(item.round, item.organisation)].append(item)
    leads: dict[Key, list[LeadHandover]] = defaultdict(list)
    for lead in ds.leads:
        leads[(lead.round, lead.organisation)].append(lead)
    return ByInspection(dict(items), dict(leads))


def _inspections(ds: Dataset, audience: str) -> list[Inspection]:
    as_of = ds.as_of
    bodies = ds.by_id("bodies")
    orgs = {o.id: o for o in ds.organisations if visible(o, audience)}
    grouped = by_inspection(ds, audience)
    latest: dict[tuple[str, str], PublishedNotice] = {}  # the latest notice with totals, per inspection
    for n in reversed(published_notices(ds, audience)):  # oldest first: the latest stays
        if n.notice.totals is not None and n.organisation is not None and n.notice.date <= as_of:
            latest[(n.round.id, n.organisation.id)] = n
    out = []
    for rnd in ds.rounds:
        if not visible(rnd, audience):
            continue
        title = round_title(rnd, bodies)
        for team, target in rnd.targets:
            org = orgs.get(target.organisation)
            if org is None:
                continue
            key = (rnd.id, org.id)
            mine = grouped.items.get(key, [])
            ls = grouped.leads.get(key, [])
            published = latest.get(key)
            # the same object between the rebuilds of a preview while its inputs are the same
            out.append(reused(("inspection", key), _inspection, rnd, team, target, org, title,
                              bodies[org.county].short_name, tuple(mine), tuple(ls), published, as_of, page=False))
    return sorted(out, key=lambda x: (x.target.stationed, x.round.id, x.organisation.id))


def _inspection(rnd: Round, team: Team, target: Target, org: Organisation, title: str, county: str,
                mine: tuple[RectificationItem, ...], ls: tuple[LeadHandover, ...], published: PublishedNotice | None,
                as_of: dt.date) -> Inspection:
    items = list(mine)
    return Inspection(
        round=rnd, team=team, target=target, organisation=org, round_title=title,
        kinds=list(target.kinds or rnd.kinds), county=county, rect_items=items,
        leads_total=len(ls), leads_concluded=sum(lead.concluded is not None for lead in ls),
        sanctioned=sum(lead.sanctioned for lead in ls),
        stage=stage(target, items, as_of, published.notice.totals if published else None),
        overdue=sum(is_overdue(i, as_of) for i in mine), published=published,
        done=sum(i.status == "已完成" for i in mine),
    )


def notice_title(notice: Notice, round_title: str, organisation: str | None, team: str | None) -> str:
    """A notice's title as offices word it, when the record gives none (the one place this
    is spelled): by its kind, its round and the organisation (and team) it concerns."""
    if notice.title:
        return notice.title
    if notice.kind == "巡察公告":
        return f"{round_title}{team or ''}进驻{organisation}的公告"
    if notice.kind == "反馈情况":
        return f"{round_title}{team or ''}向{organisation}反馈巡察情况"
    if notice.kind == "整改进展情况":
        return f"{organisation}关于{round_title}整改进展情况的通报"
    return f"{organisation or ''}关于{round_title}整改情况的通报"


@dataclass
class PublishedNotice:
    """A notice the build may show, with the records it concerns: its round, the organisation,
    team and target (none for a round-wide notice) and the ledger of its scope (the items of
    that inspection, or of every inspection of the round, that the build may show)."""

    notice: Notice = fact("通知")
    round: Round = fact("巡察轮次", "所属轮次的编号")
    round_title: str = fact("轮次名称", "如 十一届市委第五轮巡察")
    title: str = fact("标题", "通知的标题;未写明时按通知类别和对象生成")
    organisation: Organisation | None = fact("被巡察党组织", default=None)
    team: Team | None = fact("巡察组", default=None)
    target: Target | None = fact("巡察对象", default=None)
    items: list[RectificationItem] = fact("整改台账", "通知范围内本站公开的整改事项", default_factory=list)
    sample: bool = fact("示例数据", "通知或其轮次、对象、整改事项为示例数据", default=False)

    @property
    def id(self) -> str:
        return self.notice.id

    @property
    def inspection_id(self) -> str | None:
        """The inspection page's id (轮次编号--党组织编号), for a notice of one organisation."""
        return f"{self.round.id}--{self.organisation.id}" if self.organisation else None


def published_notices(ds: Dataset, audience: str) -> list[PublishedNotice]:
    """Every notice the build may show (the notice, its round and its organisation visible),
    newest first (computed once per dataset and audience, shared by the generators: read-only)."""
    return memo(ds, ("notices", audience), lambda: _published_notices(ds, audience))


def notices_of(ds: Dataset, audience: str, round_id: str, organisation: str | None = None) -> list[PublishedNotice]:
    """The notices of a round (organisation None), or of one inspection together with the
    round-wide notices of its round; newest first."""
    def build() -> dict[tuple[str, str | None], list[PublishedNotice]]:
        grouped: dict[tuple[str, str | None], list[PublishedNotice]] = defaultdict(list)
        for n in published_notices(ds, audience):
            grouped[(n.round.id, None)].append(n)
            if n.organisation is not None:
                grouped[(n.round.id, n.organisation.id)].append(n)
        return dict(grouped)

    grouped = memo(ds, ("notices_of", audience), build)
    if organisation is None:
        return grouped.get((round_id, None), [])
    return [n for n in grouped.get((round_id, None), [])
            if n.organisation is None or n.organisation.id == organisation]


def _published_notices(ds: Dataset, audience: str) -> list[PublishedNotice]:
    bodies = ds.by_id("bodies")
    rounds = {r.id: r for r in ds.rounds if visible(r, audience)}
    orgs = {o.id: o for o in ds.organisations if visible(o, audience)}
    grouped = by_inspection(ds, audience)
    out = []
    for notice in ds.notices:
        rnd = rounds.get(notice.round)
        if not visible(notice, audience) or rnd is None:
            continue
        org = team = target = None
        if notice.organisation is not None:
            org = orgs.get(notice.organisation)
            found = [(tm, tg) for tm, tg in rnd.targets if tg.organisation == notice.organisation]
            if org is None or not found:
                continue
            team, target = found[0]
            keys = [(rnd.id, org.id)]
        else:
            keys = [(rnd.id, tg.organisation) for _, tg in rnd.targets]
        items = tuple(i for key in keys for i in grouped.items.get(key, []))
        # the same object between the rebuilds of a preview while its records are the same
        # (generators/pagecache.py): the pages made from it are then found unchanged at once
        out.append(reused(("published notice", notice.id), _published, notice, rnd, round_title(rnd, bodies),
                          org, team, target, items, page=False))
    return sorted(out, key=lambda n: (n.notice.date, n.id), reverse=True)


def _published(notice: Notice, rnd: Round, title: str, org: Organisation | None, team: Team | None,
               target: Target | None, items: tuple[RectificationItem, ...]) -> PublishedNotice:
    return PublishedNotice(
        notice=notice, round=rnd, round_title=title,
        title=notice_title(notice, title, org.name if org else None, team.name if team else None),
        organisation=org, team=team, target=target, items=list(items),
        sample=notice.sample or rnd.sample or bool(org and org.sample) or any(i.sample for i in items),
    )


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
        self.inspections += x.target.counted  # a target covering 25 units counts 25; 重点了解 counts 0
        self.problems += x.target.problems_found
        self.leads += x.leads_total
        self.concluded += x.leads_concluded
        self.sanctioned += x.sanctioned
        self.items += len(x.rect_items)
        self.done += x.done
        self.overdue += x.overdue

    @property
    def conclusion_rate(self) -> float | None:
        return rate(self.concluded, self.leads)

    @property
    def completion_rate(self) -> float | None:
        return rate(self.done, self.items)


def tally_by(xs: list[Inspection], key: Callable[[Inspection], str | list[str]]) -> dict[str, Tally]:
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
    def per_team(selected: list[Inspection]) -> tuple[int, float, float]:
        teams: dict[tuple, list[int]] = {}
        for x in selected:
            t = teams.setdefault((x.round.id, x.team.name), [0, 0])
            t[0] += x.target.problems_found + x.leads_total
            t[1] += x.sanctioned
        n = len(teams)
        return n, (sum(v[0] for v in teams.values()) / n if n else 0.0), (
            sum(v[1] for v in teams.values()) / n if n else 0.0)

    with_feedback = [x for x in xs if x.target.feedback]
    cross = [x for x in with_feedback if "交叉" in x.kinds and x.round.organiser == "luohe"]
    years = {x.round.year for x in cross}
    regular = [x for x in with_feedback if "常规" in x.kinds and x.round.organiser != "luohe"
               and x.round.year in years]
    cn, cf, cs = per_team(cross)
    rn, rf, rs = per_team(regular)
    return Comparison(cn, rn, round(cf, 2), round(rf, 2), round(cs, 2), round(rs, 2))
