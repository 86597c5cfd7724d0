"""Pages kept between the builds of a long-lived process (the live preview), each with the
inputs it was made from, so a rebuild after one edit makes again only the pages whose inputs
changed.

    page = reused(x.id, page_for, x, team_name, as_of, audience)

`fn` must be a pure function of its arguments: it reads nothing else (not the Dataset, not a
module's state), so arguments equal (==) to those of the last call in the same slot give the
same page, and the kept one is returned. Records are frozen models and the derived facts
(generators/inspections.py) dataclasses compared by value, so equality means "nothing the
page shows changed". Off (the default, every full build) it simply calls `fn`.

Coarser, `generated(generator, ds, audience)` keeps a whole page generator's pages while
none of the files it read changed a record (an edit of items.yaml leaves the rule pages).

tests/test_incremental.py checks that a build reusing pages gives exactly the pages of a fresh
build after random edits.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from .memo import Reads

T = TypeVar("T")


class _Kept:
    def __init__(self) -> None:
        self.on = False
        self.store: dict[tuple[Callable, Hashable], tuple[tuple, Any]] = {}
        self.made = 0  # how many pages the last builds made (not reused): for tests and the bench
        # a page generator's last run: (audience, the records of each file it read, the
        # materials, its pages)
        self.runs: dict[Callable, tuple[str, dict[str, list], dict, list]] = {}


_KEPT = _Kept()


def keep_pages_between_builds(on: bool = True) -> None:
    """Keep pages between builds in this process (`mkdocs serve`), or stop and forget them."""
    _KEPT.on = on
    if not on:
        _KEPT.store, _KEPT.runs = {}, {}


def forget_kept_pages() -> None:
    """Forget the kept pages (still keeping from here on): the next build makes every page."""
    _KEPT.store, _KEPT.runs = {}, {}


def generated(generator: Callable[[Any, str], Iterable[T]], ds: Any, audience: str) -> list[T]:
    """list(generator(ds, audience)), or its pages of the last build when none of the files
    it read then (found by watching `ds.records` while it ran, generators/memo.Reads) holds
    another record now: each record is the same object while its text is unchanged
    (generators/load.py), so an edit of items.yaml does not make the rule pages again."""
    if not _KEPT.on:
        return list(generator(ds, audience))
    records: dict[str, list] = ds.records
    last = _KEPT.runs.get(generator)
    if last is not None and last[0] == audience and last[2] == ds.materials and all(
            _same(records.get(stem, []), kept) for stem, kept in last[1].items()):
        return last[3]
    reads = Reads(records)
    ds.records = reads
    try:
        pages = list(generator(ds, audience))
    finally:
        ds.records = records
    _KEPT.runs[generator] = (audience, {stem: list(records.get(stem, [])) for stem in reads.read},
                             dict(ds.materials), pages)
    return pages


def _same(now: list, then: list) -> bool:
    return len(now) == len(then) and all(a is b for a, b in zip(now, then, strict=True))


def reused(slot: Hashable, fn: Callable[..., T], *args: Any, page: bool = True) -> T:
    """fn(*args), or the value kept from the last call of `fn` in `slot` if its arguments
    were equal to these (`page`: whether `made()` counts it: a part of a page is not)."""
    if not _KEPT.on:
        return fn(*args)
    key = (fn, slot)
    hit = _KEPT.store.get(key)
    if hit is not None and hit[0] == args:
        return hit[1]
    value = fn(*args)
    _KEPT.made += page
    _KEPT.store[key] = (args, value)
    return value


def made() -> int:
    """How many pages `reused` has made (not reused) in this process so far."""
    return _KEPT.made
