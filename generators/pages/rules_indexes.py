"""The indexes of the rules: the main one by category (rules/index.md), and one page
each by issuer, document type, year, status and tag; tables, not a page per row."""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator

from ..audience import Page
from ..model import Integration, Rule
from ..render import link
from ..ruletext import PAGE_NAMES
from .common import listing
from .rules_library import Library, badge

# (file stem, link label, how the groups are named, key(s) of a rule, group order)
BY: list[tuple[str, str, str, Callable, Callable]] = [
    ("by-issuer", "按制定机关", "制定机关", lambda r: [r.issuer], lambda k: k),
    ("by-type", "按文件类型", "文件类型", lambda r: [r.doc_type],
     lambda k: typing.get_args(Rule.model_fields["doc_type"].annotation).index(k)),
    ("by-year", "按印发年份", "印发年份", lambda r: [f"{year(r)}年"], lambda k: k),
    ("by-status", "按状态", "状态", lambda r: [r.status],
     lambda k: typing.get_args(Rule.model_fields["status"].annotation).index(k)),
    ("by-tag", "按标签", "标签", lambda r: sorted(set(r.tags)) or ["无标签"], lambda k: k),
]
assert {"index", "in-force", *[stem for stem, *_ in BY]} == set(PAGE_NAMES)  # ids a rule may not take


def year(rule: Rule) -> int:
    """The year of issue; a rule without an issue date counts from its first version."""
    return (rule.issued or rule.revisions[0].date).year


def _row(lib: Library, rule: Rule, group: str) -> dict:
    return {"rule": rule, "link": lib.link(rule.id, "", rule.title), "badge": badge(rule.status),
            "year": year(rule), "group": group}


def pages(lib: Library) -> Iterator[Page]:
    rules = list(lib.rules.values())
    any_sample = any(r.sample for r in rules)
    for stem, label, heading, keys, order in BY:
        groups: dict[str, list] = {}
        for rule in rules:
            for key in keys(rule):
                groups.setdefault(key, []).append(_row(lib, rule, key))
        rows = [row for k in sorted(groups, key=order) for row in groups[k]]
        yield from listing(
            f"rules/{stem}.md", rows, "rules_by.md.j2", f"制度规范:{label}", lib.audience,
            meta={"sample": any_sample or None, "search": {"exclude": True}}, grouped=True,
            heading=heading, count=len(rules), any_sample=any_sample)
    by_category: dict[str, list] = {}
    for rule in rules:
        by_category.setdefault(rule.category, []).append(_row(lib, rule, rule.category))
    rows = [row for c in typing.get_args(Integration) if c in by_category for row in by_category[c]]
    yield from listing(
        "rules/index.md", rows, "rules_index.md.j2", "制度规范", lib.audience,
        meta={"sample": any_sample or None}, grouped=True, count=len(rules), any_sample=any_sample,
        as_of=lib.as_of, browse=[link(label, f"{stem}.md") for stem, label, *_ in BY],
        in_force=link("各时点施行的制度规范", "in-force/index.md"))
