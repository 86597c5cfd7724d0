"""Cross-record checks of the article's systems: systems.yaml and system_records.yaml.

Run by generators/checks.py (registered in CHECKS). A system names known rules, figures
and a source, and no record kind belongs to two systems; a record names a known system
and one of its kinds, known bodies, rounds, organisations, items, rules and source; an
organisation or item it names belongs to one of its rounds; it is dated within the data.
The article's figures are checked against these records by checks.check_figures (the
figures' `backed_by` with `records: system_records`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from .dataset import Dataset


class Collector(Protocol):
    """What these checks need of the problem collector of generators/checks.py."""

    @property
    def ds(self) -> Dataset: ...

    def error(self, stem: str, path: tuple, message: str, key: bool = False) -> None: ...

    def ref(self, stem: str, path: tuple, value: str | None, table: Mapping[str, object], what: str) -> bool: ...


def check_systems(c: Collector) -> None:
    ds = c.ds
    rules, figures, sources = ds.by_id("rules"), ds.by_id("figures"), ds.by_id("sources")
    owner: dict[str, str] = {}
    for i, system in enumerate(ds.systems):
        c.ref("systems", (i, "source"), system.source, sources, "来源")
        for r, ref in enumerate(system.rules):
            c.ref("systems", (i, "rules", r), ref, rules, "制度")
        for f, ref in enumerate(system.figures):
            c.ref("systems", (i, "figures", f), ref, figures, "文章数字")
        for k, kind in enumerate(system.kinds):
            if kind in owner:
                c.error("systems", (i, "kinds", k), f"记录类别“{kind}”已属于机制 '{owner[kind]}',一个记录类别只能属于一项机制")
            owner.setdefault(kind, system.id)
    _check_records(c)


def _check_records(c: Collector) -> None:
    ds = c.ds
    systems, bodies, rounds = ds.by_id("systems"), ds.by_id("bodies"), ds.by_id("rounds")
    orgs, items, rules, sources = ds.by_id("organisations"), ds.by_id("items"), ds.by_id("rules"), ds.by_id("sources")
    as_of = ds.as_of if ds.site else None
    for i, rec in enumerate(ds.system_records):
        if c.ref("system_records", (i, "system"), rec.system, systems, "机制"):
            system = systems[rec.system]
            if rec.kind not in system.kinds:
                c.error("system_records", (i, "kind"),
                        f"机制“{system.name}”没有“{rec.kind}”这类记录(应为 {'、'.join(system.kinds)} 之一)")
        c.ref("system_records", (i, "body"), rec.body, bodies, "巡察主体")
        c.ref("system_records", (i, "source"), rec.source, sources, "来源")
        for r, ref in enumerate(rec.rules):
            c.ref("system_records", (i, "rules", r), ref, rules, "制度")
        targets: set[str] = set()
        for r, ref in enumerate(rec.rounds):
            if c.ref("system_records", (i, "rounds", r), ref, rounds, "巡察轮次"):
                targets |= {t.organisation for _, t in rounds[ref].targets}
        for o, ref in enumerate(rec.organisations):
            if c.ref("system_records", (i, "organisations", o), ref, orgs, "被巡察党组织") and ref not in targets:
                c.error("system_records", (i, "organisations", o), f"'{ref}' 不是本记录所列轮次的巡察对象")
        for k, ref in enumerate(rec.items):
            if c.ref("system_records", (i, "items", k), ref, items, "整改事项") and items[ref].round not in rec.rounds:
                c.error("system_records", (i, "items", k), f"整改事项 '{ref}' 属于轮次 '{items[ref].round}',本记录没有列出该轮次")
        if as_of and rec.date and rec.date > as_of:
            c.error("system_records", (i, "date"), f"日期 {rec.date} 晚于数据截至日期 {as_of}")
