"""Notices as offices publish them: a page per notice (巡察公告, 反馈情况, 整改进展情况,
整改情况通报) in the order real notices follow, and the list of notices, newest first.

Every figure is shown as published: a rate with its decimals (97.35%), an amount in 万元
with its digits (3650.40), people (人) and cases (件) as the fields declare them; a figure
not published is shown as 未公布, never as 0. Where the notice's scope has rectification
items, the ledger's counts on the notice's date stand beside the published ones."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

from ..audience import Page
from ..checks import TOTAL_FIELDS, recorded_totals
from ..dataset import Dataset
from ..inspections import PublishedNotice, published_notices
from ..labels import description, title
from ..model import Announcement, Contact, Notice, NoticeMeasure, Outcomes, Team, Totals
from ..pagecache import reused
from ..render import link, markdown
from ..text import chinese_ordinal
from .common import listing

# the models whose declared labels the templates read: label("Totals", "completed")
LABEL_OWNERS: dict[str, object] = {
    "Notice": Notice, "Totals": Totals, "Outcomes": Outcomes, "Announcement": Announcement,
    "Contact": Contact, "NoticeMeasure": NoticeMeasure, "Team": Team,
}
RECTIFICATION_KINDS = ("整改进展情况", "整改情况通报")
UNPUBLISHED = "—(未公布)"
TOTAL_UNIT = "个"  # problems fed back, completed …: counted in problems


def label(owner: str, name: str) -> str:
    return title(LABEL_OWNERS[owner], name)


def cn_date(day: dt.date | None) -> str:
    """A date as notices write it: 2024年3月5日 (— when there is none)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def published(value: Decimal | int | None) -> str | None:
    """A figure with the digits it was published with (Decimal('3650.40') -> 3650.40)."""
    if value is None:
        return None
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def rate_text(value: Decimal | None) -> str | None:
    """A published rate as published: 97.35 -> 97.35% (never recomputed or re-rounded)."""
    shown = published(value)
    return None if shown is None else f"{shown}%"


def unit(owner: type, name: str) -> str:
    """The unit a field declares at the end of its description: 立案(件) -> 件, 诫勉谈话(人) -> 人."""
    found = re.search(r"\(([^()]+)\)$", description(owner, name) or "")
    return found.group(1) if found else ""


def totals_rows(n: PublishedNotice) -> list[dict]:
    """The notice's figures, each with its declared label; None where not published."""
    totals = n.notice.totals
    rows = []
    for name in TOTAL_FIELDS:
        value = published(getattr(totals, name)) if totals else None
        rows.append({"label": title(Totals, name), "value": None if value is None else f"{value} {TOTAL_UNIT}"})
    rows.append({"label": title(Totals, "rate"), "value": rate_text(totals.rate) if totals else None})
    return rows


def outcome_rows(outcomes: Outcomes | None) -> tuple[list[dict], list[str]]:
    """(the published outcomes with their values and units, the labels of those not published)."""
    shown, missing = [], []
    for name in Outcomes.model_fields:
        value = published(getattr(outcomes, name)) if outcomes else None
        if value is None:
            missing.append(title(Outcomes, name))
        else:
            shown.append({"label": title(Outcomes, name), "value": value, "unit": unit(Outcomes, name)})
    return shown, missing


def ledger_rows(n: PublishedNotice) -> list[dict]:
    """What the ledger of the notice's scope gave on the notice's date (each item's status
    that day, from its history), with the same labels as the published totals."""
    if not n.items:
        return []
    counts = recorded_totals(n.items, n.notice.date)
    return [{"label": title(Totals, name), "value": counts[name]} for name in TOTAL_FIELDS]


def period(n: PublishedNotice) -> str:
    """The inspection's period: stationed to left, else the reporting window."""
    if n.target is None:
        return "—"
    if n.target.left:
        return f"{cn_date(n.target.stationed)}至{cn_date(n.target.left)}"
    a = n.target.announcement
    return f"{cn_date(a.reporting_from)}至{cn_date(a.reporting_until)}"


def page_for(n: PublishedNotice, organiser: str, team_body: str | None, hotline: str, audience: str) -> Page:
    """A notice's page: a pure function of its arguments (generators/pagecache.py)."""
    shown, missing = outcome_rows(n.notice.outcomes)
    rectification = n.notice.kind in RECTIFICATION_KINDS
    return Page(f"notices/{n.id}.md", markdown(
        # out of the search index for now: 356 notices repeating the same remit and signature
        # swamped the ranking of rule titles (Material's lunr); the notices list stays searchable
        # and "Search that works on a phone" chooses the engine that can hold them
        "notice.md.j2", n.title, meta={"sample": n.sample or None, "search": {"exclude": True}},
        n=n, notice=n.notice, sample=n.sample, internal=audience == "internal",
        label=label, cn_date=cn_date, cn=chinese_ordinal, unpublished=UNPUBLISHED, national_line=hotline,
        organiser=organiser, team_body=team_body,
        round_link=link(n.round_title, f"../rounds/{n.round.id}.md"),
        inspection_link=link(n.organisation.name, f"../inspections/{n.inspection_id}.md") if n.organisation else None,
        period=period(n),
        figures=rectification or n.notice.totals is not None or n.notice.outcomes is not None,
        totals=totals_rows(n), ledger=ledger_rows(n), ledger_items=len(n.items),
        outcomes=shown, outcomes_missing=missing, rectification=rectification,
    ), audience)


def list_rows(notices: list[PublishedNotice], prefix: str) -> list[dict]:
    """One row per notice for the lists (notices index, round and inspection pages);
    `prefix` leads from the listing page to notices/."""
    # a notice's link is kept between the rebuilds of a preview: each inspection page lists its
    # round's notices, 11,000 links at x10
    return [{"n": n, "date": n.notice.date, "kind": n.notice.kind,
             "link": reused((prefix, n.id), link, n.title, f"{prefix}{n.id}.md", page=False), "sample": n.sample}
            for n in notices]


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    notices = published_notices(ds, audience)
    bodies = ds.by_id("bodies")
    for n in notices:  # under the live preview only the notices whose inputs changed are made again
        yield reused(n.id, page_for, n, bodies[n.round.organiser].name, bodies[n.team.body].name if n.team else None,
                     ds.site[0].hotline, audience)
    yield from listing("notices/index.md", list_rows(notices, ""), "notices_index.md.j2", "巡察公告与整改通报",
                       audience, as_of=ds.as_of, any_sample=any(n.sample for n in notices), label=label)
