"""The public lifecycle page of each inspection, the filterable list, and 正在巡察."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from markupsafe import Markup, escape

from .. import lifecycle
from ..audience import Page
from ..checks import recorded_totals
from ..inspections import Inspection, inspections, notices_of
from ..labels import title
from ..lifecycle import STAGES, is_overdue
from ..model import ITEM_STATUSES, RectificationItem, Round, Totals
from ..numbers import percent, rate
from ..render import html, link, markdown
from ..text import date, md
from .common import Index, chunk_meta, chunk_title, paginate
from .notices import list_rows

KINDS_ORDER = ["常规", "专项", "机动", "交叉", "提级", "巡乡带村", "直巡到村", "同类同巡", "下派组长"]


def stages_line(current: str) -> Markup:
    parts = [Markup("<strong>{}</strong>").format(s) if s == current else escape(s) for s in STAGES]
    return Markup(" → ").join(parts)


def rate_text(part: int, whole: int) -> str:
    return percent(rate(part, whole))


def is_sample(x: Inspection) -> bool:
    return x.round.sample or x.organisation.sample or any(i.sample for i in x.rect_items)


OVERDUE = title(lifecycle, "is_overdue")

# The items table of an inspection page: each column once, with the cell it shows; the
# header is the fields' declared titles (generators/labels.py).
ITEM_COLUMNS: tuple[tuple[str, Callable[[RectificationItem, dt.date], str]], ...] = (
    ("id", lambda i, _: md(i.id) + ("(示例)" if i.sample else "")),
    ("category", lambda i, _: md(i.category)),
    ("priority", lambda i, _: md(i.priority)),
    ("description", lambda i, _: md(i.description)),
    ("owner_unit", lambda i, _: md(i.owner_unit)),
    ("deadline", lambda i, _: date(i.deadline)),
    ("revised_deadline", lambda i, _: date(i.revised_deadline)),
    ("revision_reason", lambda i, _: md(i.revision_reason or "—")),
    ("status", lambda i, as_of: md(i.status) + (f"({OVERDUE})" if is_overdue(i, as_of) else "")),
    ("done", lambda i, _: date(i.done)),
)
# The items explorer (整改事项 page): filled by content/public/assets/filters.js from
# open-data/items*.json in this order
EXPLORER_COLUMNS = ("organisation", "category", "description", "owner_unit", "current_deadline", "status", "done")


# the totals a notice publishes, in its order: the counts by status of an inspection's ledger
TOTALS_SHOWN = ("completed", "basically_completed", "long_term", "not_completed")
TOTALS_LABELS = {name: title(Totals, name) for name in Totals.model_fields}


def item_header() -> Markup:
    names = [title(RectificationItem, name) for name, _ in ITEM_COLUMNS]
    return Markup("| " + " | ".join(md(n) for n in names) + " |\n" + "|---" * len(names) + "|")


def item_rows(items: list[RectificationItem], as_of: dt.date) -> Markup:
    """The rows of an inspection's items table, one Markdown line per item, each data cell
    escaped with text.md as the templates' `{{ }}` do. Built here, not in the template:
    ten cells for every item made the template loop the largest part of page generation
    at scale (bench/README.md)."""
    cells = [cell for _, cell in ITEM_COLUMNS]
    return Markup("\n".join("| " + " | ".join(c(i, as_of) for c in cells) + " |" for i in items))


def progress_lines(items: list[RectificationItem]) -> list[Markup]:
    """Each item's dated progress, one Markdown list line per item with a history."""
    return [Markup(f"- {md(i.id)}:" + ";".join(
        f"{date(h.date)} {md(h.status)}" + (f"({md(h.note)})" if h.note else "") for h in i.history))
        for i in items if i.history]


