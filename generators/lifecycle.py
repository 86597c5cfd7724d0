"""Where an inspection of one organisation stands (DOMAIN.md, "Lifecycle")."""

from __future__ import annotations

import datetime as dt

from .labels import labelled
from .model import OPEN_STATUSES

STAGES = ("公告", "进驻", "反馈", "整改", "整改完成")


def stage(target, items: list, as_of: dt.date) -> str:
    """The stage of a target on `as_of`, given its rectification items."""
    if as_of < target.stationed:
        return "公告"
    if target.feedback is None or as_of < target.feedback:
        return "进驻"
    if not items:
        return "反馈"
    if all(i.status == "已完成" for i in items):
        return "整改完成"
    return "整改"


@labelled("逾期", "超过(调整后)时限仍未完成")
def is_overdue(item, as_of: dt.date) -> bool:
    return item.status in OPEN_STATUSES and item.current_deadline < as_of
