"""Small lookups shared by the page generators."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from ..audience import Page, visible
from ..dataset import Dataset
from ..inspections import by_inspection, round_title
from ..memo import memo
from ..pagecache import reused
from ..render import link, markdown


class Index:
    """Records by id and by relation, restricted to what one build may show.

    `Index(ds, audience)` is built once per dataset and audience and shared by every
    generator module (generators/memo.py): read it, never change it."""

    def __new__(cls, ds: Dataset, audience: str):
        return memo(ds, (cls.__name__, audience), lambda: super(Index, cls).__new__(cls)._build(ds, audience))

    def _build(self, ds: Dataset, audience: str) -> Index:
        self.ds = ds
        self.audience = audience
        self.as_of = ds.as_of
        self.bodies = ds.by_id("bodies")
        self.orgs = {o.id: o for o in ds.organisations if visible(o, audience)}
        self.rounds = {r.id: r for r in ds.rounds if visible(r, audience)}
        self.rules = {r.id: r for r in ds.rules if visible(r, audience)}
        self.inspections = defaultdict(list)  # organisation -> [(round, team, target)]
        for rnd in sorted(self.rounds.values(), key=lambda r: (r.start, r.id)):
            for team, target in rnd.targets:
                self.inspections[target.organisation].append((rnd, team, target))
        return self

    # Asked of generators/inspections.by_inspection (grouped once per build) at each use, not
    # kept here: under the live preview a generator that never reads the items (the trainings')
    # is not made again when they change (generators/pagecache.watched).
    @property
    def items(self) -> dict:
        """(round, organisation) -> its rectification items."""
        return by_inspection(self.ds, self.audience).items

    @property
    def leads(self) -> dict:
        """(round, organisation) -> its leads (the internal build only)."""
        return by_inspection(self.ds, self.audience).leads if self.internal else {}

    @property
    def internal(self) -> bool:
        return self.audience == "internal"

    def body_name(self, body_id: str) -> str:
        return self.bodies[body_id].name

    def round_title(self, rnd) -> str:
        return round_title(rnd, self.bodies)


# Long lists are split over pages of at most PER_PAGE rows, so that no page's size grows
# with the number of records (a page's HTML stays under 100 KB at every scale; see
# bench/README.md). 150 rows of the widest list (the inspections) are about 70 KB of HTML.
PER_PAGE = 150


@dataclass(frozen=True)
class Chunk:
    """One page of a long list: where it goes, its rows, and the links to its siblings."""

    path: str  # page 1 keeps the list's own path; page n sits beside it, so relative links hold
    number: int
    count: int  # how many pages the list has
    rows: list
    first: int  # 1-based position of the first row in the whole list
    pager: Markup  # Markdown links to the first, nearby and last pages; empty for a one-page list

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1


def chunk_path(path: str, number: int) -> str:
    """`rounds/index.md` -> `rounds/page-2.md`; `rules/by-tag.md` -> `rules/by-tag-page-2.md`."""
    if number == 1:
        return path
    folder, _, name = path.rpartition("/")
    stem = name.removesuffix(".md")
    base = f"page-{number}.md" if stem == "index" else f"{stem}-page-{number}.md"
    return f"{folder}/{base}" if folder else base


def page_count(rows: list, per_page: int = PER_PAGE) -> int:
    """How many pages of at most per_page rows a list takes (at least one)."""
    return max(1, -(-len(rows) // per_page))


def paginate(path: str, rows: list, per_page: int = PER_PAGE, pages: int = 1) -> list[Chunk]:
    """Split rows over pages of at most per_page; at least `pages` pages (possibly empty),
    so that two lists of one page can be split alike."""
    count = max(pages, page_count(rows, per_page))
    names = [chunk_path(path, n).rpartition("/")[2] for n in range(1, count + 1)]
    out = []
    for n in range(1, count + 1):
        pager = Markup("")
        if count > 1:
            pager = Markup(f"第 {n} / {count} 页:") + _pager_links(n, count, names)
        part = rows[(n - 1) * per_page:n * per_page]
        out.append(Chunk(chunk_path(path, n), n, count, part, (n - 1) * per_page + 1, pager))
    return out


def _pager_links(n: int, count: int, names: list[str]) -> Markup:
    """Links to the first, previous, nearby, next and last pages: a bounded pager, so a
    page's size does not grow with the number of pages."""
    near = sorted({1, count, *range(max(1, n - 2), min(count, n + 2) + 1)})
    parts: list[Markup] = []
    if n > 1:
        parts.append(link("上一页", names[n - 2]))
    for prev, k in zip([0, *near], near, strict=False):
        if k - prev > 1:
            parts.append(Markup("…"))
        parts.append(Markup(f"**{k}**") if k == n else link(k, names[k - 1]))
    if n < count:
        parts.append(link("下一页", names[n]))
    return Markup(" · ").join(parts)


def regroup(rows: list, key: str = "group") -> list[dict]:
    """Consecutive rows with the same row[key] as [{"name": …, "rows": […]}], in order."""
    groups: list[dict] = []
    for row in rows:
        if not groups or groups[-1]["name"] != row[key]:
            groups.append({"name": row[key], "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def chunk_title(title: str, chunk: Chunk) -> str:
    return title if chunk.number == 1 else f"{title}(第 {chunk.number} 页)"


def chunk_meta(meta: dict | None, chunk: Chunk) -> dict:
    """Pages after the first stay out of search: page 1 and the records' own pages are there."""
    return {**(meta or {}), **({"search": {"exclude": True}} if chunk.number > 1 else {})}


def listing(path: str, rows: list, template: str, title: str, audience: str, meta: dict | None = None,
            grouped: bool = False, per_page: int = PER_PAGE, **context) -> Iterator[Page]:
    """The pages of one long list: the template gets `chunk`, `total`, this page's `rows`
    and, when grouped, `groups` (rows regrouped by row["group"])."""
    for chunk in paginate(path, rows, per_page):  # under the live preview, a page whose rows are unchanged is kept
        yield reused(chunk.path, _chunk_page, template, title, audience, meta, grouped, chunk, len(rows), context)


def _chunk_page(template: str, title: str, audience: str, meta: dict | None, grouped: bool, chunk: Chunk,
                total: int, context: dict) -> Page:
    return Page(chunk.path, markdown(
        template, chunk_title(title, chunk), meta=chunk_meta(meta, chunk), chunk=chunk, total=total, rows=chunk.rows,
        groups=regroup(chunk.rows) if grouped else None, **context), audience)
