"""The text of a rule: its lines, its articles (第N条) and its citations of other rules.

Pure functions shared by the rule pages (generators/pages/rules*.py) and the
cross-record checks (generators/checks.py).

A text is one paragraph per line. A line starting with 第N条 is article N and gets
the anchor ``art-N``; any other line is a paragraph with the anchor ``p-K`` (its
position). A citation of another rule is either its exact title in 《》 or its id
(``rule-…``) written in the text, optionally followed by 第N条 to point at one
article. Titles in 《》 that match no rule are left alone unless they start with
漯河市 (then checks.py reports them), so 《中国共产党巡视工作条例》 stays plain text.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

_NUMERAL = "一二三四五六七八九十百零〇"
_ARTICLE = re.compile(rf"^第([{_NUMERAL}]+)条")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# 《title》, or an id-like token bounded by non-id characters; then an optional 第N条
_CITATION = re.compile(
    r"《(?P<title>[^《》\n]+)》|(?<![A-Za-z0-9_-])(?P<id>[a-z0-9][a-z0-9-]*[a-z0-9])(?![A-Za-z0-9_-])")
_CITED_ARTICLE = re.compile(rf"\s*第([{_NUMERAL}]+)条")
# titles of Luohe rules: a 《》 citation starting with this must name a known rule
LOCAL_PREFIX = "漯河市"
# an id-like token starting with this must be a known rule id
ID_PREFIX = "rule-"
# pages of the rules library beside rules/<id>.md: no rule may take one of these ids
PAGE_NAMES = ("index", "in-force", "by-issuer", "by-type", "by-year", "by-status", "by-tag")


def chinese_number(text: str) -> int:
    """一 -> 1, 十二 -> 12, 二十三 -> 23, 一百零五 -> 105."""
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _DIGITS[ch]
    return total + current


_MENTION = re.compile(rf"第([{_NUMERAL}]+)条")


def mentions(text: str) -> list[tuple[int, int, int]]:
    """(start, end, N) of each 第N条 in a plain text, such as a curriculum step's note."""
    return [(m.start(), m.end(), chinese_number(m.group(1))) for m in _MENTION.finditer(text)]


def numeral(n: int) -> str:
    """1 -> 一, 12 -> 十二, 23 -> 二十三: the inverse of chinese_number below 100."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else digits[tens]}十{digits[ones] if ones else ''}"


def lines(text: str) -> list[str]:
    """The non-blank lines of a text, stripped: the unit of articles and of diffs."""
    return [x.strip() for x in text.splitlines() if x.strip()]


@dataclass(frozen=True)
class Article:
    anchor: str  # art-N for article N, p-K for the K-th line otherwise
    number: int | None  # N of 第N条, None for a plain paragraph
    label: str | None  # "第N条" as written
    body: str  # the line without its label
    line: str  # the whole line


def articles(text: str) -> list[Article]:
    out = []
    for k, line in enumerate(lines(text)):
        m = _ARTICLE.match(line)
        if m:
            n = chinese_number(m.group(1))
            out.append(Article(f"art-{n}", n, m.group(0), line[m.end():].strip(), line))
        else:
            out.append(Article(f"p-{k + 1}", None, None, line, line))
    return out


def article_numbers(text: str) -> list[int]:
    return [a.number for a in articles(text) if a.number is not None]


def body_key(line: str) -> str:
    """A line without its article number: renumbered articles compare equal."""
    return _ARTICLE.sub("", line, count=1).strip()


@dataclass(frozen=True)
class Citation:
    start: int  # span in the line, a following 第N条 included
    end: int
    text: str  # as written
    title: str | None  # the text inside 《》, for a citation by title
    token: str | None  # the id as written, for a citation by id
    rule_id: str | None  # the rule cited, None when it matches no rule
    article: int | None  # N of a following 第N条

    @property
    def local(self) -> bool:
        """Whether an unresolved citation must name a known rule (an error if not)."""
        if self.title is not None:
            return self.title.startswith(LOCAL_PREFIX)
        return self.token is not None and self.token.startswith(ID_PREFIX)


def citations(line: str, titles: dict[str, str], ids: Container[str]) -> list[Citation]:
    """Citations in one line: every 《title》, and every id-like token that is a rule id
    or starts with ``rule-``. ``titles`` maps exact titles to rule ids."""
    out = []
    for m in _CITATION.finditer(line):
        title, token = m.group("title"), m.group("id")
        if token is not None and token not in ids and not token.startswith(ID_PREFIX):
            continue  # a date, a number, a Latin word: not a citation
        rule_id = titles.get(title) if title is not None else (token if token in ids else None)
        end, article = m.end(), None
        follow = _CITED_ARTICLE.match(line, end)
        if follow and rule_id is not None:
            end, article = follow.end(), chinese_number(follow.group(1))
        out.append(Citation(m.start(), end, line[m.start():end], title, token, rule_id, article))
    return out
