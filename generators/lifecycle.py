"""Where an inspection of one organisation stands (DOMAIN.md, "Lifecycle")."""

from __future__ import annotations

import datetime as dt

from .labels import labelled
from .model import OPEN_STATUSES, Totals

STAGES = ("公告", "进驻", "反馈", "整改", "整改完成")


def stage(target, items: list, as_of: dt.date, published: Totals | None = None) -> str:
    """The stage of a target on `as_of`, given its rectification items, or, with no ledger,
    the latest totals its notices published (all fed-back problems completed: 整改完成)."""
    if as_of < target.stationed:
        return "公告"
    if target.feedback is None or as_of < target.feedback:
        return "进驻"
    if not items and published is not None and published.problems is not None:
        return "整改完成" if published.completed == published.problems else "整改"
    if not items:
        return "反馈"
    if all(i.status == "已完成" for i in items):
        return "整改完成"
    return "整改"


@labelled("逾期", "超过(调整后)时限仍未完成")
def is_overdue(item, as_of: dt.date) -> bool:
    return item.status in OPEN_STATUSES and item.current_deadline < as_of
