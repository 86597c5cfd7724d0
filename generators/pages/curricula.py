"""Reading paths by role (课程路径) from data/curricula.yaml: internal only.

Each step is a list item carrying `data-check="<kind>-<id>"`; the self-hosted script
content/internal/assets/training.js adds a checkbox to each and keeps the ticks in the
browser's localStorage (key: page path + item id). Without the script the page is a
plain ordered list of links.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..audience import Page, visible
from ..dataset import Dataset
from ..render import link, markdown
from .common import Index
from .teaching import STEP_LABEL, attrs, case_title, note_links, training_title


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    if audience != "internal":
        return
    ix = Index(ds, audience)
    trainings = {t.id: t for t in ds.trainings if visible(t, audience)}
    rows = []
    for c in sorted((c for c in ds.curricula if visible(c, audience)), key=lambda c: c.id):
        steps = []
        for step in c.steps:
            if step.kind == "training":
                training = trainings[step.ref]
                label, path, sample = training_title(training), f"../trainings/{step.ref}.md", training.sample
            elif step.kind == "rule":
                rule = ix.rules[step.ref]
                label, path, sample = f"《{rule.title}》", f"../rules/{step.ref}.md", rule.sample
            else:
                rnd = ix.rounds[step.ref]
                label, path, sample = case_title(ix, rnd), f"../cases/{step.ref}.md", rnd.sample
            note = note_links(step.note, ix.rules[step.ref], "../", ix.as_of) if step.note and step.kind == "rule" \
                else step.note
            steps.append({"step": step, "kind": STEP_LABEL[step.kind], "link": link(label, path), "note": note,
                          "attrs": attrs(f'data-check="{step.kind}-{step.ref}"'), "sample": sample})
        counts = Counter(step.kind for step in c.steps)
        summary = "、".join(f"{STEP_LABEL[k]} {counts[k]} 项" for k in STEP_LABEL if counts[k])
        sample = c.sample or any(s["sample"] for s in steps)
        yield Page(f"curricula/{c.id}.md", markdown(
            "curriculum.md.j2", c.title, meta={"sample": sample or None}, c=c, steps=steps, summary=summary,
            sample=sample,
        ), audience)
        rows.append({"c": c, "link": link(c.title, f"{c.id}.md"), "steps": len(steps), "summary": summary,
                     "sample": sample})
    yield Page("curricula/index.md", markdown(
        "curricula_index.md.j2", "课程路径", rows=rows, any_sample=any(r["sample"] for r in rows),
    ), audience)
