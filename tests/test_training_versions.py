"""Training tied to versions: a session is pinned to the version of each rule in force on
its date (its articles, questions and handout read that text), and a revision's page lists
the sessions, questions and handouts that taught an earlier version, for review."""

from __future__ import annotations

import datetime as dt

import yaml
from bs4 import BeautifulSoup

from generators import build, ruletext
from generators.ruledates import shown


def _planted_revision(project, dataset):
    """Revise a one-version rule a session asks about, after the session: the asked article
    removed, the others kept. Returns (session, rule, the asked article's old text)."""
    rules = dataset.by_id("rules")
    t, q = next((t, q) for t in sorted(dataset.trainings, key=lambda t: t.date) for q in t.questions
                if len(rules[q.rule].revisions) == 1)
    rule = rules[q.rule]
    arts = ruletext.articles(rule.current.text)
    asked = next(a for a in arts if a.number == q.article)
    kept = [a.line for a in arts if a.number != q.article]
    path = project / "data" / "rules.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    record = next(r for r in data if r["id"] == rule.id)
    last = max(x.date for x in dataset.trainings if rule.id in x.rules)  # after every session teaching it
    record["revisions"].append({"version": 2, "date": min(last + dt.timedelta(days=30), dataset.as_of).isoformat(),
                                "note": "修订", "text": "\n".join(kept)})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return t, rule, asked


def test_revising_a_taught_rule_lists_the_session_for_review(project_copy, dataset):
    t, rule, asked = _planted_revision(project_copy, dataset)
    pages, problems = build(project_copy / "data", "internal")
    assert not [p for p in problems if p.severity == "error"], problems  # the session still cites its version
    md = {p.path: p.markdown for p in pages}
    revision = md[f"rules/{rule.id}/v2.md"]
    assert "{ #review }" in revision
    review = revision.split("{ #review }")[1].split("{ #text }")[0].replace("\\", "")  # Markdown escapes off
    assert f"](../../trainings/{t.id}.md)" in review
    n = next(k for k, q in enumerate(t.questions, start=1) if q.rule == rule.id and q.article == asked.number)
    assert f"第 {n} 题({asked.label},已删除)](../../trainings/{t.id}.md#q{n})" in review
    assert f"](../../trainings/handouts/{t.id}.md)" in review
    assert "[第 1 版](v1.md)" in review
    # the session keeps teaching version 1: its question links that version's article
    session = md[f"trainings/{t.id}.md"]
    assert f"../rules/{rule.id}/v1.md#art-{asked.number}" in session
    assert f"../rules/{rule.id}/v2.md#changes" in session  # and says a later version needs review
    handout = md[f"trainings/handouts/{t.id}.md"].replace("\\", "")
    if any(c.rule == rule.id and asked.number in c.articles for c in t.covers):
        assert asked.body in handout


def test_shipped_prospective_revision_lists_the_sessions_that_taught_the_version_before(internal_site, dataset):
    for rule in dataset.rules:
        for rev in rule.revisions[1:]:
            taught = [t for t in dataset.trainings if rule.id in t.rules and shown(rule, t.date).version < rev.version]
            doc = BeautifulSoup((internal_site / f"rules/{rule.id}/v{rev.version}/index.html").read_text(encoding="utf-8"),
                                "html.parser").find("article")
            heading = doc.find(id="review")
            if not taught:
                assert heading is None
                continue
            hrefs = {a["href"] for a in heading.find_next("table").find_all("a")}
            for t in taught:
                assert f"../../../trainings/{t.id}/" in hrefs and f"../../../trainings/handouts/{t.id}/" in hrefs
    assert any(rule.revisions[-1].date > dataset.as_of and any(rule.id in t.rules for t in dataset.trainings)
               for rule in dataset.rules)  # the shipped data shows one: a taught rule's prospective version
