"""Point in time pages: the pre-rendered indexes of the rules in force at each year end
and on the as-of date, and each rule's table of its versions' periods. Which version
was in force on a day is generators/ruledates.py."""

from __future__ import annotations

import typing
from collections.abc import Iterator

from ..audience import Page
from ..model import Integration, Rule
from ..render import link, markdown
from ..ruledates import IN_FORCE, NOT_ISSUED, PENDING, REPEALED, state
from .common import chunk_title, paginate
from .rules_library import Library

CATEGORIES: tuple[str, ...] = typing.get_args(Integration)  # the four parts, in the article's order


def _order(rule: Rule) -> tuple[int, str]:
    return (CATEGORIES.index(rule.category), rule.id)


def pages(lib: Library) -> Iterator[Page]:
    dates = lib.dates
    summary = []
    for day in dates:
        groups: dict[str, list] = {IN_FORCE: [], PENDING: [], REPEALED: []}
        for rule in sorted(lib.rules.values(), key=_order):
            st, rev = state(rule, day)
            if st == NOT_ISSUED:
                continue
            groups[st].append({
                "rule": rule, "link": lib.link(rule.id, "../", rule.title), "state": st,
                "version": link(f"第 {rev.version} 版", f"../{rule.id}/v{rev.version}.md") if rev else None,
            })
        shown = [r for g in groups.values() for r in g]
        counts = {k: len(v) for k, v in groups.items()}
        name = day.isoformat()
        for chunk in paginate(f"rules/in-force/{name}.md", shown):
            part = {k: [r for r in chunk.rows if r["state"] == k] for k in groups}
            sample = any(r["rule"].sample for r in chunk.rows)
            yield Page(chunk.path, markdown(
                "rules_in_force.md.j2", chunk_title(f"{name} 施行的制度规范", chunk),
                meta={"sample": sample or None, "search": {"exclude": True}},
                day=day, as_of=lib.as_of, groups=part, counts=counts, chunk=chunk, total=len(shown),
                any_sample=sample,
            ), lib.audience)
        summary.append({"link": link(name, f"{name}.md"), "as_of": day == lib.as_of,
                        "counts": counts})
    any_sample = any(r.sample for r in lib.rules.values())  # its counts include sample rules
    yield Page("rules/in-force/index.md", markdown(
        "rules_in_force_index.md.j2", "各时点施行的制度规范",
        meta={"sample": any_sample or None, "search": {"exclude": True}},
        rows=summary, as_of=lib.as_of, any_sample=any_sample,
    ), lib.audience)


def table(lib: Library, rule: Rule, prefix: str) -> list[dict]:
    """A rule page's rows: each snapshot date and the version in force then."""
    rows = []
    for day in lib.dates:
        st, rev = state(rule, day)
        rows.append({
            "day": link(day.isoformat(), f"{prefix}in-force/{day.isoformat()}.md"),
            "version": link(f"第 {rev.version} 版", f"{prefix}{rule.id}/v{rev.version}.md") if rev else None,
            "state": st,
        })
    return rows
