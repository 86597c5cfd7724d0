"""Training that teaches, on the built internal site: a curriculum step that names articles
links them, a question on every article a session teaches (and a bank per rule article on
the rule page), and case studies that say what was found, what was done and what each
lesson is, once."""

from __future__ import annotations

import copy

from bs4 import BeautifulSoup

from generators import ruletext
from generators.checks import check
from generators.ruledates import shown


def _article(site, rel):
    return BeautifulSoup((site / rel / "index.html").read_text(encoding="utf-8"), "html.parser").find("article")


def test_curriculum_step_links_the_articles_it_names(internal_site, dataset):
    rules = dataset.by_id("rules")
    linked = 0
    for c in dataset.curricula:
        items = _article(internal_site, f"curricula/{c.id}").select("li[data-check]")
        for li, step in zip(items, c.steps, strict=True):
            named = [n for _, _, n in ruletext.mentions(step.note or "")] if step.kind == "rule" else []
            hrefs = [a["href"] for a in li.find_all("a")]
            assert hrefs[1:] == [f"../../rules/{step.ref}/#art-{n}" for n in named], (c.id, step.ref)
            rule_page = _article(internal_site, f"rules/{step.ref}") if named else None
            for n in named:
                assert rule_page.find(id=f"art-{n}") is not None
                assert n in ruletext.article_numbers(shown(rules[step.ref], dataset.as_of).text)
                linked += 1
    assert linked >= 10


def test_a_step_naming_an_article_the_rule_lacks_is_noted(dataset):
    i, c = next((i, c) for i, c in enumerate(dataset.curricula) if any(s.kind == "rule" for s in c.steps))
    s, step = next((s, step) for s, step in enumerate(c.steps) if step.kind == "rule")
    steps = list(c.steps)
    steps[s] = step.model_copy(update={"note": "重点学习第九十九条。"})
    ds = copy.copy(dataset)
    ds.records = {**dataset.records, "curricula": [c.model_copy(update={"steps": steps}) if k == i else x
                                                   for k, x in enumerate(dataset.curricula)]}
    found = [p for part in check(ds) for p in part]
    said = [str(p) for p in found if p.severity == "notice"]  # a revision may remove it: noted, not fatal
    assert any(f"curricula[{i}].steps[{s}].note" in x and "没有第 99 条" in x for x in said), said
    assert not [p for p in found if p.severity == "error"]


def test_every_article_taught_has_a_question_and_the_rule_page_lists_them(internal_site, dataset):
    for t in dataset.trainings:
        taught = {(c.rule, n) for c in t.covers for n in c.articles}
        assert taught and taught == {(q.rule, q.article) for q in t.questions}, t.id
    rules = dataset.by_id("rules")
    for rid in sorted({q.rule for t in dataset.trainings for q in t.questions}):
        bank = _article(internal_site, f"rules/{rid}").find(id="questions").find_next("table")
        hrefs = {a["href"] for a in bank.find_all("a")}
        for t in dataset.trainings:
            for k, q in enumerate(t.questions, start=1):
                if q.rule == rid:
                    assert f"../../trainings/{t.id}/#q{k}" in hrefs, (rid, t.id, k)
                    if shown(rules[rid], t.date) == shown(rules[rid], dataset.as_of):
                        assert f"#art-{q.article}" in hrefs


def test_case_study_says_what_was_found_done_and_taught_once(internal_site, dataset):
    cases = sorted({c.round for t in dataset.trainings for c in t.cases})
    assert cases
    measured = 0
    for rid in cases:
        doc = _article(internal_site, f"cases/{rid}")
        assert doc.find(id="done") is not None
        lessons = [li.get_text() for li in doc.find(id="lessons").find_next("ul").find_all("li", recursive=False)]
        expected = {c.lesson for t in dataset.trainings for c in t.cases if c.round == rid}
        assert len(lessons) == len(expected)  # each lesson once, with every session that drew it
        text = doc.get_text()
        done = doc.find(id="done").find_next("ul")
        notices = [n for n in dataset.notices if n.round == rid and n.measures]
        if notices and done is not None:
            assert notices[0].measures[0].measures in done.get_text()
            measured += 1
        for n in (n for n in dataset.notices if n.round == rid and n.kind == "反馈情况"):
            assert all(x in text for x in n.problems_summary)
    assert measured
    for t in dataset.trainings:  # no session teaches the same lesson from two cases
        assert len({c.lesson for c in t.cases}) == len(t.cases), t.id
