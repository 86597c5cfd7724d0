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
from typing import Any, NamedTuple, TypeVar

from .memo import Reads, same_objects

T = TypeVar("T")


class _Run(NamedTuple):
    """What a watched function was given and read at its last run, and what it returned."""

    args: tuple
    files: dict[str, tuple[list, Any]]  # each file it read: its records and its parse (positions)
    materials: dict
    value: Any


class _Kept:
    def __init__(self) -> None:
        self.on = False
        self.store: dict[tuple[Callable, Hashable], tuple[tuple, Any]] = {}
        self.made = 0  # how many pages the last builds made (not reused): for tests and the bench
        self.runs: dict[Hashable, _Run] = {}  # watched(): each key's last run
        self.stamp: Hashable = None  # forget_kept_pages_when_changed(): the last build's


_KEPT = _Kept()


def keep_pages_between_builds(on: bool = True) -> None:
    """Keep pages between builds in this process (`mkdocs serve`), or stop and forget them."""
    _KEPT.on = on
    if not on:
        _KEPT.store, _KEPT.runs = {}, {}


def forget_kept_pages() -> None:
    """Forget the kept pages (still keeping from here on): the next build makes every page."""
    _KEPT.store, _KEPT.runs = {}, {}


def forget_kept_pages_when_changed(stamp: Hashable) -> None:
    """Forget the kept pages when `stamp` (of what every page is made with: the templates)
    differs from the last build's."""
    if _KEPT.on and stamp != _KEPT.stamp:
        forget_kept_pages()
    _KEPT.stamp = stamp


def watched(key: Hashable, fn: Callable[..., T], ds: Any, *args: Any) -> T:
    """fn(ds, *args), or its value of the last build when `args` are equal and none of the
    files it read then (found by watching `ds.records` while it ran, generators/memo.Reads)
    changed: the same record objects (each record stays the same object while its text is
    unchanged, generators/load.py), the same parse (so the same positions for any problem
    placed in it) and equal training materials. An edit of items.yaml does not make the rule
    pages again, nor run the checks of the rules."""
    if not _KEPT.on:
        return fn(ds, *args)
    records: dict[str, list] = ds.records
    last = _KEPT.runs.get(key)
    if last is not None and last.args == args and last.materials == ds.materials and all(
            ds.parsed.get(stem) is parsed and same_objects(records.get(stem, []), kept)
            for stem, (kept, parsed) in last.files.items()):
        return last.value
    reads = Reads(records)
    ds.records = reads
    try:
        value = fn(ds, *args)
    finally:
        ds.records = records
    files = {stem: (list(records.get(stem, [])), ds.parsed.get(stem)) for stem in reads.read}
    _KEPT.runs[key] = _Run(args, files, dict(ds.materials), value)
    return value


def generated(generator: Callable[[Any, str], Iterable[T]], ds: Any, audience: str) -> list[T]:
    """list(generator(ds, audience)), or its pages of the last build when none of the files
    it read changed (`watched`)."""
    return watched(generator, _listed, ds, generator, audience)


def _listed(ds: Any, generator: Callable[[Any, str], Iterable[T]], audience: str) -> list[T]:
    return list(generator(ds, audience))


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
