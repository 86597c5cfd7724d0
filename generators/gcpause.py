"""Pausing Python's cyclic garbage collector while building large data that holds no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector; restore it as it was.

    Loading and page generation create millions of small objects (nodes, dicts, models,
    Markdown strings) and no reference cycles, so the collections their allocations
    trigger find nothing, and each full one walks the whole heap, which grows with the
    data: at 100 times the shipped data that made both grow faster than the data
    (bench/README.md). Reference counting still frees everything as usual."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
