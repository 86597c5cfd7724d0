"""One page per institutional rule (制度规范), and an index by category."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Integration
from ..render import link, markdown
from . import Page, visible
from .common import Index

_ARTICLE = re.compile(r"^第([一二三四五六七八九十百零〇]+)条")
_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int:
    """一 -> 1, 十二 -> 12, 二十三 -> 23, 一百零五 -> 105."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _NUMERALS[ch]
    return total + current


def articles(body: str) -> list[dict]:
    """Split a rule's text into paragraphs; an article (第N条) gets anchor art-N."""
    out = []
    for n, line in enumerate(x.strip() for x in body.splitlines() if x.strip()):
        m = _ARTICLE.match(line)
        anchor = f"art-{chinese_number(m.group(1))}" if m else f"p-{n + 1}"
        out.append({"text": line, "anchor": anchor})
    return out


def pages(ds, audience: str) -> Iterator[Page]:
    ix = Index(ds, audience)
    sources = ds.by_id("sources")
    cited_by: dict[str, list] = {}
    for rule in ix.rules.values():
        for ref in rule.references:
            cited_by.setdefault(ref, []).append(rule)
    taught: dict[str, list] = {}
    for training in ds.trainings:
        if visible(training, audience):
            for ref in training.rules:
                taught.setdefault(ref, []).append(training)
    groups: dict[str, list] = {}
    for rule in sorted(ix.rules.values(), key=lambda r: r.id):
        refs = [link(f"《{ix.rules[r].title}》", f"{r}.md") for r in rule.references if r in ix.rules]
        yield Page(f"rules/{rule.id}.md", markdown(
            "rule.md.j2", rule.title, meta={"sample": rule.sample or None},
            rule=rule, articles=articles(rule.current.text),
            source=f"{sources[rule.source].publication}{sources[rule.source].title}" if rule.source else None,
            references=refs,
            cited_by=[link(f"《{r.title}》", f"{r.id}.md") for r in sorted(cited_by.get(rule.id, []), key=lambda r: r.id)],
            trainings=[link(t.topic, f"../trainings/{t.id}.md") for t in taught.get(rule.id, [])],
        ), audience)
        groups.setdefault(rule.category, []).append({"rule": rule, "link": link(rule.title, f"{rule.id}.md")})
    ordered = [{"category": c, "rows": groups[c]} for c in Integration.__args__ if c in groups]
    yield Page("rules/index.md", markdown(
        "rules_index.md.j2", "制度规范", groups=ordered, count=len(ix.rules),
        any_sample=any(r["rule"].sample for g in ordered for r in g["rows"]),
    ), audience)
