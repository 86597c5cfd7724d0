"""The edition a build belongs to, passed in by tools/build_site.py through the environment.

    LUOHE_EDITION           the edition's name (e.g. 2024); unset for unpublished builds
    LUOHE_DATA_COMMIT       the commit of data/ the build was made from, or "uncommitted"
    LUOHE_PREVIOUS_DATA     a folder holding the previous edition's data/ (for the changelog)
    LUOHE_PREVIOUS_EDITION  the previous edition's name

`extra()` is what the footer shows (config.extra); `pages()` adds the edition's
changelog page when the build is an edition.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from . import changelog
from .load import Dataset, read
from .pages import Page
from .problems import DataError


def extra(env: Mapping[str, str]) -> dict:
    return {
        "edition": env.get("LUOHE_EDITION") or None,
        "data_commit": env.get("LUOHE_DATA_COMMIT") or None,
        "changelog": bool(env.get("LUOHE_EDITION")),
    }


def pages(ds: Dataset, audience: str, env: Mapping[str, str]) -> list[Page]:
    edition = env.get("LUOHE_EDITION")
    if not edition:
        return []
    previous, name, note = None, env.get("LUOHE_PREVIOUS_EDITION") or None, None
    if env.get("LUOHE_PREVIOUS_DATA"):
        try:
            previous = read(Path(env["LUOHE_PREVIOUS_DATA"]))
        except DataError:
            note = f"上一版本 {name} 的数据无法按当前的数据格式读取,未能逐条对比。"
    elif name:
        note = f"上一版本 {name} 不是由已提交的数据构建的,无法逐条对比。"
    found = changelog.changes(previous, ds, audience) if previous is not None else None
    return [changelog.page(found, audience, edition, name, note)]
