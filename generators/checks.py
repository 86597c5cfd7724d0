"""Checks that span records: ids, references, dates across records, sums, figures.

Each check_* function appends Problems; `check(ds)` runs them all and returns
(errors, warnings). Field-level rules are in generators/model.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from . import queries, ruletext
from .dataset import Dataset
from .model import STATUS_TOTALS, LeadHandover, RectificationItem, Rule, Target, Totals, places
from .numbers import exact_rate
from .pagecache import reused, watched
from .problems import Problem
from .system_checks import check_systems
from .training_checks import check_curricula, check_training_material

Inspected = TypeVar("Inspected", RectificationItem, LeadHandover)


class _Collector:
    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.found: list[Problem] = []

    def error(self, stem: str, path: tuple, message: str, key: bool = False) -> None:
        self.found.append(self._placed(stem).problem(stem, path, message, key=key))

    def warn(self, stem: str, path: tuple, message: str) -> None:
        self.found.append(self._placed(stem).problem(stem, path, message, severity="warning"))

    def note(self, stem: str, path: tuple, message: str) -> None:
        self.found.append(self._placed(stem).problem(stem, path, message, severity="notice"))

    def _placed(self, stem: str) -> Dataset:
        """The dataset, with the file a problem is placed in read (its records looked up): under
        the live preview the check runs again when that file changes (pagecache.watched)."""
        self.ds.records.get(stem)
        return self.ds

    def ref(self, stem: str, path: tuple, value: str | None, table: Mapping[str, object], what: str) -> bool:
        if value is not None and value not in table:
            self.error(stem, path, f"引用了不存在的{what} '{value}'")
            return False
        return True


def check_ids_and_audience(c: _Collector) -> None:
    for stem, records in c.ds.records.items():
        seen: dict[str, int] = {}
        for i, rec in enumerate(records):
            if rec.id in seen:
                c.error(stem, (i, "id"), f"编号 '{rec.id}' 重复:已用于 {stem}[{seen[rec.id]}]")
            seen.setdefault(rec.id, i)
            if rec.audience is None:
                c.warn(stem, (i,), "未标明受众(audience: public 或 internal),按内部处理,不会进入公开网站")
            elif rec.audience not in ("public", "internal"):
                c.error(stem, (i, "audience"), f"公开范围 '{rec.audience}' 不认识:应为 public(公开)或 internal(内部)")
    for stem in ("leads", "trainings"):
        for i, rec in enumerate(c.ds.records[stem]):
            if rec.is_public:
                c.error(stem, (i, "audience"), "此类记录只能是内部的(audience: internal)")
    if len(c.ds.records["site"]) != 1:
        c.error("site", (), "site.yaml 应当恰好有一条记录")


def check_organisations(c: _Collector) -> None:
    bodies, orgs = c.ds.by_id("bodies"), c.ds.by_id("organisations")
    for i, org in enumerate(c.ds.organisations):
        c.ref("organisations", (i, "county"), org.county, bodies, "巡察主体")
        c.ref("organisations", (i, "parent"), org.parent, orgs, "上级党组织")
        if org.parent == org.id:
            c.error("organisations", (i, "parent"), "上级党组织不能是自己")


def check_rounds(c: _Collector) -> None:
    bodies, orgs = c.ds.by_id("bodies"), c.ds.by_id("organisations")
    for i, rnd in enumerate(c.ds.rounds):
        c.ref("rounds", (i, "organiser"), rnd.organiser, bodies, "巡察主体")
        seen: set[str] = set()
        for t, team in enumerate(rnd.teams):
            c.ref("rounds", (i, "teams", t, "body"), team.body, bodies, "巡察主体")
            for g, target in enumerate(team.targets):
                path = (i, "teams", t, "targets", g)
                if not c.ref("rounds", path + ("organisation",), target.organisation, orgs, "被巡察党组织"):
                    continue
                if target.organisation in seen:
                    c.error("rounds", path + ("organisation",), f"同一轮中 '{target.organisation}' 被列为两次巡察对象")
                seen.add(target.organisation)
                if target.stationed < rnd.start:
                    c.error("rounds", path + ("stationed",), f"进驻日期 {target.stationed} 早于本轮开始日期 {rnd.start}")
                if "交叉" in rnd.kinds and orgs[target.organisation].county == team.body:
                    c.error("rounds", path + ("organisation",), "交叉巡察的巡察组不能巡察本县区的党组织")


def _targets(ds: Dataset) -> dict[tuple[str, str], Target]:
    return {(rnd.id, target.organisation): target for rnd in ds.rounds for _, target in rnd.targets}


def _inspected(c: _Collector, stem: str, records: list[Inspected]) -> Iterator[tuple[int, Inspected, Target]]:
    """(index, record, target) for each item or lead (the records of data/STEM.yaml) whose
    round and organisation exist and whose organisation is a target of that round; reports
    the others."""
    rounds, orgs, targets = c.ds.by_id("rounds"), c.ds.by_id("organisations"), _targets(c.ds)
    for i, rec in enumerate(records):
        ok = c.ref(stem, (i, "round"), rec.round, rounds, "巡察轮次")
        ok = c.ref(stem, (i, "organisation"), rec.organisation, orgs, "被巡察党组织") and ok
        if not ok:
            continue
        target = targets.get((rec.round, rec.organisation))
        if target is None:
            c.error(stem, (i, "organisation"), f"'{rec.organisation}' 不是轮次 '{rec.round}' 的巡察对象")
            continue
        yield i, rec, target


def check_items(c: _Collector) -> None:
    targets = _targets(c.ds)
    as_of = c.ds.as_of if c.ds.site else None
    per_target: Counter[tuple[str, str]] = Counter()
    for i, item, target in _inspected(c, "items", c.ds.items):
        per_target[(item.round, item.organisation)] += 1
        if item.done and item.done < target.stationed:
            c.error("items", (i, "done"), f"完成日期 {item.done} 早于进驻日期 {target.stationed}")
        if item.done and target.feedback and item.done < target.feedback and item.done >= target.stationed:
            c.error("items", (i, "done"), f"完成日期 {item.done} 早于反馈日期 {target.feedback}")
        if target.feedback and item.deadline < target.feedback:
            c.error("items", (i, "deadline"), f"整改时限 {item.deadline} 早于反馈日期 {target.feedback}")
        if as_of and item.done and item.done > as_of:
            c.error("items", (i, "done"), f"完成日期 {item.done} 晚于数据截止日期 {as_of}")
        for h, change in enumerate(item.history):
            if target.feedback and change.date < target.feedback:
                c.error("items", (i, "history", h, "date"), f"整改进展日期 {change.date} 早于反馈日期 {target.feedback}")
            if as_of and change.date > as_of:
                c.error("items", (i, "history", h, "date"), f"整改进展日期 {change.date} 晚于数据截止日期 {as_of}")
    for (round_id, org_id), n in sorted(per_target.items()):
        target = targets[(round_id, org_id)]
        if n > target.problems_found:
            i, path = _target_path(c.ds, round_id, org_id)
            c.error("rounds", (i,) + path + ("problems_found",),
                    f"发现问题 {target.problems_found} 个,但 items.yaml 中有 {n} 条整改事项,整改事项不能多于发现的问题")


def _target_path(ds: Dataset, round_id: str, org_id: str) -> tuple[int, tuple]:
    for i, rnd in enumerate(ds.rounds):
        if rnd.id != round_id:
            continue
        for t, team in enumerate(rnd.teams):
            for g, target in enumerate(team.targets):
                if target.organisation == org_id:
                    return i, ("teams", t, "targets", g)
    raise KeyError((round_id, org_id))


def check_leads(c: _Collector) -> None:
    as_of = c.ds.as_of if c.ds.site else None
    per_target: Counter[tuple[str, str]] = Counter()
    for i, lead, target in _inspected(c, "leads", c.ds.leads):
        per_target[(lead.round, lead.organisation)] += 1
        if lead.handed < target.stationed:
            c.error("leads", (i, "handed"), f"移交日期 {lead.handed} 早于进驻日期 {target.stationed}")
        if as_of and lead.concluded and lead.concluded > as_of:
            c.error("leads", (i, "concluded"), f"办结日期 {lead.concluded} 晚于数据截止日期 {as_of}")
    for i, rnd in enumerate(c.ds.rounds):
        for t, team in enumerate(rnd.teams):
            for g, target in enumerate(team.targets):
                n = per_target[(rnd.id, target.organisation)]
                if n != target.leads_handed_over:
                    c.error("rounds", (i, "teams", t, "targets", g, "leads_handed_over"),
                            f"写明移交问题线索 {target.leads_handed_over} 件,leads.yaml 中却有 {n} 件"
                            f"(相差 {n - target.leads_handed_over})")


def check_rules(c: _Collector) -> None:
    rules, sources = c.ds.by_id("rules"), c.ds.by_id("sources")
    as_of = c.ds.as_of if c.ds.site else None
    titles: dict[str, str] = {}
    for i, rule in enumerate(c.ds.rules):
        c.ref("rules", (i, "source"), rule.source, sources, "来源")
        if rule.id in ruletext.PAGE_NAMES or re.fullmatch(r"(.+-)?page-\d+", rule.id):
            c.error("rules", (i, "id"), f"编号 '{rule.id}' 已用作制度规范库的索引页名或分页页名,请换一个")
        if rule.title in titles:
            c.error("rules", (i, "title"), f"标题与制度 '{titles[rule.title]}' 相同,引用时无法区分")
        titles.setdefault(rule.title, rule.id)
        for r, ref in enumerate(rule.references):
            if c.ref("rules", (i, "references", r), ref, rules, "制度") and rule.status != "已废止":
                if rules[ref].status == "已废止":
                    c.note("rules", (i, "references", r), f"引用的制度 '{ref}'《{rules[ref].title}》已废止")
                if rule.is_public and not rules[ref].is_public:
                    c.note("rules", (i, "references", r), f"公开的制度引用了内部制度 '{ref}',公开网站上不列出这条引用")
        _check_rule_dates(c, i, rule, as_of)
    for i, rule in enumerate(c.ds.rules):
        _check_rule_text(c, i, rule, rules, titles)


def _check_rule_dates(c: _Collector, i: int, rule: Rule, as_of: dt.date | None) -> None:
    if as_of is None:
        return
    if rule.status == "尚未生效" and rule.effective and rule.effective <= as_of:
        c.error("rules", (i, "status"), f"施行日期 {rule.effective} 不晚于数据截止日期 {as_of},状态不应为尚未生效")
    if rule.status in ("现行有效", "已修订") and rule.effective and rule.effective > as_of:
        c.error("rules", (i, "status"), f"施行日期 {rule.effective} 晚于数据截止日期 {as_of},状态应为尚未生效")
    if rule.repealed and rule.repealed > as_of:
        c.error("rules", (i, "repealed"), f"废止日期 {rule.repealed} 晚于数据截止日期 {as_of}")
    # a later version dated after as_of is prospective (已印发、尚未施行); the first one
    # dated after it means the rule itself is not yet in force
    first = rule.revisions[0]
    if first.date > as_of and rule.status != "尚未生效":
        c.error("rules", (i, "revisions", 0, "date"),
                f"第 1 版的日期 {first.date} 晚于数据截止日期 {as_of},状态应为尚未生效")


def _check_rule_text(c: _Collector, i: int, rule: Rule, rules: dict[str, Rule], titles: dict[str, str]) -> None:
    """Articles numbered once; citations in the text name known rules (and articles)."""
    noted = {ref for ref in rule.references if ref in rules and rules[ref].status == "已废止"}
    for k, rev in enumerate(rule.revisions):
        path = (i, "revisions", k, "text")
        numbers = ruletext.article_numbers(rev.text)
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if twice:
            c.error("rules", path, f"第 {rev.version} 版中条号重复:{'、'.join(f'第{n}条' for n in twice)}")
        current = k == len(rule.revisions) - 1
        seen: set[str] = set()
        for line in ruletext.lines(rev.text):
            for cite in ruletext.citations(line, titles, rules.keys()):  # a view: no copy per line
                if cite.text in seen or cite.rule_id == rule.id:
                    continue
                seen.add(cite.text)
                if cite.rule_id is None:
                    if cite.local:
                        _unknown_citation(c, path, cite, rules)
                    continue
                cited = rules[cite.rule_id]
                if current and cite.article and cite.article not in ruletext.article_numbers(cited.current.text):
                    c.error("rules", path, f"引用的《{cited.title}》现行文本中没有第 {cite.article} 条")
                if current and cited.status == "已废止" and rule.status != "已废止" and cited.id not in noted:
                    c.note("rules", path, f"正文引用的制度 '{cited.id}'《{cited.title}》已废止")
                    noted.add(cited.id)


def _unknown_citation(c: _Collector, path: tuple, cite: ruletext.Citation, rules: dict[str, Rule]) -> None:
    if cite.title is None:
        c.error("rules", path, f"正文引用了不存在的制度 '{cite.token}'")
        return
    near = sorted(r.id for r in rules.values() if cite.title in r.title or r.title in cite.title)
    if near:
        c.note("rules", path, f"正文中的《{cite.title}》与制度 '{near[0]}' 的标题不完全一致,未加链接")
    else:
        c.error("rules", path, f"正文引用了不存在的制度《{cite.title}》(以“{ruletext.LOCAL_PREFIX}”开头的标题须与某件制度的标题完全一致)")


def check_trainings(c: _Collector) -> None:
    rules, rounds = c.ds.by_id("rules"), c.ds.by_id("rounds")
    for i, training in enumerate(c.ds.trainings):
        for r, ref in enumerate(training.rules):
            c.ref("trainings", (i, "rules", r), ref, rules, "制度")
        for r, case in enumerate(training.cases):
            c.ref("trainings", (i, "cases", r, "round"), case.round, rounds, "巡察轮次")


def check_figures(c: _Collector) -> None:
    sources = c.ds.by_id("sources")
    all_views = queries.views(c.ds) if queries.needed(c.ds) else {}
    bodies = {b.id: b.short_name for b in c.ds.bodies}
    for stem in ("figures", "timeline"):
        for i, rec in enumerate(c.ds.records[stem]):
            c.ref(stem, (i, "source"), rec.source, sources, "来源")
    for i, fig in enumerate(c.ds.figures):
        q = fig.backed_by
        if q is None:
            continue
        names = list(q.where) + list(q.numerator or {}) + ([q.field] if q.field else [])
        bad = queries.unknown_fields(q.records, names)
        if bad:
            c.error("figures", (i, "backed_by"), f"{q.records} 没有字段 {', '.join(bad)}")
            continue
        precision = places(fig.value)
        found = queries.evaluate(q, all_views, precision, bodies)
        value, how = found.value, found.how
        if value is None:
            c.error("figures", (i, "backed_by"), f"没有符合条件的记录,无法复核文章数字 {fig.value}{fig.unit}:{how}")
        elif value != fig.value:
            at = f"按 {precision} 位小数四舍五入" if precision else "按整数四舍五入"
            c.error("figures", (i, "value"),
                    f"文章数字为 {fig.value}{fig.unit},记录{at if q.measure == 'rate' else ''}算得 {value}{fig.unit}"
                    f"(相差 {Decimal(value) - Decimal(fig.value):+}):{how}{_records_file(c, q.records)}")


def _records_file(c: _Collector, records: str) -> str:
    """Where the records of a figure's check are, when they have a file of their own."""
    return f"(记录见 {c.ds.display[records]})" if records in c.ds.display else ""


