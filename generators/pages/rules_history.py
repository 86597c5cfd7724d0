"""Two parts of a rule page that read its versions over time: the per-article history
(逐条沿革: which versions made, reworded, renumbered or will change article N, as
legislation.gov.uk shows per provision) and the date picker (按日期查看), whose data
(each version's period) is in the page; content/public/assets/rules-date.js shows the
version in force on the picked date with no server."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup

from .. import rulediff, ruletext
from ..model import Rule
from ..render import html, link
from ..ruledates import periods, prospective, shown

VERB = {"changed": "修改", "renumbered": "条号调整", "removed": "删除"}


def _label(line: str) -> str:
    return ruletext.articles(line)[0].label or "该段"


def _mark(rule: Rule, e: rulediff.Event) -> Markup:
    if e.version == 1:
        return link("第 1 版制定", f"{rule.id}/v1.md")
    target = f"{rule.id}/v{e.version}.md#changes"
    if e.kind == "added":
        return link(f"第 {e.version} 版新增", target)
    was = _label(e.old or "")
    moved = f"(原{was})" if was != _label(e.new) else ""
    return link(f"第 {e.version} 版{VERB[e.kind]}{moved}", target)


def articles(rule: Rule, as_of: dt.date) -> dict:
    """Rows (article link, marks) for each article of the text the page shows, the
    articles earlier versions removed, and what the first prospective version will do."""
    now = shown(rule, as_of)
    texts = [r.text for r in rule.revisions[:now.version]]
    lineage = rulediff.history(texts)[-1]
    upcoming = prospective(rule, as_of)
    fates = rulediff.fates(now.text, upcoming[0].text) if upcoming else []
    rows = []
    for j, a in enumerate(ruletext.articles(now.text)):
        if a.number is None:
            continue
        marks = [_mark(rule, e) for e in lineage[j]]
        if fates and fates[j].kind != "same":
            nxt = upcoming[0]
            marks.append(link(f"第 {nxt.version} 版将{VERB[fates[j].kind]}({nxt.date.isoformat()} 起施行,尚未施行)",
                              f"{rule.id}/v{nxt.version}.md#changes"))
        rows.append({"article": link(a.label, f"#{a.anchor}"), "marks": marks})
    removed = []
    for k in range(1, len(texts)):
        for c in rulediff.diff(texts[k - 1], texts[k]):
            if c.kind == "removed" and c.old is not None and ruletext.articles(c.old)[0].number is not None:
                removed.append(link(f"第 {k + 1} 版删除了原{_label(c.old)}", f"{rule.id}/v{k + 1}.md#changes"))
    return {"rows": rows, "removed": removed}


def picker(rule: Rule, as_of: dt.date) -> Markup:
    """The date picker: hidden until the script runs; its list is the script's data."""
    now = shown(rule, as_of)
    rows = [{"version": rev.version, "start": start.isoformat(),
             "end": (end - dt.timedelta(days=1)).isoformat() if end else "",
             "href": "#text" if rev.version == now.version else f"v{rev.version}/",
             "pending": start > as_of}
            for rev, start, end in periods(rule)]
    return html("rule_on_date.html", rule=rule, rows=rows, as_of=as_of.isoformat(), root="../../",
                issued=(rule.issued or rule.revisions[0].date).isoformat(),
                repealed=rule.repealed.isoformat() if rule.repealed else "")
