"""The public lifecycle page of each inspection, the filterable list, and 正在巡察."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
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
from ..pagecache import reused
from ..render import html, link, markdown
from ..text import date_zh
from .common import Chunk, Index, chunk_meta, chunk_title, paginate
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

# Each status's tag colour (content/public/assets/items.css: lh-tag--KIND); overdue items
# get a second tag, `late`. filters.js reads this mapping from the explorer's data-tags.
STATUS_TAGS: dict[str, str] = {
    "未启动": "new", "整改中": "ongoing", "申请延期": "extended", "未完成": "late",
    "基本完成、持续整改": "ongoing", "需长期坚持": "ongoing", "已完成": "done",
}


def tag(text: str, kind: str) -> Markup:
    return Markup('<strong class="lh-tag lh-tag--{}">{}</strong>').format(kind, text)


def note(label: str, text: object) -> Markup:
    return Markup('<span class="lh-item__note">{}:{}</span>').format(label, text)


def _problem(i: RectificationItem, _: dt.date) -> Markup:
    sample = tag("示例", "new") if i.sample else ""
    return Markup('{} {}<a class="lh-permalink" href="#{}" aria-label="本条整改事项的链接" title="本条整改事项的链接">¶</a>{}'
                  ).format(i.description, sample, i.id, note(title(RectificationItem, "category"), i.category))


def _status(i: RectificationItem, as_of: dt.date) -> Markup:
    out = tag(i.status, STATUS_TAGS[i.status])
    if is_overdue(i, as_of):
        out += tag(OVERDUE, "late")
    if i.done:
        out += note(title(RectificationItem, "done"), date_zh(i.done))
    if i.unfinished_reason:
        out += note(title(RectificationItem, "unfinished_reason"), i.unfinished_reason)
    return out


def _deadline(i: RectificationItem, _: dt.date) -> Markup:
    out = date_zh(i.current_deadline)
    if i.revised_deadline:
        out += note(title(RectificationItem, "deadline"), date_zh(i.deadline))
        out += note(title(RectificationItem, "revision_reason"), i.revision_reason or "—")
    return out


def _history(i: RectificationItem, _: dt.date) -> Markup:
    steps = [Markup("{} {}{}").format(date_zh(h.date), h.status, f"({h.note})" if h.note else "")
             for h in reversed(i.history)]  # newest first
    if len(steps) < 2:
        return steps[0] if steps else Markup("—")
    return Markup('<details class="lh-item__history"><summary>共 {} 条</summary><ol>{}</ol></details>').format(
        len(steps), Markup("").join(Markup("<li>{}</li>").format(step) for step in steps))


# The items of an inspection page, one row (a card on a phone) per item: each column once,
# with the cell it shows (HTML, escaped); the header and each cell's label are the fields'
# declared titles (generators/labels.py). The first column is the problem (with its category
# under it); the id is only the row's anchor (its permalink), never shown.
ITEM_COLUMNS: tuple[tuple[str, Callable[[RectificationItem, dt.date], Markup]], ...] = (
    ("description", _problem),
    ("status", _status),
    ("current_deadline", _deadline),
    ("owner_unit", lambda i, _: escape(i.owner_unit)),
    ("history", _history),
)
# The items explorer (整改事项 page): filled by content/public/assets/filters.js from
# open-data/items*.json in this order, into the same table.lh-items as ITEM_COLUMNS
EXPLORER_COLUMNS = ("description", "status", "current_deadline", "owner_unit", "organisation")


# the totals a notice publishes, in its order: the counts by status of an inspection's ledger
TOTALS_SHOWN = ("completed", "basically_completed", "long_term", "not_completed")
TOTALS_LABELS = {name: title(Totals, name) for name in Totals.model_fields}


def items_table(items: list[RectificationItem], as_of: dt.date) -> Markup:
    """An inspection's items as one HTML table (items.css lays it out as cards on a phone).
    Built here, not in the template: six cells for every item made a template loop the
    largest part of page generation at scale (bench/README.md)."""
    labels = [(name, title(RectificationItem, name)) for name, _ in ITEM_COLUMNS]
    head = "".join(f'<th scope="col" data-key="{name}">{escape(label)}</th>' for name, label in labels)
    classes = {"description": "lh-item__problem", "status": "lh-item__status"}
    cells = [(Markup(' class="{}"').format(classes[name]) if name in classes else "", label, fn)
             for (name, label), (_, fn) in zip(labels, ITEM_COLUMNS, strict=True)]
    rows = "\n".join(
        Markup('<tr id="{}">').format(i.id)
        + Markup("").join(Markup('<td{} data-label="{}">{}</td>').format(cls, label, fn(i, as_of))
                          for cls, label, fn in cells)
        + Markup("</tr>") for i in items)
    return Markup(f'<div class="lh-items-wrap">\n<table class="lh-items">\n<thead><tr>{head}</tr></thead>\n'
                  f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>")


def page_for(x: Inspection, team_body: str, as_of: dt.date, leads: list, notices: list[dict], audience: str) -> Page:
    """An inspection's page: a pure function of its arguments (generators/pagecache.py), which
    `pages` gathers from the dataset."""
    title = f"{x.organisation.name} · {x.round_title}"
    sample = is_sample(x) or any(n["sample"] for n in notices)
    return Page(f"inspections/{x.id}.md", markdown(
        "inspection.md.j2", title, meta={"sample": sample or None},
        x=x, sample=sample, stages=stages_line(x.stage), as_of=as_of, notices=notices,
        org_link=link(x.organisation.name, f"../organisations/{x.organisation.id}.md"),
        round_link=link(x.round_title, f"../rounds/{x.round.id}.md"),
        team_body=team_body, reporting_current=x.reporting_open and x.reporting_current(as_of),
        reporting_state=x.reporting_state(as_of),
        conclusion_rate=rate_text(x.leads_concluded, x.leads_total),
        completion_rate=rate_text(x.done, len(x.rect_items)),
        internal=audience == "internal", leads=leads, items_table=items_table(x.rect_items, as_of),
        ledger=recorded_totals(x.rect_items, as_of), totals_shown=TOTALS_SHOWN,
        labels=TOTALS_LABELS,
        published_link=link(x.published.title, f"../notices/{x.published.id}.md") if x.published else "",
    ), audience)


def inspection_pages(ds, audience: str, xs: list[Inspection]) -> Iterator[Page]:
    """Each inspection's page; under the live preview only those whose inputs changed are made again."""
    bodies = ds.by_id("bodies")
    grouped = Index(ds, audience).leads if audience == "internal" else {}  # grouped once per build
    for x in xs:
        leads = sorted(grouped.get((x.round.id, x.organisation.id), []), key=lambda lead: lead.id)
        notices = list_rows(notices_of(ds, audience, x.round.id, x.organisation.id), "../notices/")
        yield reused(x.id, page_for, x, bodies[x.team.body].name, ds.as_of, leads, notices, audience)