TOTAL_FIELDS = ("problems", "completed", "basically_completed", "long_term", "not_completed")


def recorded_totals(items: Sequence[RectificationItem], day: dt.date) -> dict[str, int]:
    """What the ledger gives for a notice's totals on a day (each item's status that day)."""
    counts = Counter(STATUS_TOTALS[item.status_on(day)] for item in items)
    return {"problems": len(items), **{name: counts[name] for name in TOTAL_FIELDS[1:]}}


def check_notices(c: _Collector) -> None:
    """A notice names a round (and one of its targets), is dated within the data, comes after
    the feedback it reports on, and its published totals agree with the ledger of the same
    scope on its date, where there is one (both places are named when they disagree)."""
    rounds, targets = c.ds.by_id("rounds"), _targets(c.ds)
    as_of = c.ds.as_of if c.ds.site else None
    ledger: dict[tuple[str, str], list[tuple[int, RectificationItem]]] = {}
    for k, item in enumerate(c.ds.items):
        ledger.setdefault((item.round, item.organisation), []).append((k, item))
    for i, notice in enumerate(c.ds.notices):
        if not c.ref("notices", (i, "round"), notice.round, rounds, "巡察轮次"):
            continue
        if notice.organisation is not None:
            if (notice.round, notice.organisation) not in targets:
                c.error("notices", (i, "organisation"), f"'{notice.organisation}' 不是轮次 '{notice.round}' 的巡察对象")
                continue
            scope = [(notice.round, notice.organisation)]
        else:
            scope = [(notice.round, t.organisation) for _, t in rounds[notice.round].targets]
        if as_of and notice.date > as_of:
            c.error("notices", (i, "date"), f"发布日期 {notice.date} 晚于数据截至日期 {as_of}")
        if notice.kind != "巡察公告":
            feedbacks = [day for key in scope if (day := targets[key].feedback) is not None]
            if not feedbacks:
                c.error("notices", (i, "kind"), f"{notice.kind}:巡察对象还没有反馈日期")
            elif notice.date < min(feedbacks):
                c.error("notices", (i, "date"), f"发布日期 {notice.date} 早于反馈日期 {min(feedbacks)}")
        if notice.totals is not None:
            _check_totals(c, i, notice.date, notice.id, notice.totals, [x for key in scope for x in ledger.get(key, [])])


