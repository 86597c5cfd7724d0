"""The Dataset: every validated record of data/, by kind, with where each came from.

`load.read()` fills it; the checks, the index and the page generators read it. Each
record kind is a typed attribute (`ds.items` is a list of `RectificationItem`), so an
editor and the type checker know what each list holds. `ds.records` keeps the same
lists by file name (`ds.records["items"] is ds.items`) for code that loops over kinds.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

from .model import (
    Body,
    Curriculum,
    Event,
    Figure,
    LeadHandover,
    Notice,
    Organisation,
    Record,
    RectificationItem,
    Round,
    Rule,
    SiteInfo,
    Source,
    System,
    SystemRecord,
    Training,
)
from .problems import Problem, Severity, format_path
from .yamlstrict import Parsed


@dataclass
class Dataset:
    """Validated records of every kind, with where each came from."""

    data_dir: Path
    records: dict[str, list] = field(default_factory=dict)
    parsed: dict[str, Parsed] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    materials: dict[str, str] = field(default_factory=dict)  # content/materials/NAME.md -> its Markdown
    broken: frozenset[str] = frozenset()  # files with problems of their own (their checks are skipped)

    # --- each record kind, typed (data/FILE.yaml -> ds.FILE) -------------------------
    @property
    def site(self) -> list[SiteInfo]:
        return self.records.get("site", [])

    @property
    def sources(self) -> list[Source]:
        return self.records.get("sources", [])

    @property
    def bodies(self) -> list[Body]:
        return self.records.get("bodies", [])

    @property
    def organisations(self) -> list[Organisation]:
        return self.records.get("organisations", [])

    @property
    def rounds(self) -> list[Round]:
        return self.records.get("rounds", [])

    @property
    def items(self) -> list[RectificationItem]:
        return self.records.get("items", [])

    @property
    def leads(self) -> list[LeadHandover]:
        return self.records.get("leads", [])

    @property
    def rules(self) -> list[Rule]:
        return self.records.get("rules", [])

    @property
    def trainings(self) -> list[Training]:
        return self.records.get("trainings", [])

    @property
    def curricula(self) -> list[Curriculum]:
        return self.records.get("curricula", [])

    @property
    def figures(self) -> list[Figure]:
        return self.records.get("figures", [])

    @property
    def timeline(self) -> list[Event]:
        return self.records.get("timeline", [])

    @property
    def notices(self) -> list[Notice]:
        return self.records.get("notices", [])

    @property
    def systems(self) -> list[System]:
        return self.records.get("systems", [])

    @property
    def system_records(self) -> list[SystemRecord]:
        return self.records.get("system_records", [])

    # --- facts about the whole data set ----------------------------------------------
    @property
    def as_of(self) -> dt.date:
        """The data's as-of date (data/site.yaml): every stage, deadline and state is on this day."""
        return self.site[0].as_of

    def problem(self, stem: str, path: tuple, message: str, severity: Severity = "error", key: bool = False) -> Problem:
        line, col = self.parsed[stem].where(path, key=key)
        return Problem(self.display[stem], line, col, format_path(stem, path), message, severity)

    # by_id("rounds") is a dict[str, Round], and so on for each record kind
    @overload
    def by_id(self, stem: Literal["site"]) -> dict[str, SiteInfo]: ...
    @overload
    def by_id(self, stem: Literal["sources"]) -> dict[str, Source]: ...
    @overload
    def by_id(self, stem: Literal["bodies"]) -> dict[str, Body]: ...
    @overload
    def by_id(self, stem: Literal["organisations"]) -> dict[str, Organisation]: ...
    @overload
    def by_id(self, stem: Literal["rounds"]) -> dict[str, Round]: ...
    @overload
    def by_id(self, stem: Literal["items"]) -> dict[str, RectificationItem]: ...
    @overload
    def by_id(self, stem: Literal["leads"]) -> dict[str, LeadHandover]: ...
    @overload
    def by_id(self, stem: Literal["rules"]) -> dict[str, Rule]: ...
    @overload
    def by_id(self, stem: Literal["trainings"]) -> dict[str, Training]: ...
    @overload
    def by_id(self, stem: Literal["curricula"]) -> dict[str, Curriculum]: ...
    @overload
    def by_id(self, stem: Literal["figures"]) -> dict[str, Figure]: ...
    @overload
    def by_id(self, stem: Literal["timeline"]) -> dict[str, Event]: ...
    @overload
    def by_id(self, stem: Literal["notices"]) -> dict[str, Notice]: ...
    @overload
    def by_id(self, stem: Literal["systems"]) -> dict[str, System]: ...
    @overload
    def by_id(self, stem: Literal["system_records"]) -> dict[str, SystemRecord]: ...
    @overload
    def by_id(self, stem: str) -> dict[str, Record]: ...

    def by_id(self, stem: str) -> dict[str, Any]:
        """The records of one kind by id."""
        return {r.id: r for r in self.records.get(stem, [])}


def display_path(path: Path) -> str:
    """The path as the editor sees it: relative to the working directory if inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
