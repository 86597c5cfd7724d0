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

from collections.abc import Callable, Hashable, Sequence
from typing import Protocol, TypeVar

T = TypeVar("T")


class HasRecords(Protocol):
    """What memo needs of a Dataset (generators/dataset.py, a layer above this module)."""

    records: dict[str, list]


class Reads(dict):
    """`ds.records` that notes which files' records are read (`read`, their stems), put in
    place while a page generator runs under the live preview (pagecache.generated)."""

    def __init__(self, records: dict[str, list]) -> None:
        super().__init__(records)
        self.read: set[str] = set()

    def __getitem__(self, stem):
        self.read.add(stem)
        return super().__getitem__(stem)

    def get(self, stem, default=None):
        self.read.add(stem)
        return super().get(stem, default)

    def __contains__(self, stem) -> bool:
        self.read.add(stem)
        return super().__contains__(stem)

    def _all(self) -> None:
        self.read.update(super().keys())

    def __iter__(self):
        self._all()
        return super().__iter__()

    def keys(self):
        self._all()
        return super().keys()

    def values(self):
        self._all()
        return super().values()

    def items(self):
        self._all()
        return super().items()


def same_objects(now: Sequence, then: Sequence) -> bool:
    """Whether two sequences hold the very same objects, in order."""
    return len(now) == len(then) and all(a is b for a, b in zip(now, then, strict=True))


def memo(ds: HasRecords, key: Hashable, build: Callable[[], T]) -> T:
    store: dict = ds.__dict__.setdefault("_memo", {})
    records = ds.records
    reads = records if isinstance(records, Reads) else None
    lists = tuple(dict.values(records))
    stamp = tuple(len(v) for v in lists)
    hit = store.get(key)
    if hit is not None:
        old_lists, old_stamp, value, read = hit
        if old_stamp == stamp and same_objects(old_lists, lists):
            if reads is not None:  # what the value was made from is read by whoever uses it
                reads.read |= read if read is not None else set(dict.keys(records))
            return value
    if reads is None:
        value = build()
        store[key] = (lists, stamp, value, None)
        return value
    outer, reads.read = reads.read, set()  # what the value is made from, on its own
    try:
        value = build()
    finally:
        read, reads.read = reads.read, outer | reads.read
    store[key] = (lists, stamp, value, read)
    return value


def forget(ds: HasRecords) -> None:
    ds.__dict__.pop("_memo", None)