def _check_totals(c: _Collector, i: int, day: dt.date, notice_id: str, totals: Totals,
                  items: list[tuple[int, RectificationItem]]) -> None:
    if totals.rate is not None and totals.problems and totals.completed is not None:
        computed = exact_rate(totals.completed, totals.problems, places(totals.rate))
        if computed != totals.rate:
            c.error("notices", (i, "totals", "rate"),
                    f"公布的整改完成率 {totals.rate}% 与 已完成 {totals.completed} ÷ 反馈问题 {totals.problems} "
                    f"按 {places(totals.rate)} 位小数四舍五入得 {computed}% 不符(相差 {Decimal(computed or 0) - totals.rate:+})")
    if not items:
        return  # totals only: nothing to reconcile
    # kept between the rebuilds of a preview while the scope's items are the same records
    recorded = reused(("ledger", notice_id), recorded_totals, tuple(item for _, item in items), day, page=False)
    differ = []
    for name in TOTAL_FIELDS:
        published = getattr(totals, name)
        if published is not None and published != recorded[name]:
            label = Totals.model_fields[name].title
            first = c.ds.problem("items", (items[0][0],), "")  # only for a problem: it locates every value of items.yaml
            differ.append(f"{label} {recorded[name]}(通知为 {published})")
            c.error("notices", (i, "totals", name),
                    f"{label}公布为 {published},整改台账截至 {day} 为 {recorded[name]}"
                    f"({len(items)} 条整改事项,自 {first.file}:{first.line} 起)")
    if differ:
        notice = c.ds.problem("notices", (i, "totals"), "")
        c.error("items", (items[0][0], "status"),
                f"本对象的整改台账截至 {day}:{'、'.join(differ)},与通知 '{notice_id}'({notice.file}:{notice.line})不符")


