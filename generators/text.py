"""Escaping data text for the two places it goes: Markdown bodies and page titles.

Data is edited by people, so any text field may hold `<script>` or Markdown syntax.
`md()` backslash-escapes every ASCII punctuation character; the `pymdownx.escapeall`
extension (enabled in mkdocs.yml) turns each escape back into the literal character,
`\\<` into `&lt;`, so nothing in data can open a tag, a link or an emphasis.
Titles go into front matter, and Material prints `page.meta.title` into `<title>`
without escaping, so `title()` swaps the HTML-special characters for their full-width
forms, which read the same in Chinese text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from markupsafe import Markup

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
# the same escapes as _PUNCT.sub(r"\\\1", ...), as one str.translate (several times faster)
_ESCAPES = str.maketrans({c: "\\" + c for c in map(chr, range(0x21, 0x7F)) if _PUNCT.fullmatch(c)})
# Markup(s) of a plain str is str.__new__(Markup, s); skipping Markup.__new__'s checks
# matters at a few million values per build
_markup = functools.partial(str.__new__, Markup)
_TITLE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇", "`": "｀"})


def md(value: object) -> Markup:
    """Escape a data value for inline Markdown. Markup values pass through."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    text = " ".join(str(value).split())  # one line: no block syntax, no indented code
    return _markup(text.translate(_ESCAPES))


def paragraphs(value: object) -> Markup:
    """Escape multi-line data text, keeping blank-line paragraph breaks."""
    if value is None:
        return Markup("")
    parts = [p for p in re.split(r"\n\s*\n", str(value)) if p.strip()]
    return Markup("\n\n".join(md(p) for p in parts))


_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 25 -> 二十五 (how a round is numbered in a notice)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")) + (_DIGITS[ones] if ones else "")


def date(value: dt.date | None) -> Markup:
    """A date as YYYY-MM-DD, or — for none (digits and hyphens: nothing to escape)."""
    return Markup(value.isoformat()) if value else Markup("—")


def date_zh(value: dt.date | None) -> Markup:
    """A date as a citizen reads it in prose: 2024年12月31日 (no leading zeros), or — for none."""
    return Markup(f"{value.year}年{value.month}月{value.day}日") if value else Markup("—")


_TEL = re.compile(r"\+?[0-9][0-9 ()-]{1,30}[0-9]")
_MAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")


def tel_href(phone: object) -> str | None:
    """The tel: address of a plain phone number (digits and + only), or None for anything else."""
    shown = " ".join(str(phone or "").split())
    return "tel:" + re.sub(r"[^0-9+]", "", shown) if _TEL.fullmatch(shown) else None


def mail_href(address: object) -> str | None:
    """The mailto: address of a plain e-mail address, or None for anything else."""
    shown = str(address or "").strip()
    return "mailto:" + shown if _MAIL.fullmatch(shown) else None


def tel(phone: object) -> Markup:
    """A phone number as a tap-to-call Markdown link; anything that is not a plain number stays text."""
    href = tel_href(phone)
    return _markup(f"[{md(phone)}]({href})") if href else md(phone)


def mailto(address: object) -> Markup:
    """An e-mail address as a mailto: Markdown link; anything that is not a plain address stays text."""
    href = mail_href(address)
    return _markup(f"[{md(address)}]({href})") if href else md(address)


def title(value: object) -> str:
    """A page or nav title from data, safe in unescaped HTML and attributes."""
    return " ".join(str(value).translate(_TITLE).split())


def cell(value: object) -> Markup:
    """Escape a value for a Markdown table cell."""
    return md(value)