def rows(xs: list[Inspection], ds) -> list[dict]:
    return [{
        "x": x, "href": f"{x.id}/", "round": x.round_title,
        "county": x.county,
        "completion": rate_text(x.done, len(x.rect_items)) if x.rect_items else "—",
    } for x in xs]


def pages(ds, audience: str) -> Iterator[Page]:
    xs = inspections(ds, audience)
    yield from inspection_pages(ds, audience, xs)
    years = sorted({x.round.year for x in xs})
    kinds = [k for k in KINDS_ORDER if any(k in x.kinds for x in xs)]
    counties = [b.short_name for b in ds.bodies if any(x.organisation.county == b.id for x in xs)]
    for chunk in paginate("inspections/index.md", rows(xs[::-1], ds)):  # the latest stationed first
        # under the live preview, a page of the list whose rows are unchanged is kept
        yield reused(chunk.path, index_page, chunk, years, kinds, counties, len(xs), ds.as_of, audience)
    yield items_page(ds, audience)


def index_page(chunk: Chunk, years: list[int], kinds: list[str], counties: list[str], count: int,
               as_of: dt.date, audience: str) -> Page:
    """One page of the inspections list: a pure function of its arguments."""
    mine = [r["x"] for r in chunk.rows]
    rounds = {r["x"].round.id: r["round"] for r in chunk.rows}  # the rounds of this page only
    # raw HTML links are not rewritten by MkDocs: later pages sit one folder deeper
    table = html("inspections_table.html.j2", rows=chunk.rows, years=years, stages=STAGES,
                 kinds=kinds, counties=counties, rounds=sorted(rounds.items(), key=lambda kv: kv[0]),
                 prefix="" if chunk.number == 1 else "../")
    return Page(chunk.path, markdown(
        "inspections_index.md.j2", chunk_title("巡察信息", chunk), meta=chunk_meta(None, chunk),
        table=table, count=count, as_of=as_of, chunk=chunk,
        any_sample=any(is_sample(x) for x in mine),
        downloads=[link("inspections.csv", "../open-data/inspections.csv"),
                   link("inspections.json", "../open-data/inspections.json")],
    ), audience)


def items_page(ds, audience: str) -> Page:
    """The rectification items explorer: filters over open-data/items.json. The page's size
    does not grow with the organisations: their list and the owner units' are filled in the
    browser from the items loaded (content/public/assets/filters.js)."""
    xs = inspections(ds, audience)
    items = [i for x in xs for i in x.rect_items]
    with_items = [x for x in xs if x.rect_items]
    counties = [b.short_name for b in ds.bodies if any(x.organisation.county == b.id for x in with_items)]
    labels = {name: title(RectificationItem, name) for name in ("status", "category", "organisation", "owner_unit",
                                                                "done", "deadline", "revision_reason")}
    labels |= {"year": title(Round, "year"), "county": title(Inspection, "county"), "overdue": OVERDUE}
    explorer = html("items_explorer.html.j2", years=sorted({x.round.year for x in with_items}),
                    statuses=ITEM_STATUSES, categories=sorted({i.category for i in items}),
                    counties=counties, labels=labels,
                    tags=json.dumps(STATUS_TAGS, ensure_ascii=False), cell_labels=json.dumps(labels, ensure_ascii=False),
                    columns=[(name, title(RectificationItem, name)) for name in EXPLORER_COLUMNS])
    counted: Counter[str] = Counter(i.status for i in items)
    by_status = {s: counted[s] for s in reversed(ITEM_STATUSES)}  # 已完成 first
    return Page("items/index.md", markdown(
        "items_index.md.j2", "整改事项", explorer=explorer, count=len(items), by_status=by_status,
        as_of=ds.as_of, any_sample=any(i.sample for i in items),
        downloads=[link("表格(items.csv,可用 Excel 打开)", "../open-data/items.csv"),
                   link("数据(items.json)", "../open-data/items.json")],
    ), audience)
