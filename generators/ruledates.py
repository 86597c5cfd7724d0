"""Point in time: which version of a rule was in force on a date.

A version is in force from its date (the first one not before the rule's
`effective` date) until the next version's date; a rule is in force on no day
before that and on no day from its `repealed` date on. The snapshot dates come from
the data: every 31 December from the year of the earliest rule up to the as-of year,
and the as-of date itself (data/site.yaml), never the clock.

A version dated after the as-of date is prospective (尚未施行): issued, in force from
its date on. The text a rule page shows is the one in force on the as-of date
(`shown`); prospective versions have their own pages and are announced on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .labels import labelled
from .model import Revision, Rule

# states of a rule on one day (not the rule's `status` field, which is as of the data's date)
NOT_ISSUED, PENDING, IN_FORCE, REPEALED = "尚未印发", "尚未生效", "施行", "已废止"


def periods(rule: Rule) -> list[tuple[Revision, dt.date, dt.date | None]]:
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


def state(rule: Rule, day: dt.date) -> tuple[str, Revision | None]:
    """The rule's state on a day, and the revision in force then (if any)."""
    if day < (rule.issued or rule.revisions[0].date):
        return NOT_ISSUED, None
    if rule.repealed and day >= rule.repealed:
        return REPEALED, None
    for rev, start, end in periods(rule):
        if start <= day and (end is None or day < end):
            return IN_FORCE, rev
    return PENDING, None


def shown(rule: Rule, as_of: dt.date) -> Revision:
    """The version a rule's page shows on the as-of date: the latest one dated on or
    before it (the one in force, or the final text of a repealed rule), else the first."""
    dated = [r for r in rule.revisions if r.date <= as_of]
    return dated[-1] if dated else rule.revisions[0]


@labelled("现行版本施行日期", "数据截止日期施行的版本开始施行的日期(已印发、尚未施行的版本不算)")
def in_force_since(rule: Rule, as_of: dt.date) -> dt.date:
    return shown(rule, as_of).date


def prospective(rule: Rule, as_of: dt.date) -> list[Revision]:
    """Versions issued but not yet in force on the as-of date (dated after it)."""
    first = shown(rule, as_of)
    return [r for r in rule.revisions if r.version > first.version and r.date > as_of]


def snapshot_dates(rules: Iterable[Rule], as_of: dt.date) -> list[dt.date]:
    """Every 31 December from the earliest rule's year to the as-of year, and the as-of date."""
    firsts = [r.issued or r.revisions[0].date for r in rules]
    if not firsts:
        return [as_of]
    ends = [dt.date(y, 12, 31) for y in range(min(firsts).year, as_of.year + 1)]
    return sorted({d for d in ends if d <= as_of} | {as_of})