CHECKS = [check_ids_and_audience, check_organisations, check_rounds, check_items, check_leads,
          check_rules, check_trainings, check_training_material, check_curricula, check_figures, check_notices,
          check_systems]


# the data files each check reads: a file with errors of its own skips the checks that read it
# (their findings on a partly read file would be wrong), and only those
NEEDS: dict[Callable[[_Collector], None], frozenset[str]] = {
    check_ids_and_audience: frozenset({"site"}),
    check_organisations: frozenset({"bodies", "organisations"}),
    check_rounds: frozenset({"bodies", "organisations", "rounds"}),
    check_items: frozenset({"site", "organisations", "rounds", "items"}),
    check_leads: frozenset({"site", "organisations", "rounds", "leads"}),
    check_rules: frozenset({"site", "sources", "rules"}),
    check_trainings: frozenset({"rounds", "rules", "trainings"}),
    check_training_material: frozenset({"rounds", "rules", "trainings"}),
    check_curricula: frozenset({"rounds", "rules", "trainings", "curricula"}),
    check_figures: frozenset({"bodies", "sources", "organisations", "rounds", "items", "leads", "figures", "timeline",
                              "system_records"}),
    check_notices: frozenset({"site", "rounds", "items", "notices"}),
    check_systems: frozenset({"site", "sources", "bodies", "organisations", "rounds", "items", "rules", "figures",
                              "systems", "system_records"}),
}
CHECK_NAMES = {
    check_ids_and_audience: "编号和公开范围", check_organisations: "被巡察党组织的引用", check_rounds: "巡察轮次的引用和日期",
    check_items: "整改事项的引用和日期", check_leads: "问题线索的引用和数量", check_rules: "制度规范的引用、日期和条款",
    check_trainings: "培训的引用", check_training_material: "培训讲授的条款和自测题", check_curricula: "课程路径",
    check_figures: "文章数字的复核", check_notices: "通知与整改台账的核对", check_systems: "机制运行记录的引用",
}


