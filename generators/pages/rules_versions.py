"""One stable page per version of a rule (rules/<id>/v<N>.md): its text, when it was
in force, and the article-by-article changes from the version before it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from markupsafe import Markup

from .. import rulediff
from ..audience import Page
from ..model import Revision, Rule
from ..render import html, link, markdown
from ..ruledates import periods, shown
from .rules_library import Library, badge
from .rules_review import sessions

KIND_LABEL = {"same": "未修改", "renumbered": "条号变动", "changed": "修改", "added": "新增", "removed": "删除"}


def version_status(rule: Rule, rev: Revision, as_of: dt.date) -> str:
    """The badge of one version: the one shown on the as-of date carries the rule's status;
    earlier ones were revised; later ones are issued but not yet in force (尚未施行)."""
    now = shown(rule, as_of).version
    if rev.version > now:
        return "尚未施行"
    if rev.version < now:
        return "已修订"
    return "现行有效" if rule.status == "已修订" else rule.status


def period_text(rule: Rule, rev: Revision, as_of: dt.date) -> str:
    for r, start, end in periods(rule):
        if r.version == rev.version:
            if start > as_of:
                return f"自 {start.isoformat()} 起施行,尚未施行"
            if end is None:
                return f"{start.isoformat()} 起"
            return f"{start.isoformat()} 至 {(end - dt.timedelta(days=1)).isoformat()}"
    if rule.status == "尚未生效" and rev.version == rule.current.version and rule.effective:
        return f"自 {rule.effective.isoformat()} 起施行,尚未生效"
    return "未曾施行"


def diff_html(old_text: str, new_text: str) -> tuple[Markup, dict[rulediff.Kind, int]]:
    changes = rulediff.diff(old_text, new_text)
    return html("rule_diff.html", changes=changes, labels=KIND_LABEL), rulediff.summary(changes)


def changes_link(rule: Rule, rev: Revision, prefix: str) -> Markup | None:
    """A link to the diff section of a version page, or None for the first version."""
    if rev.version == 1:
        return None
    return link(f"与第 {rev.version - 1} 版对比", f"{prefix}{rule.id}/v{rev.version}.md#changes")


def pages(lib: Library) -> Iterator[Page]:
    for rule in lib.rules.values():
        revs = rule.revisions
        for k, rev in enumerate(revs):
            diff, counts = diff_html(revs[k - 1].text, rev.text) if k else (None, None)
            yield Page(f"rules/{rule.id}/v{rev.version}.md", markdown(
                "rule_version.md.j2", f"{rule.title}(第 {rev.version} 版)",
                meta={"sample": rule.sample or None, "search": {"exclude": True}},
                rule=rule, rev=rev, count=len(revs),
                badge=badge(version_status(rule, rev, lib.as_of)), period=period_text(rule, rev, lib.as_of),
                current=link(f"《{rule.title}》现行版本", f"../{rule.id}.md"),
                previous=link(f"第 {rev.version - 1} 版", f"v{rev.version - 1}.md") if k else None,
                following=link(f"第 {rev.version + 1} 版", f"v{rev.version + 1}.md") if k + 1 < len(revs) else None,
                articles=lib.articles(rev.text, rule.id, "../"), diff=diff, counts=counts,
                review=sessions(lib, rule, rev),
            ), lib.audience)
