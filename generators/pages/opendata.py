"""Open data: every public list as CSV (UTF-8 with BOM) and JSON, a Frictionless
datapackage.json describing them, statistics.json, and an Atom feed.

The CSV is for people: Excel opens it as it is, its header row is the fields' declared
Chinese titles and true/false read 是/否. The JSON is for programs: the fields' stable
English names, with datapackage.json (whose resources are the JSON files) giving each
name its type and Chinese title."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ..audience import Page, PageWriter, packed
from ..inspections import Inspection, PublishedNotice, inspections, published_notices, tally_by, total
from ..labels import title
from ..model import Totals, places
from ..opendata import Rows, Table, tables
from ..pagecache import reused
from ..render import html, link, markdown

# OWASP's list (CSV Injection): a spreadsheet runs a cell starting with any of these as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A CSV cell. Text that a spreadsheet would run as a formula gets a leading apostrophe;
    a number is written as the number it is (-3 is no formula)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def jsonable(value):
    """A JSON value: dates as ISO text; a published decimal as a JSON number (its trailing
    zeros, which JSON numbers cannot carry, are kept in the CSV)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and places(value) == 0 else float(value)
    return value


class _LineWriter(threading.local):
    """A CSV writer into a buffer of its own per thread, used for one line at a time."""

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.writer = csv.writer(self.out, lineterminator="\r\n")


_CSV = _LineWriter()


def _csv_line(cells: list[str]) -> str:
    _CSV.out.seek(0)
    _CSV.out.truncate()
    _CSV.writer.writerow(cells)
    return _CSV.out.getvalue()


# one record per line: readable and diffable, and written by json's C encoder (an indent
# would switch to the pure-Python one, several times slower on a year's items)
_ROW = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class _JsonArray:
    """A JSON array of records already encoded (`_json_row`), one record per line, written to
    its page as they come: a part of its lines at a time, compressed before (`_Part`)."""

    def __init__(self, path: str, audience: str):
        self.writer = PageWriter(path, audience)
        self.empty = True

    def add(self, lines: bytes) -> None:
        self.writer.write("[\n" if self.empty else ",\n")
        self.writer.write_packed(lines)
        self.empty = False

    def page(self) -> Page:
        self.writer.write("[]\n" if self.empty else "\n]\n")
        return self.writer.page()


def datapackage(ts: list[Table], as_of: dt.date) -> str:
    package = {
        "profile": "tabular-data-package",
        "name": "luohe-inspection",
        "title": "漯河巡察公开数据",
        "version": as_of.isoformat(),
        "created": f"{as_of.isoformat()}T00:00:00Z",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [{
            "profile": "tabular-data-resource",
            "name": t.name, "title": t.title, "description": t.description,
            # the JSON file, whose keys are the names below (the CSV's header is their titles)
            "path": f"{t.name}.json", "format": "json", "mediatype": "application/json", "encoding": "utf-8",
            "schema": {"fields": [{"name": f.name, "type": f.type, "title": f.title}
                                  for f in t.fields], "primaryKey": "id"},
        } for t in ts],
    }
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"


