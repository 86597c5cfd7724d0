"""Case studies (案例) generated from the rounds that trainings use as cases: internal only.

A case says what kind of inspection the round was, what it found (problem categories
and counts from the rectification items, the kinds of problems its feedback notices
name), what was done (the measures its rectification notices report, handover and
rectification on the data's as-of date: leads handed over and concluded, items done and
overdue), and what it teaches: each lesson the trainings drew from it once, with the
sessions that drew it. It is anonymised: organisations appear only as
counts by level, and nothing of a lead but counts is shown (never its subject or summary).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..audience import Page, visible
from ..dataset import Dataset
from ..lifecycle import is_overdue
from ..memo import memo
from ..model import CaseRef, Notice, RectificationItem, Round, Training
from ..numbers import percent, rate
from ..render import link, markdown
from .common import Index
from .teaching import case_title, training_title

LEVELS = ("市直", "县直", "乡镇", "村", "社区")
HANDED_TO = ("纪委监委", "组织部", "审计局", "其他")


def _rate(part: int, whole: int) -> str:
    return percent(rate(part, whole, places=0))


def facts(ds: Dataset, ix: Index, rnd: Round) -> dict:
    """The numbers of one round, as of the data's as-of date."""
    orgs = ds.by_id("organisations")
    targets = [target for _, target in rnd.targets]
    # the Index's records of each inspection (cases are internal: every item and lead)
    items = sorted((i for t in targets for i in ix.items.get((rnd.id, t.organisation), ())), key=lambda i: i.id)
    leads = [lead for t in targets for lead in ix.leads.get((rnd.id, t.organisation), ())]
    levels: Counter[str] = Counter(orgs[t.organisation].level for t in targets)
    by_category: dict[str, list[RectificationItem]] = {}
    for item in items:
        by_category.setdefault(item.category, []).append(item)
    categories = [{"name": name, "count": len(xs), "done": sum(i.status == "已完成" for i in xs),
                   "overdue": sum(is_overdue(i, ix.as_of) for i in xs)}
                  for name, xs in sorted(by_category.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    done = sum(i.status == "已完成" for i in items)
    overdue = sum(is_overdue(i, ix.as_of) for i in items)
    concluded = sum(lead.concluded is not None and lead.concluded <= ix.as_of for lead in leads)
    handed: Counter[str] = Counter(lead.handed_to for lead in leads)
    return {
        "rnd": rnd, "organiser": ix.body_name(rnd.organiser), "kinds": rnd.kinds,
        "teams": len(rnd.teams), "dispatched": sum(team.dispatched_leader for team in rnd.teams),
        "targets": len(targets), "feedback": sum(t.feedback is not None for t in targets),
        "levels": [f"{level} {levels[level]} 个" for level in LEVELS if levels[level]],
        "problems": sum(t.problems_found for t in targets), "categories": categories,
        "item_count": len(items), "done": done, "overdue": overdue, "open": len(items) - done - overdue,
        "done_rate": _rate(done, len(items)),
        "leads": len(leads), "concluded": concluded, "concluded_rate": _rate(concluded, len(leads)),
        "handed_to": [f"{to} {handed[to]} 件" for to in HANDED_TO if handed[to]],
        "sanctioned": sum(lead.sanctioned for lead in leads),
        "organisational": sum(lead.organisational_handling for lead in leads),
        "judicial": sum(lead.judicial_transfers for lead in leads),
        "sample": rnd.sample or any(i.sample for i in items) or any(lead.sample for lead in leads),
    }


def _notices_by_round(ds: Dataset, audience: str) -> dict[str, list[Notice]]:
    """Each round's visible notices, oldest first (grouped once per build, not once per case)."""
    def grouped() -> dict[str, list[Notice]]:
        out: dict[str, list[Notice]] = {}
        for n in sorted(ds.notices, key=lambda n: (n.date, n.id)):
            if visible(n, audience):
                out.setdefault(n.round, []).append(n)
        return out
    return memo(ds, ("notices_by_round", audience), grouped)


def notice_texts(ds: Dataset, audience: str, rnd: Round) -> dict:
    """What the round's notices say of findings and measures, each text once, in order;
    a text naming an inspected organisation is left out (cases are anonymised)."""
    orgs = ds.by_id("organisations")
    names = {orgs[t.organisation].name for _, t in rnd.targets if t.organisation in orgs}
    notices = _notices_by_round(ds, audience).get(rnd.id, [])

    def clean(texts):
        return list(dict.fromkeys(x for x in texts if not any(name in x for name in names)))

    found = clean(x for n in notices if n.kind == "反馈情况" for x in n.problems_summary)
    measures: dict[str, list[str]] = {}
    for n in notices:
        for m in n.measures:
            measures.setdefault(m.category, []).append(m.measures)
    return {"found": found, "measures": [{"category": k, "texts": clean(v)} for k, v in measures.items() if clean(v)]}


def used_as_cases(ds: Dataset, audience: str) -> dict[str, list[tuple[Training, CaseRef]]]:
    """Round id -> [(training, case reference)] for every visible training that uses it."""
    out: dict[str, list[tuple[Training, CaseRef]]] = {}
    for t in sorted(ds.trainings, key=lambda t: (t.date, t.id)):
        if visible(t, audience):
            for case in t.cases:
                out.setdefault(case.round, []).append((t, case))
    return out


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    if audience != "internal":
        return
    ix = Index(ds, audience)
    rows = []
    for rid, uses in sorted(used_as_cases(ds, audience).items()):
        rnd = ix.rounds.get(rid)
        if rnd is None:
            continue
        f = facts(ds, ix, rnd)
        title = case_title(ix, rnd)
        lessons: dict[str, list] = {}  # one lesson once, with every session that drew it
        for t, case in uses:
            lessons.setdefault(case.lesson, []).append(link(training_title(t), f"../trainings/{t.id}.md"))
        sample = f["sample"] or any(t.sample for t, _ in uses)
        yield Page(f"cases/{rid}.md", markdown(
            "case.md.j2", title, meta={"sample": sample or None}, f=f, as_of=ix.as_of,
            round_link=link(ix.round_title(rnd), f"../rounds/{rid}.md"), sample=sample,
            lessons=[{"lesson": text, "links": links} for text, links in lessons.items()],
            notices=notice_texts(ds, audience, rnd),
        ), audience)
        rows.append({"f": f, "link": link(title, f"{rid}.md"), "uses": len(uses), "sample": sample})
    yield Page("cases/index.md", markdown(
        "cases_index.md.j2", "案例", rows=rows, as_of=ix.as_of, any_sample=any(r["sample"] for r in rows),
    ), audience)
