"""Each field's label (title) and meaning (description), declared once where the field is.

- A record's field: on the model, `Field(title="原定时限", description="…")` (generators/model.py).
- A fact derived from one record: a property on the model declared with `@derived(title, description)`
  (`RectificationItem.current_deadline`).
- A fact of the inspections index: a dataclass field declared with `fact(title, description)`
  (`Inspection.stage` in generators/inspections.py).

`title(owner, name)` and `description(owner, name)` read any of the three, so page columns,
CSV/JSON headers and datapackage titles, the changelog and the filters take their words
from the declaration and cannot drift apart. A name with no declaration is an error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def derived(title: str, description: str | None = None) -> Callable[[Callable[[Any], Any]], property]:
    """A property computed from a record's own fields, declared with its label like a field."""
    def wrap(fn: Callable[[Any], Any]) -> property:
        fn.title, fn.description = title, description  # type: ignore[attr-defined]  # read back by title()
        return property(fn)
    return wrap


def labelled(title: str, description: str | None = None) -> Callable[[F], F]:
    """A function computing a fact from a record and the as-of date, declared with its label
    (`lifecycle.is_overdue`: 逾期)."""
    def wrap(fn: F) -> F:
        fn.title, fn.description = title, description  # type: ignore[attr-defined]  # read back by title()
        return fn
    return wrap


def fact(title: str, description: str | None = None, **kwargs: Any) -> Any:
    """A dataclass field of a derived fact, declared with its label."""
    return dataclasses.field(metadata={"title": title, "description": description}, **kwargs)


def _declaration(owner: Any, name: str) -> tuple[str | None, str | None]:
    fields = getattr(owner, "model_fields", None)
    if fields is not None and name in fields:
        return fields[name].title, fields[name].description
    if dataclasses.is_dataclass(owner):
        for f in dataclasses.fields(owner):
            if f.name == name and "title" in f.metadata:
                return f.metadata["title"], f.metadata["description"]
    attr = owner.get(name) if isinstance(owner, dict) else getattr(owner, name, None)
    declared = getattr(attr, "fget", attr)  # a property's function, or a labelled() function
    if declared is not None and hasattr(declared, "title") and isinstance(declared.title, str):
        return declared.title, declared.description
    return None, None


def title(owner: Any, name: str) -> str:
    """The label readers see for a field or fact of `owner`."""
    found, _ = _declaration(owner, name)
    if not found:
        raise KeyError(f"{getattr(owner, '__name__', owner)}.{name} has no declared title")
    return found


def description(owner: Any, name: str) -> str | None:
    return _declaration(owner, name)[1]
