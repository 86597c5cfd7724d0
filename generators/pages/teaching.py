"""Pieces shared by the training-material pages: trainings, handouts, curricula, cases.

All of it is internal: the generators that use these return no page for the public
build. Article links point at the art-N anchors of the rule pages, which number the
articles (第N条) of each rule's current text (generators/ruletext.py).
"""

from __future__ import annotations

from markupsafe import Markup

from ..dataset import Dataset
from ..model import Round, Rule, Training
from ..render import link
from ..ruletext import Article, articles
from .common import Index

KIND_TITLE = {"集训": "全市业务集训", "巡察论坛": "巡察论坛"}
STEP_LABEL = {"training": "培训", "rule": "制度", "case": "案例"}


def training_title(t: Training) -> str:
    return f"第{t.ordinal}期{KIND_TITLE[t.kind]}:{t.topic}"


def case_title(ix: Index, rnd: Round) -> str:
    return f"案例:{ix.round_title(rnd)}"


def article_map(rule: Rule) -> dict[int, Article]:
    """Article number -> article of the rule's current text."""
    return {a.number: a for a in articles(rule.current.text) if a.number is not None}


def article_link(rule: Rule, number: int, root: str, with_title: bool = True) -> Markup:
    """A link to article `number` of a rule; root is the path from the page to the docs root."""
    label = article_map(rule)[number].label
    return link(f"《{rule.title}》{label}" if with_title else label, f"{root}rules/{rule.id}.md#art-{number}")


def attrs(*parts: str) -> Markup:
    """An attr_list block, e.g. attrs('#q1-a', '.luohe-reveal'); parts are built from ids only."""
    return Markup("{: " + " ".join(parts) + " }")


def covered_rules(t: Training, rules: dict[str, Rule], root: str) -> list[dict]:
    """The training's reading list: each rule with links to the articles it covers."""
    covers: dict[str, list[int]] = {}
    for cover in t.covers:
        covers.setdefault(cover.rule, []).extend(cover.articles)
    out = []
    for rid in dict.fromkeys(t.rules):
        rule = rules.get(rid)
        if rule is None:
            continue
        numbers = sorted(set(covers.get(rid, [])))
        out.append({
            "rule": rule,
            "link": link(f"《{rule.title}》", f"{root}rules/{rid}.md"),
            "articles": [article_link(rule, n, root, with_title=False) for n in numbers],
            "texts": [{"label": article_map(rule)[n].label, "body": article_map(rule)[n].body,
                       "link": article_link(rule, n, root, with_title=False)} for n in numbers],
        })
    return out


def questions(t: Training, rules: dict[str, Rule], root: str) -> list[dict]:
    """Self-check questions ready for a template: options with their reveal anchors."""
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
        out.append({"n": n, "q": q, "options": options,
                    "source": article_link(rules[q.rule], q.article, root)})
    return out


def material_texts(ds: Dataset) -> dict[str, Markup]:
    """The Markdown of the material files (content/materials/): trusted, written by the
    office like the hand-written pages, so not escaped."""
    return {name: Markup(text.strip()) for name, text in ds.materials.items()}