def page_for(x: Inspection, ds, audience: str) -> Page:
    bodies = ds.by_id("bodies")
    as_of = ds.as_of
    title = f"{x.organisation.name} · {x.round_title}"
    leads = []
    if audience == "internal":  # the leads grouped once per build, not scanned per page
        leads = sorted(Index(ds, audience).leads.get((x.round.id, x.organisation.id), []), key=lambda lead: lead.id)
    notices = list_rows(notices_of(ds, audience, x.round.id, x.organisation.id), "../notices/")
    sample = is_sample(x) or any(n["sample"] for n in notices)
    return Page(f"inspections/{x.id}.md", markdown(
        "inspection.md.j2", title, meta={"sample": sample or None},
        x=x, sample=sample, stages=stages_line(x.stage), as_of=as_of, notices=notices,
        org_link=link(x.organisation.name, f"../organisations/{x.organisation.id}.md"),
        round_link=link(x.round_title, f"../rounds/{x.round.id}.md"),
        team_body=bodies[x.team.body].name, reporting_current=x.reporting_open and x.reporting_current(as_of),
        reporting_state=x.reporting_state(as_of),
        conclusion_rate=rate_text(x.leads_concluded, x.leads_total),
        completion_rate=rate_text(x.done, len(x.rect_items)),
        internal=audience == "internal", leads=leads, item_rows=item_rows(x.rect_items, as_of), item_header=item_header(),
        ledger=recorded_totals(x.rect_items, as_of), totals_shown=TOTALS_SHOWN,
        labels=TOTALS_LABELS,
        published_link=link(x.published.title, f"../notices/{x.published.id}.md") if x.published else "",
        progress=progress_lines(x.rect_items),
    ), audience)


def rows(xs: list[Inspection], ds) -> list[dict]:
    return [{
        "x": x, "href": f"{x.id}/", "round": x.round_title,
        "county": x.county,
        "completion": rate_text(x.done, len(x.rect_items)) if x.rect_items else "—",
    } for x in xs]


def pages(ds, audience: str) -> Iterator[Page]:
    xs = inspections(ds, audience)
    for x in xs:
        yield page_for(x, ds, audience)
    years = sorted({x.round.year for x in xs})
    kinds = [k for k in KINDS_ORDER if any(k in x.kinds for x in xs)]
    counties = [b.short_name for b in ds.bodies if any(x.organisation.county == b.id for x in xs)]
    for chunk in paginate("inspections/index.md", rows(xs, ds)):
        mine = [r["x"] for r in chunk.rows]
        rounds = {r["x"].round.id: r["round"] for r in chunk.rows}  # the rounds of this page only
        # raw HTML links are not rewritten by MkDocs: later pages sit one folder deeper
        table = html("inspections_table.html.j2", rows=chunk.rows, years=years, stages=STAGES,
                     kinds=kinds, counties=counties, rounds=sorted(rounds.items(), key=lambda kv: kv[0]),
                     prefix="" if chunk.number == 1 else "../")
        yield Page(chunk.path, markdown(
            "inspections_index.md.j2", chunk_title("巡察信息", chunk), meta=chunk_meta(None, chunk),
            table=table, count=len(xs), as_of=ds.as_of, chunk=chunk,
            any_sample=any(is_sample(x) for x in mine),
            downloads=[link("inspections.csv", "../open-data/inspections.csv"),
                       link("inspections.json", "../open-data/inspections.json")],
        ), audience)
    yield items_page(ds, audience)


def items_page(ds, audience: str) -> Page:
    """The rectification items explorer: filters over open-data/items.json."""
    xs = inspections(ds, audience)
    items = [i for x in xs for i in x.rect_items]
    explorer = html("items_explorer.html.j2", years=sorted({x.round.year for x in xs if x.rect_items}),
                    statuses=ITEM_STATUSES, categories=sorted({i.category for i in items}),
                    labels={name: title(Round if name == "year" else RectificationItem, name)
                            for name in ("year", "status", "category")} | {"overdue": OVERDUE},
                    columns=[(name, title(RectificationItem, name)) for name in EXPLORER_COLUMNS])
    by_status = {s: sum(i.status == s for i in items) for s in reversed(ITEM_STATUSES)}  # 已完成 first
    return Page("items/index.md", markdown(
        "items_index.md.j2", "整改事项", explorer=explorer, count=len(items), by_status=by_status,
        as_of=ds.as_of, any_sample=any(i.sample for i in items),
        downloads=[link("items.csv", "../open-data/items.csv"), link("items.json", "../open-data/items.json")],
    ), audience)
