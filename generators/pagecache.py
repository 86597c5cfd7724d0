"""Pages kept between the builds of a long-lived process (the live preview), each with the
inputs it was made from, so a rebuild after one edit makes again only the pages whose inputs
changed.

    page = reused(x.id, page_for, x, team_name, as_of, audience)

`fn` must be a pure function of its arguments: it reads nothing else (not the Dataset, not a
module's state), so arguments equal (==) to those of the last call in the same slot give the
same page, and the kept one is returned. Records are frozen models and the derived facts
(generators/inspections.py) dataclasses compared by value, so equality means "nothing the
page shows changed". Off (the default, every full build) it simply calls `fn`.

tests/test_preview.py checks that a build reusing pages gives exactly the pages of a fresh
build after random edits.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class _Kept:
    def __init__(self) -> None:
        self.on = False
        self.store: dict[tuple[Callable, Hashable], tuple[tuple, Any]] = {}
        self.made = 0  # how many pages the last builds made (not reused): for tests and the bench


_KEPT = _Kept()


def keep_pages_between_builds(on: bool = True) -> None:
    """Keep pages between builds in this process (`mkdocs serve`), or stop and forget them."""
    _KEPT.on = on
    if not on:
        _KEPT.store = {}


def reused(slot: Hashable, fn: Callable[..., T], *args: Any) -> T:
    """fn(*args), or the value kept from the last call of `fn` in `slot` if its arguments
    were equal to these."""
    if not _KEPT.on:
        return fn(*args)
    key = (fn, slot)
    hit = _KEPT.store.get(key)
    if hit is not None and hit[0] == args:
        return hit[1]
    value = fn(*args)
    _KEPT.made += 1
    _KEPT.store[key] = (args, value)
    return value


def made() -> int:
    """How many pages `reused` has made (not reused) in this process so far."""
    return _KEPT.made
