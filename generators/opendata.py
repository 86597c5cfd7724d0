"""The public lists as tables: one definition of each downloadable dataset.

`tables(ds, audience)` returns every table with its typed fields and rows; the CSV,
JSON and datapackage.json writers and the tests all read from it, so the files
cannot disagree with each other or with the pages. Leads appear only as counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from . import lifecycle, ruledates
from .audience import visible
from .inspections import Inspection, PublishedNotice, inspections, published_notices
from .labels import title
from .lifecycle import is_overdue
from .model import (
    Announcement,
    Event,
    Figure,
    Notice,
    Organisation,
    Outcomes,
    Record,
    RectificationItem,
    Round,
    Rule,
    Target,
    Team,
    Totals,
)
from .pagecache import reused


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Frictionless Table Schema type: string, integer, number, boolean, date
    title: str


class Rows:
    """A table's rows made as they are read, a part at a time, and made again when read again:
    the items' rows are 0.3 GiB at x100, not all held at once. Each part is a recipe,
    `(key, fn, args)`, whose rows are `fn(*args)`: the files of a part are made from it, and kept
    between the rebuilds of a preview while its recipe is equal (generators/pages/opendata.py)."""

    def __init__(self, parts: list[tuple[str, Callable[..., list[dict]], tuple]], count: int, sample: bool):
        self.parts, self.count, self.sample = parts, count, sample

    def __iter__(self) -> Iterator[dict]:
        for _, fn, args in self.parts:
            yield from fn(*args)

    def __len__(self) -> int:
        return self.count

    def __eq__(self, other: object) -> bool:
        # recipe by recipe: under the preview an unchanged inspection's items are the same records
        return isinstance(other, Rows) and self.count == other.count and self.parts == other.parts

    __hash__ = None  # type: ignore[assignment]


@dataclass
class Table:
    name: str
    title: str
    description: str
    fields: list[Field]
    rows: list[dict] | Rows


OWNERS: dict[str, object] = {
    "Record": Record, "Round": Round, "Team": Team, "Target": Target, "Announcement": Announcement,
    "Organisation": Organisation, "Item": RectificationItem, "Rule": Rule, "Figure": Figure, "Event": Event,
    "Inspection": Inspection, "lifecycle": lifecycle, "ruledates": ruledates,
    "Notice": Notice, "Totals": Totals, "Outcomes": Outcomes, "PublishedNotice": PublishedNotice,
}


def _f(spec: str) -> list[Field]:
    """Columns, one a line: `name type Owner.attr`; the title is the declared one
    (generators/labels.py); `Owner.attr+编号` is the id column of that field."""
    out = []
    for line in spec.strip().splitlines():
        name, typ, source = line.split()
        owner, _, attr = source.partition(".")
        attr, plus, suffix = attr.partition("+")
        out.append(Field(name, typ, title(OWNERS[owner], attr) + suffix))
    return out


INSPECTION_FIELDS = _f("""
id string Record.id
round string Inspection.round+编号
round_title string Inspection.round_title
year integer Round.year
kinds string Inspection.kinds
organisation string Inspection.organisation+编号
organisation_name string Inspection.organisation
county string Inspection.county
team string Inspection.team
team_body string Team.body
stationed date Target.stationed
left date Target.left
feedback date Target.feedback
stage string Inspection.stage
problems_found integer Target.problems_found
leads_handed_over integer Inspection.leads_total
leads_concluded integer Inspection.leads_concluded
items integer Inspection.rect_items
items_done integer Inspection.done
items_overdue integer Inspection.overdue
reporting_phone string Announcement.phone
reporting_mailbox string Announcement.mailbox
reporting_post_box string Announcement.post_box
reporting_hours string Announcement.hours
reporting_from date Announcement.reporting_from
reporting_until date Announcement.reporting_until
sample boolean Record.sample
""")
ITEM_FIELDS = _f("""
id string Record.id
inspection string Inspection.id
round string Item.round+编号
round_title string Inspection.round_title
year integer Round.year
county string Inspection.county
organisation string Item.organisation+编号
organisation_name string Item.organisation
category string Item.category
priority string Item.priority
description string Item.description
owner_unit string Item.owner_unit
deadline date Item.deadline
revised_deadline date Item.revised_deadline
revision_reason string Item.revision_reason
status string Item.status
done date Item.done
overdue boolean lifecycle.is_overdue
sample boolean Record.sample
""")
ROUND_FIELDS = _f("""
id string Record.id
organiser string Round.organiser
year integer Round.year
ordinal integer Round.ordinal
kinds string Round.kinds
theme string Round.theme
start date Round.start
end date Round.end
direct_supervision boolean Round.direct_supervision
sample boolean Record.sample
""")
ORGANISATION_FIELDS = _f("""
id string Record.id
name string Organisation.name
kind string Organisation.kind
level string Organisation.level
county string Organisation.county
parent string Organisation.parent+编号
sunshine string Organisation.sunshine
sample boolean Record.sample
""")
FIGURE_FIELDS = _f("""
id string Record.id
statement string Figure.statement
value number Figure.value
unit string Figure.unit
period string Figure.period
section string Figure.section
source string Figure.source
checked_against_records boolean Figure.checked_against_records
sample boolean Record.sample
""")
RULE_FIELDS = _f("""
id string Record.id
title string Rule.title
document_number string Rule.document_number
issuer string Rule.issuer
doc_type string Rule.doc_type
category string Rule.category
issued date Rule.issued
effective date Rule.effective
status string Rule.status
repealed date Rule.repealed
versions integer Rule.version_count
current_version_date date ruledates.in_force_since
tags string Rule.tags
sample boolean Record.sample
""")
TIMELINE_FIELDS = _f("""
id string Record.id
month string Event.month
title string Event.title
detail string Event.detail
source string Event.source
sample boolean Record.sample
""")

# a notice's figures, each as published (counts as integers, amounts in 万元 and the rate
# as numbers with their digits in the CSV); a figure not published is empty, never 0
NOTICE_FIELDS = _f("""
id string Record.id
kind string Notice.kind
round string Notice.round+编号
round_title string PublishedNotice.round_title
organisation string Notice.organisation+编号
organisation_name string Notice.organisation
date date Notice.date
publisher string Notice.publisher
title string PublishedNotice.title
problems integer Totals.problems
completed integer Totals.completed
basically_completed integer Totals.basically_completed
long_term integer Totals.long_term
not_completed integer Totals.not_completed
rate number Totals.rate
systems integer Outcomes.systems
democratic_life_meetings integer Outcomes.democratic_life_meetings
study_sessions integer Outcomes.study_sessions
funds_returned number Outcomes.funds_returned
funds_recovered number Outcomes.funds_recovered
losses_retrieved number Outcomes.losses_retrieved
filed integer Outcomes.filed
sanctioned integer Outcomes.sanctioned
organisational_handling integer Outcomes.organisational_handling
admonished integer Outcomes.admonished
criticised integer Outcomes.criticised
reminded integer Outcomes.reminded
judicial integer Outcomes.judicial
sample boolean Record.sample
""")


def notice_row(n: PublishedNotice) -> dict:
    """One notice as a row of the notices table: every figure of its totals and outcomes."""
    notice, totals, outcomes = n.notice, n.notice.totals, n.notice.outcomes
    return {
        "id": notice.id, "kind": notice.kind, "round": n.round.id, "round_title": n.round_title,
        "organisation": n.organisation.id if n.organisation else None,
        "organisation_name": n.organisation.name if n.organisation else None,
        "date": notice.date, "publisher": notice.publisher, "title": n.title,
        **{name: getattr(totals, name) if totals else None for name in Totals.model_fields},
        **{name: getattr(outcomes, name) if outcomes else None for name in Outcomes.model_fields},
        "sample": n.sample,
    }


def _item_rows(inspection: str, round_title: str, year: int, county: str, organisation_name: str,
               items: tuple[RectificationItem, ...], as_of: dt.date) -> list[dict]:
    """The rows of one inspection's items in the items table."""
    return [{
        "id": i.id, "inspection": inspection, "round": i.round, "round_title": round_title, "year": year,
        "county": county, "organisation": i.organisation,
        "organisation_name": organisation_name, "category": i.category, "priority": i.priority,
        "description": i.description, "owner_unit": i.owner_unit, "deadline": i.deadline,
        "revised_deadline": i.revised_deadline, "revision_reason": i.revision_reason, "status": i.status,
        "done": i.done, "overdue": is_overdue(i, as_of), "sample": i.sample,
    } for i in items]


