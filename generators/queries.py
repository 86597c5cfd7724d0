"""Flat views of the records, and the small query language of figures' `backed_by`.

A view is a list of rows (dicts) with dotted field names, e.g. a target row has
`round.kinds`, `organisation.level` and `problems_found`. `where` keeps the rows
whose every field matches: a list value matches any of its values; a list-valued
field matches when it contains the value.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .labels import labelled, title
from .memo import memo
from .model import LeadHandover, Organisation, Query, RectificationItem, Round, SystemRecord, Target, Team
from .numbers import exact_rate, percent

# the counts a system record may carry (figures sum them)
SYSTEM_COUNTS = ["reports_rectification", "reports_inspection", "matters", "teams", "posts", "person_times", "members"]
VIEW_FIELDS = {
    "rounds": ["id", "organiser", "year", "kinds", "direct_supervision"],
    "teams": ["round.*", "body", "dispatched_leader"],
    "targets": ["round.*", "team.body", "team.dispatched_leader", "organisation.level",
                "organisation.county", "problems_found", "leads_handed_over"],
    "items": ["round.*", "organisation.level", "organisation.county", "status", "priority", "category",
              "done_within_a_month"],
    "leads": ["round.*", "organisation.level", "handed_to", "priority_handled", "is_concluded",
              "sanctioned", "organisational_handling", "judicial_transfers"],
    "system_records": ["system", "kind", "evaluation", "body", *SYSTEM_COUNTS],
}


def _round_fields(rnd) -> dict:
    return {
        "round.id": rnd.id,
        "round.organiser": rnd.organiser,
        "round.year": rnd.year,
        "round.kinds": list(rnd.kinds),
        "round.direct_supervision": rnd.direct_supervision,
    }


def views(ds) -> dict[str, list[dict]]:
    """Every view of the dataset, each row carrying its record under '_record' (built once
    per dataset: the checks and the figures page share it; read-only)."""
    return memo(ds, "views", lambda: _views(ds))


def needed(ds) -> bool:
    """Whether any figure is checked against the records (else no view is needed)."""
    return any(fig.backed_by is not None for fig in ds.figures)


def _system_rows(ds) -> list[dict]:
    """A row per system record; `_source` says the record restates a source (not invented)."""
    return [{"_record": rec, "_sample": rec.sample, "_source": rec.source if not rec.sample else None,
             "system": rec.system, "kind": rec.kind, "evaluation": rec.evaluation, "body": rec.body,
             **{name: getattr(rec, name) for name in SYSTEM_COUNTS}} for rec in ds.system_records]


def _views(ds) -> dict[str, list[dict]]:
    orgs = ds.by_id("organisations")
    rounds = ds.by_id("rounds")
    out: dict[str, list[dict]] = {"rounds": [], "teams": [], "targets": [], "items": [], "leads": [],
                                  "system_records": _system_rows(ds)}
    for rnd in ds.rounds:
        out["rounds"].append({"_record": rnd, "_sample": rnd.sample, "id": rnd.id, "organiser": rnd.organiser, "year": rnd.year,
                              "kinds": list(rnd.kinds), "direct_supervision": rnd.direct_supervision})
        for team in rnd.teams:
            out["teams"].append({"_record": team, "_sample": rnd.sample, **_round_fields(rnd), "body": team.body,
                                 "dispatched_leader": team.dispatched_leader})
            for target in team.targets:
                org = orgs.get(target.organisation)
                out["targets"].append({
                    "_record": target, "_sample": rnd.sample or bool(org and org.sample), **_round_fields(rnd),
                    "team.body": team.body,
                    "team.dispatched_leader": team.dispatched_leader,
                    "organisation.level": org.level if org else None,
                    "organisation.county": org.county if org else None,
                    "problems_found": target.problems_found, "leads_handed_over": target.leads_handed_over,
                })
    feedback = {(rnd.id, t.organisation): t.feedback for rnd in ds.rounds for _, t in rnd.targets}
    for item in ds.items:
        rnd, org = rounds.get(item.round), orgs.get(item.organisation)
        if rnd is None or org is None:
            continue
        given = feedback.get((item.round, item.organisation))
        out["items"].append({"_record": item, "_sample": item.sample, **_round_fields(rnd), "organisation.level": org.level,
                             "organisation.county": org.county, "status": item.status,
                             "priority": item.priority, "category": item.category,
                             "done_within_a_month": done_within_a_month(item, given)})
    for lead in ds.leads:
        rnd, org = rounds.get(lead.round), orgs.get(lead.organisation)
        if rnd is None or org is None:
            continue
        out["leads"].append({"_record": lead, "_sample": lead.sample, **_round_fields(rnd), "organisation.level": org.level,
                             "handed_to": lead.handed_to, "priority_handled": lead.priority_handled,
                             "is_concluded": lead.is_concluded, "sanctioned": lead.sanctioned,
                             "organisational_handling": lead.organisational_handling,
                             "judicial_transfers": lead.judicial_transfers})
    return out


def unknown_fields(records: str, names: Iterable[str]) -> list[str]:
    allowed = set()
    for name in VIEW_FIELDS[records]:
        if name == "round.*":
            allowed |= {"round.id", "round.organiser", "round.year", "round.kinds", "round.direct_supervision"}
        else:
            allowed.add(name)
    return sorted(set(names) - allowed)


def _matches(actual, wanted) -> bool:
    if isinstance(actual, list):
        wanted_values = wanted if isinstance(wanted, list) else [wanted]
        return any(w in actual for w in wanted_values)
    if isinstance(wanted, list):
        return actual in wanted
    return actual == wanted and type(actual) is type(wanted)


def select(rows: list[dict], where: dict) -> list[dict]:
    return [row for row in rows if all(_matches(row.get(k), v) for k, v in where.items())]


@labelled("反馈后一个月内完成", "在反馈日期一个月后的那一天,状态已是已完成(按整改进展和完成日期)")
def done_within_a_month(item: RectificationItem, feedback: dt.date | None) -> bool:
    """Whether an item was done within a calendar month of its feedback (巡后直督's measure)."""
    if feedback is None:
        return False
    month = feedback.month % 12 + 1
    year = feedback.year + (feedback.month == 12)
    last = calendar.monthrange(year, month)[1]
    return item.status_on(dt.date(year, month, min(feedback.day, last))) == "已完成"


DERIVED = {"done_within_a_month": done_within_a_month}

RECORDS = {"rounds": "巡察轮次", "teams": "巡察组", "targets": "巡察对象", "items": "整改事项", "leads": "问题线索",
           "system_records": "机制运行记录"}
OWNERS = {"rounds": Round, "teams": Team, "targets": Target, "items": RectificationItem, "leads": LeadHandover,
          "system_records": SystemRecord}


def field_label(records: str, name: str) -> str:
    """A view field as readers know it, from the declared titles (generators/labels.py)."""
    owner, _, attr = name.rpartition(".")
    if owner == "round":
        return "所属轮次" if attr == "id" else title(Round, attr)
    if owner == "team":
        return title(Team, attr)
    if owner == "organisation":
        return "被巡察党组织" + title(Organisation, attr)
    if attr in DERIVED:
        return title(DERIVED, attr)
    return title(OWNERS[records], attr)


def _value(value: object, names: dict[str, str]) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "或".join(_value(v, names) for v in value)
    return names.get(str(value), str(value))


def _conditions(records: str, where: dict, names: dict[str, str]) -> str:
    return "、".join(f"{field_label(records, k)}为{_value(v, names)}" for k, v in where.items())


@dataclass(frozen=True)
class Evaluation:
    value: int | Decimal | None  # None: no record to compute it from (unknown, not zero)
    how: str  # how it was computed, in plain Chinese
    sample: bool  # whether any record it was computed from is sample data
    restated: frozenset[str] = frozenset()  # sources restated by every record it was computed from (else empty)


def evaluate(query: Query, all_views: dict[str, list[dict]], places: int = 0,
             names: dict[str, str] | None = None) -> Evaluation:
    """The query's value at `places` decimals (rates), how it was computed in plain Chinese
    (ids of bodies shown by `names`), and whether sample records went into it."""
    names = names or {}
    rows = select(all_views[query.records], query.where)
    kind = RECORDS[query.records]
    scope = f"{_conditions(query.records, query.where, names)}的{kind}" if query.where else f"全部{kind}"
    sample = any(row["_sample"] for row in rows)
    sources = {row.get("_source") for row in rows}
    restated = frozenset(s for s in sources if s) if rows and None not in sources else frozenset()
    if query.measure == "count":
        return Evaluation(len(rows), f"{scope}共 {len(rows)} 条", sample, restated)
    if query.measure == "sum":
        total = sum(row.get(query.field) or 0 for row in rows)
        label = field_label(query.records, query.field or "")
        return Evaluation(total, f"{scope}共 {len(rows)} 条,{label}合计 {total}", sample, restated)
    part = select(rows, query.numerator or {})
    value = exact_rate(len(part), len(rows), places)  # at the published precision; None when no record matches
    which = _conditions(query.records, query.numerator or {}, names)
    return Evaluation(value, f"{scope}共 {len(rows)} 条,其中{which}的 {len(part)} 条,占 {percent(value)}", sample,
                      restated)
