"""What every rule page needs to know about the other rules of one build.

`Library(ds, audience)` holds the rules the build may show, their citations both
ways (the `references` field and citations in the current text) and the trainings
that teach them, and renders a text into articles whose citations are links. A
rule the build may not show is never linked, listed or named by the generated
parts of a page (its title may still be in the citing rule's own text).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

from markupsafe import Markup

from .. import ruletext
from ..audience import visible
from ..dataset import Dataset
from ..model import Rule, Training
from ..render import link
from ..ruledates import shown, snapshot_dates
from ..text import md

# the status badge: a fixed class per status (the status is a Literal, never free text)
BADGE_CLASS = {"尚未生效": "pending", "尚未施行": "pending", "现行有效": "in-force", "已修订": "amended",
               "已废止": "repealed"}


def badge(status: str) -> Markup:
    return Markup('<span class="rule-status rule-status--{}">{}</span>').format(BADGE_CLASS[status], status)


def title_map(rules: Iterable[Rule]) -> dict[str, str]:
    """Exact title -> rule id (the first rule of a title wins; checks.py reports duplicates)."""
    out: dict[str, str] = {}
    for rule in sorted(rules, key=lambda r: r.id):
        out.setdefault(rule.title, rule.id)
    return out


class Library:
    def __init__(self, ds: Dataset, audience: str) -> None:
        # the rules themselves, not the shared Index: the rule pages read no inspection
        # record, so the live preview keeps them while only items.yaml is edited
        self.audience = audience
        self.as_of = ds.as_of
        self.rules = dict(sorted((r.id, r) for r in ds.rules if visible(r, audience)))
        every = ds.rules  # citations are resolved against all rules, then filtered by visibility
        self.titles = title_map(every)
        self.ids = {r.id for r in every}
        self.sources = ds.by_id("sources")
        self._anchors: dict[str, set[str]] = {}
        self.cites: dict[str, list[str]] = {}
        for rule in self.rules.values():
            found = [c.rule_id for line in ruletext.lines(shown(rule, self.as_of).text)
                     for c in ruletext.citations(line, self.titles, self.ids) if c.rule_id is not None]
            ids = [r for r in list(rule.references) + found if r != rule.id and r in self.rules]
            self.cites[rule.id] = list(dict.fromkeys(ids))
        self.cited_by: dict[str, list[str]] = {rid: [] for rid in self.rules}
        for rid, cited in self.cites.items():
            for other in cited:
                self.cited_by[other].append(rid)
        self.taught: dict[str, list[Training]] = {rid: [] for rid in self.rules}
        for training in sorted(ds.trainings, key=lambda t: (t.date, t.id)):
            if visible(training, audience):
                for rid in dict.fromkeys(training.rules):
                    if rid in self.taught:
                        self.taught[rid].append(training)

    @functools.cached_property
    def dates(self) -> list[dt.date]:
        """The point-in-time snapshot dates of this build (once: every rule page lists them)."""
        return snapshot_dates(self.rules.values(), self.as_of)

    def link(self, rule_id: str, prefix: str, label: str | None = None) -> Markup:
        rule = self.rules[rule_id]
        return link(label or f"《{rule.title}》", f"{prefix}{rule_id}.md")

    def repealed_cited(self, rule: Rule) -> list[str]:
        """Visible repealed rules cited by a rule that is not itself repealed."""
        if rule.status == "已废止":
            return []
        return [r for r in self.cites[rule.id] if self.rules[r].status == "已废止"]

    def anchors(self, rule_id: str) -> set[str]:
        if rule_id not in self._anchors:
            self._anchors[rule_id] = {a.anchor for a in ruletext.articles(shown(self.rules[rule_id], self.as_of).text)}
        return self._anchors[rule_id]

    def linked(self, line: str, self_id: str, prefix: str) -> Markup:
        """One line of text, escaped, with each citation of a visible rule made a link
        (to the cited article when it exists) and a citation of a repealed rule flagged."""
        out, pos = Markup(""), 0
        for c in ruletext.citations(line, self.titles, self.ids):
            if c.rule_id is None or c.rule_id == self_id or c.rule_id not in self.rules:
                continue
            anchor = f"art-{c.article}" if c.article else ""
            target = f"{prefix}{c.rule_id}.md" + (f"#{anchor}" if anchor in self.anchors(c.rule_id) else "")
            out += _segment(line[pos:c.start]) + link(c.text, target)
            if self.rules[c.rule_id].status == "已废止":
                out += Markup('<span class="rule-cite-repealed">(已废止)</span>')
            pos = c.end
        return out + _segment(line[pos:])

    def articles(self, text: str, self_id: str, prefix: str) -> list[dict]:
        """Articles ready for a template: heading label, anchor attribute, linked body."""
        out = []
        for a in ruletext.articles(text):
            out.append({"label": a.label, "anchor": Markup(f"{{ #{a.anchor} }}"),
                        "body": self.linked(a.body, self_id, prefix)})
        return out

    def source(self, rule: Rule) -> str | None:
        if not rule.source:
            return None
        src = self.sources[rule.source]
        return f"{src.publication}{src.title}"


def _segment(text: str) -> Markup:
    """Escape a piece of a line between citations, keeping a space at either end."""
    if not text.strip():
        return Markup(" " if text else "")
    lead = " " if text[0].isspace() else ""
    tail = " " if text[-1].isspace() else ""
    return Markup(lead) + md(text) + Markup(tail)
