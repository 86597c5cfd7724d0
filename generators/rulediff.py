"""Article-by-article difference between two versions of a rule's text (pure, difflib).

Lines (articles) are aligned on their text without the article number, so an
article that was only renumbered (第七条 -> 第八条) pairs with itself; lines of a
replaced block pair up when similar enough, the rest are added or removed. A
changed line carries a character-level diff: fragments ("equal" | "delete" |
"insert", text), with short equal islands folded into the change around them
so Chinese text reads as whole phrases. Joining the equal and delete fragments
of every entry gives back the old text; equal and insert, the new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from .ruletext import body_key, lines

Kind = Literal["same", "renumbered", "changed", "added", "removed"]
Op = Literal["equal", "delete", "insert"]
PAIR_RATIO = 0.4  # lines of a replaced block at least this similar are one changed article
ISLAND = 2  # equal runs this short between two changes are folded into the change


@dataclass(frozen=True)
class Change:
    kind: Kind
    old: str | None  # the old line (None if added)
    new: str | None  # the new line (None if removed)
    fragments: tuple[tuple[Op, str], ...]


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def fragments(old: str, new: str) -> tuple[tuple[Op, str], ...]:
    """Character-level diff of one line, equal islands of <= ISLAND characters folded."""
    raw: list[tuple[Op, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            raw.append(("equal", old[i1:i2]))
        else:
            if i2 > i1:
                raw.append(("delete", old[i1:i2]))
            if j2 > j1:
                raw.append(("insert", new[j1:j2]))
    out: list[tuple[Op, str]] = []
    deleted, inserted = "", ""
    for k, (op, text) in enumerate(raw):
        inside = 0 < k < len(raw) - 1 and raw[k - 1][0] != "equal" and raw[k + 1][0] != "equal"
        if op == "equal" and not (inside and len(text) <= ISLAND):
            if deleted:
                out.append(("delete", deleted))
            if inserted:
                out.append(("insert", inserted))
            deleted, inserted = "", ""
            out.append(("equal", text))
        else:
            if op != "insert":
                deleted += text
            if op != "delete":
                inserted += text
    if deleted:
        out.append(("delete", deleted))
    if inserted:
        out.append(("insert", inserted))
    return tuple(out)


def _added(new: str) -> Change:
    return Change("added", None, new, (("insert", new),))


def _removed(old: str) -> Change:
    return Change("removed", old, None, (("delete", old),))


def _paired(old: str, new: str) -> Change:
    """An old line and the new line it became: the same, renumbered or changed."""
    if old == new:
        return Change("same", old, new, (("equal", old),))
    kind: Kind = "renumbered" if body_key(old) == body_key(new) else "changed"
    return Change(kind, old, new, fragments(old, new))


def _replaced(old: list[str], new: list[str]) -> list[Change]:
    """A replaced block: pair similar lines in order, the others are removed or added."""
    pairs: list[tuple[int, int]] = []
    last = -1
    for i, line in enumerate(old):
        best, score = None, PAIR_RATIO
        for j in range(last + 1, len(new)):
            r = _ratio(body_key(line), body_key(new[j]))
            if r >= score and (best is None or r > score):
                best, score = j, r
        if best is not None:
            pairs.append((i, best))
            last = best
    out: list[Change] = []
    i, j = 0, 0
    for pi, pj in pairs + [(len(old), len(new))]:
        out += [_removed(old[k]) for k in range(i, pi)]
        out += [_added(new[k]) for k in range(j, pj)]
        if pi < len(old):
            out.append(_paired(old[pi], new[pj]))
        i, j = pi + 1, pj + 1
    return out


def diff(old_text: str, new_text: str) -> list[Change]:
    """The changes from one version's text to the next, in reading order."""
    old, new = lines(old_text), lines(new_text)
    matcher = SequenceMatcher(None, [body_key(x) for x in old], [body_key(x) for x in new], autojunk=False)
    out: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += [_paired(a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True)]
        elif tag == "delete":
            out += [_removed(a) for a in old[i1:i2]]
        elif tag == "insert":
            out += [_added(b) for b in new[j1:j2]]
        else:
            out += _replaced(old[i1:i2], new[j1:j2])
    return out


def side(changes: list[Change], which: Literal["old", "new"]) -> str:
    """One side of the texts back from the fragments (the inverse of diff)."""
    keep = "delete" if which == "old" else "insert"
    return "\n".join("".join(t for op, t in c.fragments if op in ("equal", keep))
                     for c in changes if getattr(c, which) is not None)


def summary(changes: list[Change]) -> dict[Kind, int]:
    return {k: sum(c.kind == k for c in changes) for k in ("changed", "added", "removed", "renumbered", "same")}


@dataclass(frozen=True)
class Event:
    """One version's mark on an article: made (added), reworded (changed) or renumbered."""

    version: int
    kind: Kind
    old: str | None  # the line before this version (None when added)
    new: str  # the line in this version


def history(texts: list[str]) -> list[list[tuple[Event, ...]]]:
    """For each version (texts[k] is version k + 1) and each of its lines, in order, the
    versions that made or changed that line, oldest first: a line is followed back
    through the diffs between consecutive versions, renumbering included."""
    out: list[list[tuple[Event, ...]]] = [[(Event(1, "added", None, line),) for line in lines(texts[0])]] if texts else []
    for k in range(1, len(texts)):
        before, i = out[-1], 0
        now: list[tuple[Event, ...]] = []
        for c in diff(texts[k - 1], texts[k]):
            if c.new is not None:
                if c.old is None:
                    now.append((Event(k + 1, "added", None, c.new),))
                else:
                    now.append(before[i] + ((Event(k + 1, c.kind, c.old, c.new),) if c.kind != "same" else ()))
            if c.old is not None:
                i += 1
        out.append(now)
    return out


def fates(old_text: str, new_text: str) -> list[Change]:
    """What the next version does to each line of a text, in order (same, renumbered,
    changed or removed)."""
    return [c for c in diff(old_text, new_text) if c.old is not None]
