"""The rules knowledge base (制度规范库): a page per rule with its current text, and,
from the sibling modules, a page per version with its changes (rules_versions),
the point-in-time indexes (rules_pointintime) and the other indexes (rules_indexes).

The current page of a rule is rules/<id>.md (URL rules/<id>/); version N is
rules/<id>/vN.md; the indexes are rules/index.md, rules/by-*.md and
rules/in-force/*.md. Only the rules the build may show appear anywhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..audience import Page
from ..dataset import Dataset
from ..model import Rule
from ..render import link, markdown
from ..ruledates import prospective, shown
from ..ruletext import Article, articles, chinese_number  # noqa: F401  (re-exported)
from . import rules_history, rules_indexes, rules_pointintime, rules_review, rules_versions
from .rules_library import Library, badge


def rule_page(lib: Library, rule: Rule) -> Page:
    current = shown(rule, lib.as_of)
    versions = [{"rev": r, "link": link(f"第 {r.version} 版", f"{rule.id}/v{r.version}.md"),
                 "status": rules_versions.version_status(rule, r, lib.as_of),
                 "period": rules_versions.period_text(rule, r, lib.as_of),
                 "changes": rules_versions.changes_link(rule, r, "")} for r in rule.revisions]
    return Page(f"rules/{rule.id}.md", markdown(
        "rule.md.j2", rule.title, meta={"sample": rule.sample or None},
        rule=rule, badge=badge(rule.status), as_of=lib.as_of, source=lib.source(rule),
        text_heading=("最终文本" if rule.status == "已废止" else
                      "文本(尚未生效)" if rule.status == "尚未生效" else "现行文本"),
        current=current, articles=lib.articles(current.text, rule.id, ""),
        upcoming=[{"rev": r, "link": link(f"第 {r.version} 版", f"{rule.id}/v{r.version}.md"),
                   "changes": rules_versions.changes_link(rule, r, "")} for r in prospective(rule, lib.as_of)],
        picker=rules_history.picker(rule, lib.as_of), history=rules_history.articles(rule, lib.as_of),
        versions=versions,
        in_force=rules_pointintime.table(lib, rule, ""),
        repealed=[lib.link(r, "") for r in lib.repealed_cited(rule)],
        references=[{"link": lib.link(r, ""), "badge": badge(lib.rules[r].status)} for r in lib.cites[rule.id]],
        cited_by=[{"link": lib.link(r, ""), "badge": badge(lib.rules[r].status)} for r in lib.cited_by[rule.id]],
        trainings=[link(f"{t.kind}第 {t.ordinal} 期:{t.topic}", f"../trainings/{t.id}.md")
                   for t in lib.taught[rule.id]],
        bank=[{**row, "link": link(row["article"], row["target"])} for row in rules_review.question_bank(lib, rule)],
    ), lib.audience)


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    lib = Library(ds, audience)
    for rule in lib.rules.values():
        yield rule_page(lib, rule)
    yield from rules_versions.pages(lib)
    yield from rules_pointintime.pages(lib)
    yield from rules_indexes.pages(lib)
