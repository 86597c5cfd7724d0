"""A printable handout per training session (trainings/handouts/<id>.md): internal only.

The handout carries what a room needs on paper: the agenda, the materials, the full
text of the articles covered, the cases in figures, the questions, and the answers on
a page of their own. content/internal/assets/training.css hides the navigation, header,
sidebars and on-screen instructions when printing, marks every page 内部资料 with its
number (@page margin boxes), leaves space to write under each question, and prints the
sample label as a small note.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..audience import Page, visible
from ..dataset import Dataset
from ..render import link, markdown
from .cases import facts
from .common import Index
from .teaching import attrs, case_title, covered_rules, material_texts, questions, training_title


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    if audience != "internal":
        return
    ix = Index(ds, audience)
    for t in sorted((t for t in ds.trainings if visible(t, audience)), key=lambda t: (t.date, t.id)):
        cases = [{"title": case_title(ix, ix.rounds[c.round]), "link": link("案例页", f"../../cases/{c.round}.md"),
                  "f": facts(ds, ix, ix.rounds[c.round]), "lesson": c.lesson}
                 for c in t.cases if c.round in ix.rounds]
        yield Page(f"trainings/handouts/{t.id}.md", markdown(
            "training_handout.md.j2", f"讲义:{training_title(t)}", meta={"sample": t.sample or None}, t=t,
            materials=material_texts(ds),
            page_link=link("培训页面", f"../{t.id}.md"), rules=covered_rules(t, ix.rules, "../../", ix.as_of),
            cases=cases, questions=questions(t, ix.rules, "../../", ix.as_of), page_break=attrs(".luohe-page-break"),
        ), audience)
