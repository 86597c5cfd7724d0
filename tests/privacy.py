"""Helpers to find internal-only values in data and to scan a built site for them."""

from __future__ import annotations

import gzip
import html
import json
from collections.abc import Iterator
from pathlib import Path

from generators.model import FILES, free_text_fields, internal_fields, nested_models

from .conftest import text_files


def walk(model, raw: dict, internal_record: bool) -> Iterator[tuple[dict, str, bool]]:
    """(dict, field, internal?) for every free-text field of a raw record, nested parts included."""
    free, hidden = set(free_text_fields(model)), set(internal_fields(model))
    for name in sorted(free):
        if isinstance(raw.get(name), str):
            yield raw, name, internal_record or name in hidden
    for name, sub in nested_models(model).items():
        if name == "backed_by":  # a query over records, not text that is shown
            continue
        value = raw.get(name)
        for part in value if isinstance(value, list) else [value]:
            if isinstance(part, dict):
                yield from walk(sub, part, internal_record)


def records(data: dict[str, list]) -> Iterator[tuple[type, dict]]:
    for stem, model in FILES.items():
        for raw in data.get(stem) or []:
            yield model, raw


def normalised(path: Path) -> str:
    """A file's text as a reader would see it: entities decoded, JSON unescaped, no segmentation marks."""
    if path.suffix.startswith(".pf_"):  # Pagefind's index and fragments: gzipped, then text and JSON
        text = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
    else:
        text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json":
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return html.unescape(text).replace("\u200b", "")


def hits(site: Path, needles: list[str]) -> list[tuple[str, str]]:
    found = []
    for path in text_files(site):
        text = normalised(path)
        found.extend((str(path.relative_to(site)), n) for n in needles if n in text)
    return found