def _inspection_row(x: Inspection, team_body: str) -> dict:
    """An inspection's row in the inspections table."""
    return {
        "id": x.id, "round": x.round.id, "round_title": x.round_title, "year": x.round.year,
        "kinds": ";".join(x.kinds), "organisation": x.organisation.id,
        "organisation_name": x.organisation.name, "county": x.county,
        "team": x.team.name, "team_body": team_body, "stationed": x.target.stationed,
        "left": x.target.left, "feedback": x.target.feedback, "stage": x.stage, "problems_found": x.target.problems_found,
        "leads_handed_over": x.leads_total, "leads_concluded": x.leads_concluded,
        "items": len(x.rect_items), "items_done": x.done, "items_overdue": x.overdue,
        "reporting_phone": x.target.announcement.phone, "reporting_mailbox": x.target.announcement.mailbox,
        "reporting_post_box": x.target.announcement.post_box, "reporting_hours": x.target.announcement.hours,
        "reporting_from": x.target.announcement.reporting_from,
        "reporting_until": x.target.announcement.reporting_until,
        "sample": x.round.sample or x.organisation.sample,
    }


def tables(ds, audience: str) -> list[Table]:
    bodies = ds.by_id("bodies")
    as_of = ds.as_of
    xs = inspections(ds, audience)

    insp = [reused(("open-data inspections", x.id), _inspection_row, x, bodies[x.team.body].short_name, page=False)
            for x in xs]
    # an inspection's rows, as a recipe: its files are kept between the rebuilds of a preview
    # while its items are the same records, so one edited item makes one inspection's lines again
    items = Rows([(x.id, _item_rows, (x.id, x.round_title, x.round.year, x.county, x.organisation.name,
                                      tuple(x.rect_items), as_of)) for x in xs if x.rect_items],
                 sum(len(x.rect_items) for x in xs), any(i.sample for x in xs for i in x.rect_items))
    rounds = [{
        "id": r.id, "organiser": bodies[r.organiser].name, "year": r.year, "ordinal": r.ordinal,
        "kinds": ";".join(r.kinds), "theme": r.theme, "start": r.start, "end": r.end,
        "direct_supervision": r.direct_supervision, "sample": r.sample,
    } for r in sorted(ds.rounds, key=lambda r: r.id) if visible(r, audience)]
    orgs = [{
        "id": o.id, "name": o.name, "kind": o.kind, "level": o.level, "county": bodies[o.county].short_name,
        "parent": o.parent, "sunshine": o.sunshine, "sample": o.sample,
    } for o in sorted(ds.organisations, key=lambda o: o.id) if visible(o, audience)]
    sources = ds.by_id("sources")
    figures = [{
        "id": f.id, "statement": f.statement, "value": f.value, "unit": f.unit, "period": f.period,
        "section": f.section, "source": f"{sources[f.source].publication}{sources[f.source].title}",
        "checked_against_records": f.checked_against_records, "sample": f.sample,
    } for f in ds.figures if visible(f, audience)]
    rules = [{
        "id": r.id, "title": r.title, "document_number": r.document_number, "issuer": r.issuer,
        "doc_type": r.doc_type, "category": r.category, "issued": r.issued, "effective": r.effective,
        "status": r.status, "repealed": r.repealed, "versions": r.version_count,
        "current_version_date": ruledates.in_force_since(r, ds.as_of), "tags": ";".join(r.tags), "sample": r.sample,
    } for r in sorted(ds.rules, key=lambda r: r.id) if visible(r, audience)]
    events = [{
        "id": e.id, "month": e.month, "title": e.title, "detail": e.detail,
        "source": f"{sources[e.source].publication}{sources[e.source].title}", "sample": e.sample,
    } for e in sorted(ds.timeline, key=lambda e: (e.month, e.id)) if visible(e, audience)]
    return [
        Table("inspections", "巡察信息", "每个被巡察党组织在每轮巡察中的公告、阶段、问题数量和整改进展", INSPECTION_FIELDS, insp),
        Table("items", "整改事项", "巡察反馈后公开的每一项整改事项及其进展", ITEM_FIELDS, items),
        Table("rounds", "巡察轮次", "每轮巡察的组织者、类型和时间", ROUND_FIELDS, rounds),
        Table("organisations", "被巡察党组织", "被巡察党组织名录", ORGANISATION_FIELDS, orgs),
        Table("figures", "文章中的数字", "《河南纪检监察》文章公布的数字及其出处", FIGURE_FIELDS, figures),
        Table("rules", "制度规范", "本网站公开的制度规范目录:文号、制定机关、状态和版本(全文见各制度页面)", RULE_FIELDS, rules),
        Table("timeline", "大事记", "文章记载的时间节点", TIMELINE_FIELDS, events),
        Table("notices", "巡察公告与整改通报", "巡察公告、反馈情况、整改进展情况和整改情况通报,及其公布的整改数字和成果;"
              "未公布的数字留空(不是 0)", NOTICE_FIELDS,
              [reused(("open-data notices", n.id), notice_row, n, page=False) for n in published_notices(ds, audience)]),
    ]
