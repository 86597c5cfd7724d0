"""Values derived from a Dataset once per build and shared by the generators.

`generate()` runs every generator module, and several of them need the same lookups
(the Index of one audience, the list of inspections). Built once per (dataset, key),
they are kept on the Dataset itself, so they go when it goes. A value is rebuilt when
the dataset's record lists are no longer the same lists of the same lengths (a test
that swaps `ds.records` gets fresh values). Values are shared: treat them as read-only.
`generate()` forgets them when it is done: an Index refers back to its dataset, and the
cycle would keep a large dataset alive through the MkDocs build that follows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Protocol, TypeVar

T = TypeVar("T")


class HasRecords(Protocol):
    """What memo needs of a Dataset (generators/dataset.py, a layer above this module)."""

    records: dict[str, list]


def memo(ds: HasRecords, key: Hashable, build: Callable[[], T]) -> T:
    store: dict = ds.__dict__.setdefault("_memo", {})
    lists = tuple(ds.records.values())
    stamp = tuple(len(v) for v in lists)
    hit = store.get(key)
    if hit is not None:
        old_lists, old_stamp, value = hit
        if old_stamp == stamp and len(old_lists) == len(lists) and all(a is b for a, b in zip(old_lists, lists, strict=True)):
            return value
    value = build()
    store[key] = (lists, stamp, value)
    return value


def forget(ds: HasRecords) -> None:
    ds.__dict__.pop("_memo", None)
