"""The article's systems (机制) and their records, for the internal build only.

systems/index.md lists every system by the article's four parts; systems/<id>.md explains
one system from the rules that establish it, lists the article's figures about it (which
are checked against its records and which are only quoted) and every record it keeps, with
links to the rounds, organisations, items and rules each concerns. Participants are shown
as units, posts and counts; no record has a field for a person's name.
"""

from __future__ import annotations

import typing
from collections import Counter
from collections.abc import Iterator
from typing import Any

from markupsafe import Markup

from .. import queries
from ..audience import Page
from ..dataset import Dataset
from ..labels import title
from ..model import Integration, RectificationItem, System, SystemRecord
from ..queries import SYSTEM_COUNTS
from ..render import link, markdown
from .common import Index
from .figures import check_of, display

UNITS = {"reports_rectification": "个", "reports_inspection": "个", "matters": "件", "teams": "个", "posts": "人",
         "person_times": "人次", "members": "人"}


def _when(rec: SystemRecord) -> str:
    if rec.date is None:
        return rec.period or ""
    return f"{rec.date}—{rec.until}" if rec.until else str(rec.date)


def _counts(rec: SystemRecord) -> str:
    """The record's counts: 听取整改汇报 4 个、点人点事点问题 7 件; 36 人次 (the title is the unit)."""
    return "、".join(f"{value} {UNITS[name]}" if title(SystemRecord, name) == UNITS[name]
                     else f"{title(SystemRecord, name)} {value} {UNITS[name]}"
                     for name in SYSTEM_COUNTS if (value := getattr(rec, name)) is not None)


def _links(ix: Index, rec: SystemRecord, items: dict[str, RectificationItem], shown: set[str]) -> Markup:
    out = [link(ix.round_title(ix.rounds[r]), f"../rounds/{r}.md") for r in rec.rounds if r in ix.rounds]
    out += [link(ix.orgs[o].name, f"../organisations/{o}.md") for o in rec.organisations if o in ix.orgs]
    out += [link(f"整改事项:{items[i].description.split(':')[0]}", f"../inspections/{items[i].round}--{items[i].organisation}.md")
            for i in rec.items if i in items]
    out += [link(f"《{ix.rules[r].title}》", f"../rules/{r}.md") for r in rec.rules if r in ix.rules and r not in shown]
    return Markup("<br>").join(out)


def _handovers(ds: Dataset) -> dict[str, tuple[int, int]]:
    """Leads handed over to each kind of receiver: (all, handled with priority)."""
    total = Counter(lead.handed_to for lead in ds.leads)
    priority = Counter(lead.handed_to for lead in ds.leads if lead.priority_handled)
    return {k: (n, priority[k]) for k, n in total.items()}


def _row(ix: Index, rec: SystemRecord, handovers: dict[str, tuple[int, int]], items: dict[str, RectificationItem],
         shown: set[str]) -> dict[str, Any]:
    who = [*rec.units] + ([ix.bodies[rec.body].short_name] if rec.body in ix.bodies and not rec.units else [])
    detail = [x for x in (rec.evaluation and f"评价方式:{rec.evaluation}", _counts(rec)) if x]
    if rec.receives and rec.receives in handovers:
        n, priority = handovers[rec.receives]
        detail.append(f"接收移交的问题线索 {n} 件" + (f"(其中优先处置 {priority} 件)" if priority else ""))
    name = rec.title + ("(示例)" if rec.sample else "")
    return {"rec": rec, "名称": name, "日期或时段": _when(rec), "单位": "、".join(who),
            "参加人员": rec.attendance or "", "数字": ";".join(detail), "涉及": _links(ix, rec, items, shown),
            "内容": rec.summary or ""}


COLUMNS = ["名称", "日期或时段", "单位", "参加人员", "数字", "涉及", "内容"]


def _kind(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The rows of one record kind as a table of the columns some row fills; participants and
    content said once above it when every row has the same."""
    same = {(r["参加人员"], r["内容"]) for r in rows}
    common = next(iter(same)) if len(same) == 1 else None
    columns = [c for c in COLUMNS if any(r[c] for r in rows) and not (common and c in ("参加人员", "内容"))]
    return {"rows": rows, "common": common, "columns": columns,
            "cells": [[r[c] for c in columns] for r in rows]}


def _figures(ds: Dataset, system: System, all_views: dict, bodies: dict[str, str]) -> list[dict[str, Any]]:
    """The article's figures about a system: those it names, and those checked against its records."""
    figures = ds.by_id("figures")
    ids = [f for f in system.figures if f in figures]
    ids += [f.id for f in ds.figures if f.id not in ids and f.backed_by and f.backed_by.records == "system_records"
            and f.backed_by.where.get("kind") in system.kinds]
    rows = []
    for fid in ids:
        check, sample = check_of(figures[fid], all_views, bodies)
        rows.append({"fig": figures[fid], "display": display(figures[fid]), "check": check, "sample": sample})
    return rows


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    if audience != "internal":
        return  # the index is written even with no systems.yaml: the internal nav names it
    ix = Index(ds, audience)
    all_views = queries.views(ds) if queries.needed(ds) else {}
    bodies = {b.id: b.short_name for b in ds.bodies}
    sources = ds.by_id("sources")
    handovers = _handovers(ds)
    items = ds.by_id("items")
    records: dict[str, list[SystemRecord]] = {}
    for rec in ds.system_records:
        records.setdefault(rec.system, []).append(rec)
    groups = []
    for section in typing.get_args(Integration):
        rows = []
        for system in (s for s in ds.systems if s.section == section):
            mine = sorted(records.get(system.id, []), key=lambda r: (r.kind, r.date or r.until or ix.as_of, r.id))
            shown = set(system.rules)  # linked once at the top of the page
            kinds = [{"kind": kind, **_kind([_row(ix, r, handovers, items, shown) for r in mine if r.kind == kind])}
                     for kind in system.kinds]
            rules = [{"link": link(f"《{ix.rules[r].title}》", f"../rules/{r}.md"), "sample": ix.rules[r].sample}
                     for r in system.rules if r in ix.rules]
            sample = any(r.sample for r in mine)
            yield Page(f"systems/{system.id}.md", markdown(
                "system.md.j2", system.name, meta={"sample": sample or None}, system=system, kinds=kinds,
                rules=rules, figures=_figures(ds, system, all_views, bodies), any_sample=sample,
                source=f"{sources[system.source].publication}{sources[system.source].title}",
                index=link("机制与记录", "index.md"),
            ), audience)
            rows.append({"system": system, "link": link(system.name, f"{system.id}.md"), "count": len(mine),
                         "sample": sum(r.sample for r in mine), "rules": [r["link"] for r in rules]})
        if rows:
            groups.append({"section": section, "rows": rows})
    yield Page("systems/index.md", markdown(
        "systems_index.md.j2", "机制与记录", groups=groups,
        any_sample=any(r["sample"] for g in groups for r in g["rows"]),
    ), audience)
