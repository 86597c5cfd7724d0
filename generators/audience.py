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


# Raw deflate (no zlib header or checksum), so that texts compressed apart (`packed`) can be
# joined into one page's bytes: each ends on a byte with the compressor's state reset (a full
# flush), and the page's last part marks the end (PageWriter.page).
_WBITS = -15
_LEVEL = 1


def packed(text: str) -> bytes:
    """`text` compressed on its own, to be written into pages with `PageWriter.write_packed`
    (kept between the rebuilds of a preview: an inspection's open-data lines)."""
    packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS)
    return packer.compress(text.encode("utf-8")) + packer.flush(zlib.Z_FULL_FLUSH)


@dataclass(frozen=True, eq=False, init=False)
class Page:
    """One page of a build: `Page(path, markdown, audience)`, its text read back as `.markdown`.

    The text is held compressed (raw deflate, level 1), in a build and in the live preview alike
    (which compares the compressed bytes: a page made again the same way from the same text has
    the same bytes): a build's pages are about 1 GiB of text at x100 held at once, and
    compressed about a tenth of that (issue #18's memory goal)."""

    path: str  # relative to the docs root, '/'-separated; .md pages, or data files (.csv, .json, .xml)
    text: bytes  # the Markdown of a .md page, or the text of a data file, compressed
    audience: str  # "public" or "internal": the build it was generated for

    def __init__(self, path: str, markdown: str, audience: str):
        self._set(path, zlib.compress(markdown.encode("utf-8"), _LEVEL, _WBITS), audience)

    def _set(self, path: str, text: bytes, audience: str) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "audience", audience)

    @property
    def markdown(self) -> str:
        return self.encoded.decode("utf-8")

    @property
    def encoded(self) -> bytes:
        """The text as UTF-8, to write it (no string of it is made)."""
        return zlib.decompress(self.text, _WBITS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Page):
            return NotImplemented
        if (self.path, self.audience) != (other.path, other.audience):
            return False
        # the same text compressed in other parts gives other bytes
        return self.text == other.text or self.encoded == other.encoded

    def __hash__(self) -> int:
        return hash((self.path, self.audience))


class PageWriter:
    """A page written part by part (`write`, or `write_packed` for a part compressed before),
    then made (`page`); its parts are compressed as they come, a batch of BATCH characters at a
    time, so the whole text is never held (the open data's files: the items' CSV and JSON are
    0.3 GiB of text at x100)."""

    BATCH = 1 << 16  # zlib's output does not depend on how its input is cut; a call per line cost 0.1 s at x10

    def __init__(self, path: str, audience: str):
        self.path, self.audience = path, audience
        self.parts: list[bytes] = []
        self.batch: list[str] = []
        self.size = 0
        self.flushed = True  # nothing compressed by `packer` since its state was last reset
        self.packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS)  # alone: the bytes of Page(path, whole)

    def write(self, text: str) -> None:
        self.batch.append(text)
        self.size += len(text)
        if self.size >= self.BATCH:
            self._pack()

    def write_packed(self, part: bytes) -> None:
        """Write a text compressed by `packed`, as it is."""
        self._pack()
        if not self.flushed:
            self.parts.append(self.packer.flush(zlib.Z_FULL_FLUSH))
            self.flushed = True
        self.parts.append(part)

    def _pack(self) -> None:
        if self.batch:
            self.parts.append(self.packer.compress("".join(self.batch).encode("utf-8")))
            self.batch, self.size, self.flushed = [], 0, False

    def page(self) -> Page:
        self._pack()
        page = Page.__new__(Page)
        page._set(self.path, b"".join([*self.parts, self.packer.flush()]), self.audience)
        return page


def by_path(page: Page) -> str:
    """The key pages are sorted by (a build's paths are unique)."""
    return page.path


def visible(record: Record, audience: str) -> bool:
    """Whether a record may appear in the given build (fail closed: unknown is internal)."""
    return audience == "internal" or record.is_public
