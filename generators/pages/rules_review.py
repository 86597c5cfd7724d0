"""What a revision puts up for review: on a version page (rules/<id>/vN), the training
sessions that taught an earlier version of the rule (each session is pinned to the
version in force on its date, pages/teaching.py), with the articles they covered and the
questions they asked, each said to be unchanged, reworded, renumbered or removed in this
version, and links to their pages and handouts. Internal: the public build shows no
training, so its version pages list none."""

from __future__ import annotations

from markupsafe import Markup

from .. import rulediff, ruletext
from ..model import Revision, Rule
from ..render import link
from ..ruledates import shown
from .rules_library import Library
from .teaching import training_title


def _fates(old: Revision, new: Revision) -> dict[int, str]:
    """Article number in the old text -> what the new version did to it, in words."""
    out = {}
    for c in rulediff.diff(old.text, new.text):
        was = ruletext.articles(c.old)[0] if c.old is not None else None
        if was is None or was.number is None:
            continue
        now = ruletext.articles(c.new)[0].label if c.new is not None else None
        moved = f",现为{now}" if now and now != was.label else ""
        out[was.number] = {"same": "未修改", "renumbered": f"条号调整{moved}", "changed": f"已修改{moved}",
                           "removed": "已删除"}[c.kind]
    return out


def sessions(lib: Library, rule: Rule, rev: Revision) -> list[dict]:
    """The sessions that taught a version before `rev`, oldest first."""
    out = []
    for t in lib.taught[rule.id]:
        taught = shown(rule, t.date)
        if taught.version >= rev.version:
            continue
        fates = _fates(taught, rev)
        covered = sorted({n for c in t.covers if c.rule == rule.id for n in c.articles})
        asked = [(k, q.article) for k, q in enumerate(t.questions, start=1) if q.rule == rule.id]
        changed = any(fates.get(n, "未修改") != "未修改" for n in covered + [a for _, a in asked])
        out.append({
            "link": link(training_title(t), f"../../trainings/{t.id}.md"),
            "date": t.date, "version": link(f"第 {taught.version} 版", f"v{taught.version}.md"),
            "articles": Markup("、").join(
                Markup("第{}条({})").format(ruletext.numeral(n), fates.get(n, "未修改"))
                for n in covered) or "—",
            "questions": Markup("、").join(
                link(f"第 {k} 题(第{ruletext.numeral(a)}条,{fates.get(a, '未修改')})", f"../../trainings/{t.id}.md#q{k}")
                for k, a in asked) or "—",
            "handout": link("讲义", f"../../trainings/handouts/{t.id}.md"),
            "changed": changed,
        })
    return out



def question_bank(lib: Library, rule: Rule) -> list[dict]:
    """The self-check questions on a rule, by article of the version each session taught
    (a rule page's 自测题库; internal: the public build shows no training)."""
    now = shown(rule, lib.as_of).version
    bank: dict[tuple[int, int], list[Markup]] = {}
    for t in lib.taught[rule.id]:
        version = shown(rule, t.date).version
        for k, q in enumerate(t.questions, start=1):
            if q.rule == rule.id:
                bank.setdefault((version, q.article), []).append(
                    link(f"{training_title(t)} 第 {k} 题", f"../trainings/{t.id}.md#q{k}"))
    return [{"article": f"第{ruletext.numeral(n)}条" + ("" if v == now else f"(第 {v} 版)"),
             "target": f"#art-{n}" if v == now else f"{rule.id}/v{v}.md#art-{n}", "questions": qs}
            for (v, n), qs in sorted(bank.items(), key=lambda kv: (kv[0][0] != now, kv[0][1], kv[0][0]))]
