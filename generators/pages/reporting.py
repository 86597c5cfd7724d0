"""Where a citizen reports a problem: 正在巡察 (current.md) and 如何反映问题 (how-to-report.md).

Every channel comes from data: each inspection's announcement (phone, e-mail, post box, hours,
reporting window), the notices' supervision contacts (`Contact`) and the national line
(`site.yaml`'s `hotline`). Open channels first (正在受理, closing soonest first), then upcoming
ones (尚未开始受理, opening soonest first), then the closed ones of teams still stationed,
folded away (newest first). The home page shows the first of them (generators/pages/home.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..audience import Page
from ..dataset import Dataset
from ..inspections import Inspection, inspections, published_notices
from ..render import html, link, markdown
from ..text import date_zh, mail_href, tel_href
from .inspections import is_sample

OPEN, UPCOMING, CLOSED = "正在受理", "尚未开始受理", "受理已截止"


@dataclass(frozen=True)
class Channels:
    """The reporting channels of the teams in 公告 or 进驻 stage, by their state on the as-of date."""

    open: list[Inspection]
    upcoming: list[Inspection]
    closed: list[Inspection]

    @property
    def receiving(self) -> list[Inspection]:
        """Open ones first, then upcoming ones: the channels a citizen can use now or soon."""
        return self.open + self.upcoming


def channels(ds: Dataset, audience: str) -> Channels:
    xs = [x for x in inspections(ds, audience) if x.reporting_open]
    by_state: dict[str, list[Inspection]] = {OPEN: [], UPCOMING: [], CLOSED: []}
    for x in xs:
        by_state[x.reporting_state(ds.as_of)].append(x)

    def window(x: Inspection) -> tuple:
        a = x.target.announcement
        return a.reporting_until, a.reporting_from, x.id

    return Channels(
        open=sorted(by_state[OPEN], key=window),
        upcoming=sorted(by_state[UPCOMING], key=lambda x: (x.target.announcement.reporting_from, x.id)),
        closed=sorted(by_state[CLOSED], key=window, reverse=True),
    )


def card(x: Inspection, prefix: str, state: str) -> dict:
    """What a channel shows: the organisation (linked), its team and round, the state and window."""
    a = x.target.announcement
    return {"x": x, "a": a, "state": state, "sample": is_sample(x),
            "link": link(x.organisation.name, f"{prefix}inspections/{x.id}.md"),
            "tel": tel_href(a.phone), "mail": mail_href(a.mailbox), "until": date_zh(a.reporting_until)}


def cards(found: Channels, prefix: str = "") -> dict[str, list[dict]]:
    return {"open": [card(x, prefix, OPEN) for x in found.open],
            "upcoming": [card(x, prefix, UPCOMING) for x in found.upcoming],
            "closed": [card(x, prefix, CLOSED) for x in found.closed]}


def supervision(ds: Dataset, audience: str, limit: int = 10) -> list[dict]:
    """The newest notices that invite the public's supervision of rectification, with their contacts."""
    return [{"n": n, "link": link(n.title, f"notices/{n.id}.md"), "c": n.notice.contact, "sample": n.sample}
            for n in published_notices(ds, audience) if n.notice.contact is not None][:limit]


def pages(ds: Dataset, audience: str) -> Iterator[Page]:
    found = channels(ds, audience)
    shown = cards(found)
    common: dict[str, Any] = {"as_of": ds.as_of, "hotline": ds.site[0].hotline,
              "any_sample": any(c["sample"] for group in shown.values() for c in group),
              "closed_html": html("channels_closed.html.j2", closed=shown["closed"], prefix="../"), **shown}
    yield Page("current.md", markdown(
        "current.md.j2", "正在巡察", **common, report_link=link("如何向巡察组反映问题", "how-to-report.md"),
    ), audience)
    contacts = supervision(ds, audience)
    yield Page("how-to-report.md", markdown(
        "how_to_report.md.j2", "如何向巡察组反映问题", **common, contacts=contacts,
        current_link=link("正在巡察", "current.md"), notices_link=link("公告通报", "notices/index.md"),
        contacts_sample=any(c["sample"] for c in contacts),
    ), audience)
