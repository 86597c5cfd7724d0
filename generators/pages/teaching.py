"""Pieces shared by the training-material pages: trainings, handouts, curricula, cases.

All of it is internal: the generators that use these return no page for the public
build. A session is pinned to the version of each rule in force on its date
(`taught_version`): the articles it covers and its questions read that version's text,
and link to that version's art-N anchors: the rule page while it shows that version,
the version page (rules/<id>/vN) once the rule has been revised.
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from ..dataset import Dataset
from ..model import Revision, Round, Rule, Training
from ..render import link
from ..ruledates import shown
from ..ruletext import Article, articles, mentions
from ..text import md
from .common import Index

KIND_TITLE = {"集训": "全市业务集训", "巡察论坛": "巡察论坛"}
STEP_LABEL = {"training": "培训", "rule": "制度", "case": "案例"}


def training_title(t: Training) -> str:
    return f"第{t.ordinal}期{KIND_TITLE[t.kind]}:{t.topic}"


def case_title(ix: Index, rnd: Round) -> str:
    return f"案例:{ix.round_title(rnd)}"


def taught_version(rule: Rule, day: dt.date) -> Revision:
    """The version of a rule a session held on `day` taught: the one in force then."""
    return shown(rule, day)


def article_map(rule: Rule, rev: Revision) -> dict[int, Article]:
    """Article number -> article of one version's text."""
    return {a.number: a for a in articles(rev.text) if a.number is not None}


def article_link(rule: Rule, rev: Revision, number: int, root: str, as_of: dt.date, with_title: bool = True) -> Markup:
    """A link to article `number` of a version of a rule; root is the path from the page to
    the docs root. The rule page while it shows that version, else the version page."""
    label = article_map(rule, rev)[number].label
    page = f"{rule.id}.md" if rev.version == shown(rule, as_of).version else f"{rule.id}/v{rev.version}.md"
    return link(f"《{rule.title}》{label}" if with_title else label, f"{root}rules/{page}#art-{number}")


def note_links(note: str, rule: Rule, root: str, as_of: dt.date) -> Markup:
    """A note such as 重点学习第三条、第五条。 with each 第N条 linked to that article of the
    rule page (the text in force on the as-of date)."""
    have = set(article_map(rule, shown(rule, as_of)))
    out, pos = Markup(""), 0
    for start, end, n in mentions(note):
        if n in have:
            out += md(note[pos:start]) + link(note[start:end], f"{root}rules/{rule.id}.md#art-{n}")
            pos = end
    return out + md(note[pos:])


def attrs(*parts: str) -> Markup:
    """An attr_list block, e.g. attrs('#q1-a', '.luohe-reveal'); parts are built from ids only."""
    return Markup("{: " + " ".join(parts) + " }")


def covered_rules(t: Training, rules: dict[str, Rule], root: str, as_of: dt.date) -> list[dict]:
    """The training's reading list: each rule, the version taught, links to the articles it
    covers, and the later versions (a revision since the session: its teaching needs review)."""
    covers: dict[str, list[int]] = {}
    for cover in t.covers:
        covers.setdefault(cover.rule, []).extend(cover.articles)
    out = []
    for rid in dict.fromkeys(t.rules):
        rule = rules.get(rid)
        if rule is None:
            continue
        rev = taught_version(rule, t.date)
        numbers = sorted(set(covers.get(rid, [])))
        arts = article_map(rule, rev)
        out.append({
            "rule": rule, "rev": rev,
            "link": link(f"《{rule.title}》", f"{root}rules/{rid}.md"),
            "version": link(f"第 {rev.version} 版", f"{root}rules/{rid}/v{rev.version}.md"),
            "later": [link(f"第 {r.version} 版", f"{root}rules/{rid}/v{r.version}.md#changes")
                      for r in rule.revisions if r.version > rev.version],
            "articles": [article_link(rule, rev, n, root, as_of, with_title=False) for n in numbers],
            "texts": [{"label": arts[n].label, "body": arts[n].body,
                       "link": article_link(rule, rev, n, root, as_of, with_title=False)} for n in numbers],
        })
    return out


def questions(t: Training, rules: dict[str, Rule], root: str, as_of: dt.date) -> list[dict]:
    """Self-check questions ready for a template: options with their reveal anchors; the
    source article is in the version the session taught."""
    out = []
    for n, q in enumerate(t.questions, start=1):
        options = []
        for k, text in enumerate(q.options):
            letter = "ABCDEF"[k]
            anchor = f"q{n}-{letter.lower()}"
            right = letter == q.answer
            options.append({
                "letter": letter, "text": text, "right": right,
                "link": link(f"{letter}. {text}", f"#{anchor}"),
                "attrs": attrs(f"#{anchor}", ".luohe-reveal", ".luohe-right" if right else ".luohe-wrong"),
            })
        rule = rules[q.rule]
        out.append({"n": n, "q": q, "options": options,
                    "source": article_link(rule, taught_version(rule, t.date), q.article, root, as_of)})
    return out


def material_texts(ds: Dataset) -> dict[str, Markup]:
    """The Markdown of the material files (content/materials/): trusted, written by the
    office like the hand-written pages, so not escaped."""
    return {name: Markup(text.strip()) for name, text in ds.materials.items()}
