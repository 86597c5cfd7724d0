"""The two builds and what each may show: the `Page` every generator returns, and `visible()`.

The public build is the safe default: a record is in it only when it says
`audience: public`; every other record, and every field declared `internal()` in the
model, is for the internal build only (fail closed).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Literal

from .model import Record

Audience = Literal["public", "internal"]
AUDIENCES: tuple[Audience, ...] = ("public", "internal")


@dataclass(frozen=True, eq=False, init=False)
class Page:
    """One page of a build: `Page(path, markdown, audience)`, its text read back as `.markdown`.

    The text is held compressed (zlib level 1), in a build and in the live preview alike (which
    compares the compressed bytes: the same text gives the same bytes): a build's pages are
    about 1 GiB of text at x100 held at once, and compressed about a tenth of that (issue #18's
    memory goal). `pack_pages(False)` holds them as text; only the tests use it."""

    path: str  # relative to the docs root, '/'-separated; .md pages, or data files (.csv, .json, .xml)
    text: str | bytes  # the Markdown of a .md page, or the text of a data file; bytes: compressed
    audience: str  # "public" or "internal": the build it was generated for

    def __init__(self, path: str, markdown: str, audience: str):
        self._set(path, zlib.compress(markdown.encode("utf-8"), 1) if _PACKED.on else markdown, audience)

    def _set(self, path: str, text: str | bytes, audience: str) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "audience", audience)

    @property
    def markdown(self) -> str:
        text = self.text
        return text if isinstance(text, str) else zlib.decompress(text).decode("utf-8")

    @property
    def encoded(self) -> bytes:
        """The text as UTF-8, to write it (no string of it is made when it is held compressed)."""
        text = self.text
        return text.encode("utf-8") if isinstance(text, str) else zlib.decompress(text)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Page):
            return NotImplemented
        if (self.path, self.audience) != (other.path, other.audience):
            return False
        if type(self.text) is type(other.text):
            return self.text == other.text
        return self.markdown == other.markdown  # one held compressed, the other not

    def __hash__(self) -> int:
        return hash((self.path, self.audience))


class PageWriter:
    """A page written part by part (`write`), then made (`page`); its parts are compressed as they
    come, a batch of BATCH characters at a time, when texts are held compressed, so the whole
    text is never held (the open data's files: the items' CSV and JSON are 0.3 GiB of text at
    x100)."""

    BATCH = 1 << 16  # zlib's output does not depend on how its input is cut; a call per line cost 0.1 s at x10

    def __init__(self, path: str, audience: str):
        self.path, self.audience = path, audience
        self.parts: list = []
        self.batch: list[str] = []
        self.size = 0
        self.packer = zlib.compressobj(1) if _PACKED.on else None  # the same bytes as zlib.compress(whole, 1)

    def write(self, text: str) -> None:
        if self.packer is None:
            self.parts.append(text)
            return
        self.batch.append(text)
        self.size += len(text)
        if self.size >= self.BATCH:
            self._pack()

    def _pack(self) -> None:
        if self.packer is not None and self.batch:
            self.parts.append(self.packer.compress("".join(self.batch).encode("utf-8")))
            self.batch, self.size = [], 0

    def page(self) -> Page:
        page = Page.__new__(Page)
        if self.packer is None:
            page._set(self.path, "".join(self.parts), self.audience)
        else:
            self._pack()
            page._set(self.path, b"".join([*self.parts, self.packer.flush()]), self.audience)
        return page


class _Packing:
    on = True


_PACKED = _Packing()


def pack_pages(on: bool = True) -> None:
    """Hold the text of pages made from here on compressed (the default) or as it is."""
    _PACKED.on = on


def by_path(page: Page) -> str:
    """The key pages are sorted by (a build's paths are unique)."""
    return page.path


def visible(record: Record, audience: str) -> bool:
    """Whether a record may appear in the given build (fail closed: unknown is internal)."""
    return audience == "internal" or record.is_public