def _found_by(ds: Dataset, fn: Callable[[_Collector], None]) -> list[Problem]:
    c = _Collector(ds)
    fn(c)
    return c.found


def check(ds: Dataset, broken: frozenset[str] = frozenset()) -> tuple[list[Problem], list[Problem]]:
    """Every cross-record check whose files read without errors; with `broken` files (errors of
    their own), the checks that read them are skipped and a notice names what was not checked."""
    c = _Collector(ds)
    skipped = []
    for fn in CHECKS:
        if NEEDS[fn] & broken:
            skipped.append(CHECK_NAMES[fn])
            continue
        # under the live preview, kept while the files it read are unchanged (pagecache.watched)
        c.found.extend(watched(fn, _found_by, ds, fn))
    if skipped:
        names = "、".join(f"{stem}.yaml" for stem in sorted(broken))
        first = sorted(broken)[0]
        c.found.append(Problem(ds.display.get(first, f"data/{first}.yaml"), 1, 1, first,
                               f"因为 {names} 有错误(见本次列出的问题),这次没有做以下核对:{'、'.join(skipped)};"
                               "改正后再运行一次会做", "notice"))
    errors = sorted(p for p in c.found if p.severity == "error")
    warnings = sorted(p for p in c.found if p.severity != "error")
    return errors, warnings
