"""Point in time: which version of a rule was in force on a date, and the
pre-rendered indexes of the rules in force at each year end and on the as-of date.

A version is in force from its date (the first one not before the rule's
`effective` date) until the next version's date; a rule is in force on no day
before that and on no day from its `repealed` date on. The dates come from the
data: every 31 December from the year of the earliest rule up to the as-of year,
and the as-of date itself (data/site.yaml), never the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..model import Integration
from ..render import link, markdown
from . import Page
from .common import chunk_title, paginate
from .rules_library import Library

# states of a rule on one day (not the rule's `status` field, which is as of the data's date)
NOT_ISSUED, PENDING, IN_FORCE, REPEALED = "尚未印发", "尚未生效", "施行", "已废止"


def periods(rule) -> list[tuple[object, dt.date, dt.date | None]]:
    """(revision, from, until) for each version that was ever in force; until is exclusive."""
    floor = rule.effective or rule.revisions[0].date
    out = []
    for k, rev in enumerate(rule.revisions):
        start = max(rev.date, floor)
        ends = [d for d in (rule.revisions[k + 1].date if k + 1 < len(rule.revisions) else None,
                            rule.repealed) if d is not None]
        end = min(ends) if ends else None
        if end is None or start < end:
            out.append((rev, start, end))
    return out


def state(rule, day: dt.date) -> tuple[str, object | None]:
    """The rule's state on a day, and the revision in force then (if any)."""
    if day < (rule.issued or rule.revisions[0].date):
        return NOT_ISSUED, None
    if rule.repealed and day >= rule.repealed:
        return REPEALED, None
    for rev, start, end in periods(rule):
        if start <= day and (end is None or day < end):
            return IN_FORCE, rev
    return PENDING, None


def snapshot_dates(rules, as_of: dt.date) -> list[dt.date]:
    """Every 31 December from the earliest rule's year to the as-of year, and the as-of date."""
    firsts = [r.issued or r.revisions[0].date for r in rules]
    if not firsts:
        return [as_of]
    ends = [dt.date(y, 12, 31) for y in range(min(firsts).year, as_of.year + 1)]
    return sorted({d for d in ends if d <= as_of} | {as_of})


def _order(rule) -> tuple:
    return (Integration.__args__.index(rule.category), rule.id)


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


def table(lib: Library, rule, prefix: str) -> list[dict]:
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
