"""Cross-record checks of the training material: trainings.yaml and curricula.yaml.

Run by generators/checks.py (registered in CHECKS). An article reference (第N条) must
exist in the text of its rule in force on the session's date (the version the session is
pinned to, as its version page anchors it: art-N); a rule a
training covers or asks about must be on its reading list (`rules`); a curriculum
may only point at trainings, rules and cases that have pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from .dataset import Dataset
from .model import Record, Rule, Training
from .ruledates import shown
from .ruletext import article_numbers, mentions


class Collector(Protocol):
    """What these checks need of the problem collector of generators/checks.py (which
    imports this module): the dataset, and its error and reference reports."""

    @property
    def ds(self) -> Dataset: ...

    def error(self, stem: str, path: tuple, message: str, key: bool = False) -> None: ...

    def ref(self, stem: str, path: tuple, value: str | None, table: Mapping[str, object], what: str) -> bool: ...

    def note(self, stem: str, path: tuple, message: str) -> None: ...


def _article(c: Collector, path: tuple, rule: Rule, number: int, training: Training) -> None:
    rev = shown(rule, training.date)
    have = set(article_numbers(rev.text))
    if number not in have:
        span = f"共有 {len(have)} 条" if have else "没有按“第N条”分条"
        c.error("trainings", path, f"《{rule.title}》第 {rev.version} 版(培训当天 {training.date} 施行的版本)"
                                   f"没有第 {number} 条({span})")


def check_training_material(c: Collector) -> None:
    rules, rounds = c.ds.by_id("rules"), c.ds.by_id("rounds")
    for i, training in enumerate(c.ds.trainings):
        listed = set(training.rules)
        for k, cover in enumerate(training.covers):
            path = (i, "covers", k)
            if not c.ref("trainings", path + ("rule",), cover.rule, rules, "制度"):
                continue
            if cover.rule not in listed:
                c.error("trainings", path + ("rule",), f"制度 '{cover.rule}' 没有列入本培训的 rules")
            for a, number in enumerate(cover.articles):
                _article(c, path + ("articles", a), rules[cover.rule], number, training)
        for q, question in enumerate(training.questions):
            path = (i, "questions", q)
            if not c.ref("trainings", path + ("rule",), question.rule, rules, "制度"):
                continue
            if question.rule not in listed:
                c.error("trainings", path + ("rule",), f"制度 '{question.rule}' 没有列入本培训的 rules")
            _article(c, path + ("article",), rules[question.rule], question.article, training)
        seen: set[str] = set()
        for k, case in enumerate(training.cases):
            rnd = rounds.get(case.round)
            if case.round in seen:
                c.error("trainings", (i, "cases", k, "round"), f"轮次 '{case.round}' 重复列为案例")
            seen.add(case.round)
            if rnd is not None and not any(target.feedback for _, target in rnd.targets):
                c.error("trainings", (i, "cases", k, "round"), f"轮次 '{case.round}' 尚未反馈,还不能作为案例")


def _mentioned(c: Collector, path: tuple, rule: Rule, note: str) -> None:
    """Each 第N条 a rule step's note names is linked to that article of the rule page; one
    the text in force lacks (a revision removed it) is left unlinked, and said once here."""
    have = set(article_numbers(shown(rule, c.ds.as_of).text))
    for _, _, n in mentions(note):
        if n not in have:
            c.note("curricula", path, f"《{rule.title}》现行文本没有第 {n} 条,本步骤的提示不链接该条,请核对")


def check_curricula(c: Collector) -> None:
    tables: dict[str, tuple[Mapping[str, Record], str]] = {"training": (c.ds.by_id("trainings"), "培训"), "rule": (c.ds.by_id("rules"), "制度")}
    cases = {case.round for t in c.ds.trainings for case in t.cases}
    for i, curriculum in enumerate(c.ds.curricula):
        if curriculum.is_public:
            c.error("curricula", (i, "audience"), "此类记录只能是内部的(audience: internal)")
        seen: set[tuple[str, str]] = set()
        for s, step in enumerate(curriculum.steps):
            path = (i, "steps", s, step.kind)
            if step.kind == "case":
                if step.case not in cases:
                    c.error("curricula", path, f"轮次 '{step.case}' 没有在任何培训中用作案例(trainings.yaml 的 cases),没有案例页")
            else:
                table, what = tables[step.kind]
                if c.ref("curricula", path, step.ref, table, what) and step.kind == "rule" and step.note:
                    _mentioned(c, (i, "steps", s, "note"), c.ds.by_id("rules")[step.ref], step.note)
            if (step.kind, step.ref) in seen:
                c.error("curricula", path, f"'{step.ref}' 在本路径中重复出现")
            seen.add((step.kind, step.ref))
