"""Training sessions (集训 and 巡察论坛), their handouts, the reading paths and the
case studies: the training material of the internal build. The public build gets none.

A session's page gives its date, topic, audience, agenda, materials, the rules and the
articles (第N条) it covers (links to the rule pages' art-N anchors), the cases it uses
and its self-check questions. Each option of a question links to an anchor on the same
page; the stylesheet content/internal/assets/training.css shows only the targeted
explanation (CSS :target), so answers are revealed on click with no server and no script.
With the script (content/internal/assets/training.js) options become buttons: a wrong
choice lets the reader try again, and the score is kept in the browser's localStorage.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..audience import Page, visible
from ..dataset import Dataset
from ..model import Training
from ..render import link, markdown
from . import curricula
from .common import Index
from .teaching import case_title, covered_rules, material_texts, questions, training_title


def training_page(ix: Index, t: Training) -> Page:
    return Page(f"trainings/{t.id}.md", markdown(
        "training.md.j2", training_title(t), meta={"sample": t.sample or None}, t=t,
        materials=material_texts(ix.ds),
        handout=link("打印讲义", f"handouts/{t.id}.md"),
        rules=covered_rules(t, ix.rules, "../", ix.as_of),
        cases=[{"link": link(case_title(ix, ix.rounds[c.round]), f"../cases/{c.round}.md"), "lesson": c.lesson}
               for c in t.cases if c.round in ix.rounds],
        questions=questions(t, ix.rules, "../", ix.as_of),
    ), ix.audience)


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    if audience != "internal":
        return
    ix = Index(ds, audience)
    rows: list[dict[str, Any]] = []
    for t in sorted((t for t in ds.trainings if visible(t, audience)), key=lambda t: (t.date, t.id)):
        yield training_page(ix, t)
        rows.append({"t": t, "link": link(training_title(t), f"{t.id}.md"),
                     "handout": link("讲义", f"handouts/{t.id}.md")})
    yield Page("trainings/index.md", markdown(
        "trainings_index.md.j2", "培训与论坛", rows=rows, any_sample=any(r["t"].sample for r in rows),
        curricula=link("课程路径", "../curricula/index.md"), cases=link("案例", "../cases/index.md"),
    ), audience)
    yield from curricula.pages(ds, audience)  # (the cases and handouts, which read the items, are generators of their own)
