"""The edition a build belongs to, and its changelog page.

`tools`' site build (publishing/site.py) runs MkDocs in a child process and passes the
edition through the environment; `Edition.from_env()` reads it back:

    LUOHE_EDITION           the edition's name (e.g. 2024); unset for unpublished builds
    LUOHE_DATA_COMMIT       the commit of data/ the build was made from, or "uncommitted"
    LUOHE_PREVIOUS_DATA     a folder holding the previous edition's data/ (for the changelog)
    LUOHE_PREVIOUS_EDITION  the previous edition's name

`Edition.extra()` is what the footer shows (config.extra); `pages()` adds the edition's
changelog page when the build is an edition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import changelog
from .audience import Page
from .dataset import Dataset
from .load import read
from .problems import DataError


@dataclass(frozen=True)
class Edition:
    name: str | None = None  # None: an unpublished build (no changelog page)
    data_commit: str | None = None
    previous_name: str | None = None
    previous_data: Path | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Edition:
        previous = env.get("LUOHE_PREVIOUS_DATA")
        return cls(name=env.get("LUOHE_EDITION") or None, data_commit=env.get("LUOHE_DATA_COMMIT") or None,
                   previous_name=env.get("LUOHE_PREVIOUS_EDITION") or None,
                   previous_data=Path(previous) if previous else None)

    def extra(self) -> dict:
        """What the pages' templates read from config.extra. An unpublished build is no edition
        tree: it drops Material's version selector (`version`), which would fetch ../versions.json
        and get a 404 on every page."""
        unpublished = {} if self.name else {"version": None}
        return {"edition": self.name, "data_commit": self.data_commit, "changelog": bool(self.name), **unpublished}


UNPUBLISHED = Edition()


def pages(ds: Dataset, audience: str, edition: Edition) -> list[Page]:
    if not edition.name:
        return []
    previous, name, note = None, edition.previous_name, None
    if edition.previous_data is not None:
        try:
            previous = read(edition.previous_data)
        except DataError:
            note = f"上一版本 {name} 的数据无法按当前的数据格式读取,未能逐条对比。"
    elif name:
        note = f"上一版本 {name} 不是由已提交的数据构建的,无法逐条对比。"
    found = changelog.changes(previous, ds, audience) if previous is not None else None
    return [changelog.page(found, audience, edition.name, name, note)]