def statistics(ds, audience: str) -> str:
    done = [x for x in inspections(ds, audience) if x.target.feedback]

    def dump(groups):
        return {k: {**vars(t), "conclusion_rate": t.conclusion_rate, "completion_rate": t.completion_rate}
                for k, t in groups.items()}

    t = total(done)
    data = {
        "as_of": ds.as_of.isoformat(),
        "total": {**vars(t), "conclusion_rate": t.conclusion_rate, "completion_rate": t.completion_rate},
        "by_year": dump(tally_by(done, lambda x: str(x.round.year))),
        "by_county": dump(tally_by(done, lambda x: x.county)),
        "by_kind": dump(tally_by(done, lambda x: x.kinds)),
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def feed_entries(ds, audience: str) -> list[dict]:
    as_of = ds.as_of
    # each inspection's and notice's entries are kept between the rebuilds of a preview while it
    # is the same object (generators/inspections.py keeps those while their records are the same)
    entries = [e for x in inspections(ds, audience) for e in reused(("feed", x.id), _inspection_entries, x, as_of,
                                                                     page=False)]
    entries += [reused(("feed", n.id), _notice_entry, n, page=False) for n in published_notices(ds, audience)]
    return sorted(entries, key=lambda e: (e["updated"], e["id"]), reverse=True)


def _inspection_entries(x: Inspection, as_of: dt.date) -> list[dict]:
    """An inspection's entries in the feed: its announcement, once made, and its progress."""
    entries = []
    name = f"{x.organisation.name} · {x.round_title}"
    a = x.target.announcement
    if x.target.stationed <= as_of or a.reporting_from <= as_of:
        entries.append({
            "id": f"tag:luohe.example,2024:inspections/{x.id}/announcement",
            "title": f"巡察公告:{name}", "href": f"inspections/{x.id}/",
            "updated": min(x.target.stationed, a.reporting_from),
            "summary": f"{x.team.name}进驻{x.organisation.name},{a.reporting_from} 至 {a.reporting_until} "
                       f"受理来信来电来访。举报电话 {a.phone},电子邮箱 {a.mailbox},邮政信箱 {a.post_box}。",
        })
    if x.rect_items:
        latest = max([i.done for i in x.rect_items if i.done] + ([x.target.feedback] if x.target.feedback else []),
                     default=as_of)
        entries.append({
            "id": f"tag:luohe.example,2024:inspections/{x.id}/progress",
            "title": f"整改进展:{name}", "href": f"inspections/{x.id}/", "updated": latest,
            "summary": f"整改事项 {len(x.rect_items)} 项,已完成 {x.done} 项,逾期 {x.overdue} 项。",
        })
    return entries


def _notice_entry(n: PublishedNotice) -> dict:
    return {"id": f"tag:luohe.example,2024:notices/{n.id}", "title": f"{n.notice.kind}:{n.title}",
            "href": f"notices/{n.id}/", "updated": n.notice.date, "summary": notice_summary(n)}


def feed(entries: list[dict], title: str, as_of: dt.date, audience: str) -> Page:
    return Page("feed.xml", html("feed.xml.j2", entries=entries, title=title,
                                 updated=max((e["updated"] for e in entries), default=as_of)) + "\n", audience)


def notice_summary(n: PublishedNotice) -> str:
    """A notice in a sentence: who published it when, and its headline figures as published."""
    parts = [f"{n.notice.publisher} {n.notice.date} 发布。"]
    totals = n.notice.totals
    if totals is not None:
        figures = [f"{title(Totals, name)} {value}" for name in ("problems", "completed")
                   if (value := getattr(totals, name)) is not None]
        if totals.rate is not None:
            figures.append(f"{title(Totals, 'rate')} {format(totals.rate, 'f')}%")
        if figures:
            parts.append(",".join(figures) + "。")
    return "".join(parts)


@dataclass(frozen=True)
class _Part:
    """A part of a table's rows as its files hold them, each text compressed on its own
    (generators/audience.packed): its CSV lines, its JSON lines (joined by ",\n") and, for
    the items, its JSON lines of each year."""

    csv: bytes
    json: bytes
    years: dict[int, bytes]


def _part(names: tuple[str, ...], rows: list[dict], by_year: bool) -> _Part:
    lines = [_json_row(names, row) for row in rows]
    years: dict[int, list[str]] = {}
    if by_year:
        for row, line in zip(rows, lines, strict=True):
            years.setdefault(row["year"], []).append(line)
    return _Part(packed("".join(_csv_row(names, row) for row in rows)), packed(",\n".join(lines)),
                 {year: packed(",\n".join(ls)) for year, ls in years.items()})


def _made_part(names: tuple[str, ...], fn: Callable[..., list[dict]], args: tuple, by_year: bool) -> _Part:
    return _part(names, fn(*args), by_year)


def table_files(t: Table, audience: str) -> list[Page]:
    """A table's CSV and JSON files (and, for the items, a JSON file per year). The items' lines
    are 0.3 GiB of text at x100: they are made an inspection at a time (generators/opendata.Rows),
    each inspection's compressed on their own and joined, compressed, into the files. Under a
    preview an inspection's compressed lines are kept while its items are the same records:
    one edited item makes one inspection's lines again, not the year's thousands."""
    names = tuple(f.name for f in t.fields)
    by_year = t.name == "items"
    if isinstance(t.rows, Rows):
        parts = [reused((t.name, key), _made_part, names, fn, args, by_year, page=False)
                 for key, fn, args in t.rows.parts]
    else:
        parts = [_part(names, t.rows, by_year)] if t.rows else []
    table = PageWriter(f"open-data/{t.name}.csv", audience)
    table.write("\ufeff" + _csv_line([f.title for f in t.fields]))
    whole = _JsonArray(f"open-data/{t.name}.json", audience)
    years: dict[int, list[bytes]] = {}  # for the items, one file a year too, so the items explorer loads little
    for part in parts:
        table.write_packed(part.csv)
        whole.add(part.json)
        for year, lines in part.years.items():
            years.setdefault(year, []).append(lines)
    # a year's file is made again only when one of its parts is another (the same bytes: at once)
    return [table.page(), whole.page(), *(reused(("items year", year), _json_file, f"open-data/items-{year}.json",
                                                 tuple(years[year]), audience, page=False) for year in sorted(years))]


def _json_file(path: str, parts: tuple[bytes, ...], audience: str) -> Page:
    out = _JsonArray(path, audience)
    for part in parts:
        out.add(part)
    return out.page()


def _csv_row(names: tuple[str, ...], row: dict) -> str:
    """A record's CSV line."""
    return _csv_line([cell(row[n]) for n in names])


def _json_row(names: tuple[str, ...], row: dict) -> str:
    """A record's JSON line."""
    return _ROW({n: jsonable(row[n]) for n in names})


def _any_sample(t: Table) -> bool:
    """Whether any row of the table is sample data (the items' rows are not made to know it)."""
    return t.rows.sample if isinstance(t.rows, Rows) else any(r["sample"] for r in t.rows)


def pages(ds, audience: str) -> Iterator[Page]:
    ts = tables(ds, audience)
    as_of = ds.as_of
    for t in ts:  # under the live preview a table's files are written again only when it changed
        yield from reused(t.name, table_files, t, audience)
    yield Page("open-data/datapackage.json", datapackage(ts, as_of), audience)
    yield Page("open-data/statistics.json", statistics(ds, audience), audience)
    yield reused("feed", feed, feed_entries(ds, audience), ds.site[0].title, as_of, audience)
    yield Page("open-data/index.md", markdown(
        "opendata_index.md.j2", "开放数据", as_of=as_of,
        rows=[{"t": t} for t in ts],
        package=link("datapackage.json", "datapackage.json"), stats=link("statistics.json", "statistics.json"),
        feed=link("feed.xml", "../feed.xml"), any_sample=any(map(_any_sample, ts)),
    ), audience)
