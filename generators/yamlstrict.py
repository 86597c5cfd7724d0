"""A strict YAML reader that keeps every value's line and column.

PyYAML's safe_load follows YAML 1.1: it silently keeps the last of two duplicate
keys, turns `no`/`on` into booleans, `010` into 8 and `2024-02-30` into an error
far from its line. This reader composes the node tree with no implicit type
resolution and types plain scalars itself, YAML 1.2 style:

- `true`/`false` are booleans; `null`, `~` and empty are None;
- `0`, `12`, `-3` are integers; `1.5` and `3650.40` are decimals with the digits written
  (`decimal.Decimal`, never a binary float); `010` stays the string "010";
- `yes`/`no`/`on`/`off`/`y`/`n` (any case) are an error: quote them or use true/false;
- everything else, dates included, is the exact string written.

Tags (`!!python/...`, `!custom`), duplicate keys, empty and multi-document files
are errors. Positions are 1-based.

Hostile input (README, "Reliability") is refused with its place, never expanded:
anchors and aliases (`&a`, `*a`: an alias bomb of a few KB expands to gigabytes),
nesting deeper than MAX_DEPTH (Python's recursion and libyaml's C stack have limits),
and, in every string (values and keys), C0/C1 control characters other than tab and
newline and the bidi overrides U+202A-U+202E, U+2066-U+2069, which make a text read
other than it is. A control character written raw, and one PyYAML will not read, is
reported at its own line and column.
"""

from __future__ import annotations

import re
import sys
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

import yaml

from .gcpause import paused_gc
from .problems import Problem, format_path

_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(0|[1-9][0-9]*)\.[0-9]+$")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
_NULLS = {"", "~", "null", "Null", "NULL"}
_PLAIN_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}

# The deepest nesting a file may have (the data's own is under 10).
MAX_DEPTH = 20
# Above this bound the tree is not composed at all before the events were read
# (iteratively): libyaml's composer recurses in C and crashes the process some 20,000
# levels down; PyYAML's own runs out of Python's recursion at a few hundred.
_SCAN_DEPTH = 1000
# C0 and C1 controls other than tab and newline, and the bidi overrides and isolates
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# the same, as written raw in a file: CR and NEL are line breaks there, which PyYAML
# turns into newlines before any string is made
_REFUSED_RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
_DEEP_BLOCK = re.compile(rf"(?m)^[ \t\-?:]{{{_SCAN_DEPTH // 4}}}")
_MAX_LISTED = 20  # anchors and aliases listed per file; the rest are counted


def refused_character(text: str) -> str | None:
    """Why `text` may not be data (a control character or a bidi override), or None."""
    found = _REFUSED.search(text)
    if found is None:
        return None
    char = found.group()
    code = f"U+{ord(char):04X}"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"含有改变文字方向的字符 {code},它会让文字显示得与实际内容不同;请删去"
    return f"含有看不见的控制字符 {code}(第 {found.start() + 1} 个字符),它会损坏网页和下载文件;请删去"


class _Resolver(yaml.resolver.BaseResolver):
    """Resolves nothing implicitly: every plain scalar is tagged str."""

    _DEFAULT_TAGS = {
        yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
        yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
        yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    }

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool] | None) -> str:
        # what BaseResolver.resolve returns with no implicit or path resolvers, without
        # its lookups: it is called once per node (millions of times on large files)
        return self._DEFAULT_TAGS[kind]


class _Loader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _Resolver,
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)


_FastLoader: type[_Loader | _LibyamlLoader]
try:  # libyaml: the same nodes and marks, many times faster
    from yaml._yaml import CParser  # what yaml.cyaml imports (the stubs do not re-export it from there)
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = _Loader
else:

    class _LibyamlLoader(CParser, _Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Resolver.__init__(self)

    _FastLoader = _LibyamlLoader


Path = tuple


@dataclass
class Parsed:
    """A file's Python value, with the position of every value and key in it.

    The positions (a path tuple per value) take several times the memory of the value
    and are needed only to report a problem, so they are found when first asked for,
    by parsing `text` again. Once the records are validated the loader drops `value`."""

    value: object = None
    text: str | bytes | None = field(default=None, repr=False)  # bytes: the file's UTF-8, compressed (pack)
    _positions: dict[Path, tuple[int, int]] | None = field(default=None, repr=False)
    _key_positions: dict[Path, tuple[int, int]] | None = field(default=None, repr=False)

    @property
    def positions(self) -> dict[Path, tuple[int, int]]:
        return self._locate()[0]

    @property
    def key_positions(self) -> dict[Path, tuple[int, int]]:
        return self._locate()[1]

    def _locate(self) -> tuple[dict[Path, tuple[int, int]], dict[Path, tuple[int, int]]]:
        if self._positions is None or self._key_positions is None:
            converter = _Converter("", "", record=True)
            text = as_read(zlib.decompress(self.text)) if isinstance(self.text, bytes) else self.text
            nodes = [n for n in _compose(text) if n is not None] if text else []
            if nodes:
                converter.convert(nodes[0], ())
            self._positions, self._key_positions, self.text = converter.positions, converter.key_positions, None
        return self._positions, self._key_positions

    def pack(self) -> None:
        """Hold the text compressed until positions are asked for: a build that finds no
        problem never asks, and the texts are 0.2 GiB at x100."""
        if isinstance(self.text, str):
            self.text = zlib.compress(self.text.encode("utf-8"), 1)

    def where(self, path: Path, key: bool = False) -> tuple[int, int]:
        """Position of `path`, or of its nearest ancestor that exists."""
        table = self.key_positions if key else self.positions
        while path:
            if path in table:
                return table[path]
            if not key and path in self.key_positions:
                return self.key_positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Converter:
    def __init__(self, display: str, stem: str, record: bool = False, check_text: bool = True) -> None:
        self.display = display
        self.stem = stem
        self.record = record  # keep every position (Parsed._locate), or only report problems
        self.check_text = check_text  # refuse control characters and bidi overrides in strings
        self.positions: dict[Path, tuple[int, int]] = {}
        self.key_positions: dict[Path, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def error(self, node: yaml.Node, path: Path, message: str) -> None:
        line, col = _mark(node)
        self.problems.append(Problem(self.display, line, col, format_path(self.stem, path), message))

    def convert(self, node: yaml.Node, path: Path) -> Any:
        if self.record:
            self.positions[path] = _mark(node)
        if node.tag not in _PLAIN_TAGS:
            self.error(node, path, f"不允许使用 YAML 标签 '{node.tag}'")
            return None
        if not isinstance(node, yaml.ScalarNode) and len(path) >= MAX_DEPTH:
            self.error(node, path, _TOO_DEEP)
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(child, path + (i,)) for i, child in enumerate(node.value)]
        return self._scalar(cast(yaml.ScalarNode, node), path)  # the third kind of node

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        out: dict = {}
        first_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                self.error(key_node, path, "字段名必须是普通文本")
                continue
            key = key_node.value
            if key == "<<":
                self.error(key_node, path, "不支持 YAML 合并键 '<<',请把字段逐一写出")
                continue
            why = refused_character(key) if self.check_text else None
            if why:
                self.error(key_node, path, f"字段名{why}")
                continue
            if key in out:
                self.error(
                    key_node, path + (key,), f"字段 '{key}' 重复(第一次出现在第 {first_lines[key]} 行);请删去其中一个"
                )
                continue
            first_lines[key] = key_node.start_mark.line + 1
            if self.record:
                self.key_positions[path + (key,)] = _mark(key_node)
            out[key] = self.convert(value_node, path + (key,))
        return out

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> object:
        text = node.value
        why = refused_character(text) if self.check_text else None
        if why:
            self.error(node, path, why)
            return None
        if node.style:  # quoted or block scalar: always the exact text (plain: None, or '' from libyaml)
            return _shared(text)
        value = _plain(text)
        if value is _AMBIGUOUS:
            self.error(
                node,
                path,
                f"'{text}' 有歧义(YAML 1.1 会把它当作真假值):文字请加引号写成 \"{text}\",真假值请写 true 或 false",
            )
            return None
        return _shared(value)


_AMBIGUOUS = object()
_TOO_DEEP = f"嵌套超过 {MAX_DEPTH} 层;数据用不到这么深的结构,请检查缩进和括号"
_NUMBER_START = frozenset("+-0123456789")


SHARED_CHARS = 24  # ids, codes, statuses, categories, units, dates: not a description


def _shared(value: object) -> object:
    """A short text as one object wherever it is written (sys.intern): the records refer to the
    same ids, statuses, categories and dates thousands of times, and under the live preview
    they are held for as long as it runs (at x100, 0.2 GiB less; Python 3.12 never frees an
    interned string, which costs a long preview only the few short texts an office types). Anything
    else as it is."""
    return sys.intern(value) if type(value) is str and len(value) <= SHARED_CHARS else value


def _plain(text: str) -> object:
    """The value of a plain (unquoted) scalar, YAML 1.2 style, or _AMBIGUOUS."""
    if text in _NULLS:
        return None
    if text in ("true", "false"):
        return text == "true"
    if text[0] in _NUMBER_START:
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return Decimal(text)  # the published digits: 3650.40 keeps its trailing zero
        return text
    lower = text.lower()
    if lower in _YAML11_BOOLS or lower in ("true", "false"):
        return _AMBIGUOUS
    return text


class _Problem(Exception):
    """Raised by _fast at the first node with a problem: _Converter then finds them all."""


_STR_TAG, _MAPPING, _SEQUENCE, _SCALAR = "tag:yaml.org,2002:str", yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode


def _fast(node: Any, depth: int = 0) -> Any:
    """A node's value when nothing in it is a problem, as _Converter would give it, without
    keeping paths: most files have no problem, and this is about twice as fast. It does not
    look into strings: _parse sends a file whose text could hold a refused character to
    _Converter instead.

    `node` is a yaml.Node; typed Any because it is told apart by its exact type once
    (`kind is _SCALAR`, faster than isinstance on millions of nodes), which mypy does not follow."""
    kind = type(node)
    if kind is _SCALAR:
        if node.tag != _STR_TAG:
            raise _Problem
        if node.style:
            return _shared(node.value)
        value = _plain(node.value)
        if value is _AMBIGUOUS:
            raise _Problem
        return _shared(value)
    if node.tag not in _PLAIN_TAGS or depth >= MAX_DEPTH:
        raise _Problem
    depth += 1
    if kind is _SEQUENCE:
        return [_fast(child, depth) for child in node.value]
    out: dict = {}
    for key_node, value_node in node.value:
        if type(key_node) is not _SCALAR or key_node.tag != _STR_TAG:
            raise _Problem
        key = key_node.value
        if key == "<<" or key in out:
            raise _Problem
        out[key] = _fast(value_node, depth)
    return out


def parse(text: str, display: str, stem: str) -> tuple[Parsed, list[Problem]]:
    """Parse one YAML document; return its value with positions, and its problems."""
    # libyaml parses first; on any error the pure-Python parser runs again so the
    # messages stay exactly PyYAML's.
    with paused_gc():
        return _parse(text, display, stem)


# a line at column 0 that is not a record's start, a comment or blank: the first line, and any
# other found by its newline (a literal the regex engine scans for: 6x faster than ^ with re.M)
_COLUMN_ZERO_FIRST = re.compile(rb"(?![ \t#\r\n]|- |$)")
_COLUMN_ZERO = re.compile(rb"\n(?![ \t#\r\n]|- |$)")
_NEW = object()


def parse_records(data: bytes, display: str, stem: str, kept: Mapping[int, object]) -> tuple[Parsed, list[Problem], list[int]]:
    """parse() of a file's bytes, record by record: a file that is a list of records at column 0
    is parsed one record at a time (every load does this: libyaml holds one record's node tree,
    and no string of the whole file is made), and a record whose bytes' hash (`record_key`) is
    in `kept` is not decoded nor parsed again: its kept object stands in its place in the value
    (the live preview keeps each record's validated model this way, not its text nor its parse).
    The third value is each record's hash, in order; the text is held compressed. The value
    is the same as parse() of the text gives (with `kept` holding parses); if anything about the
    file or a record is not plain (a problem, a line at column 0 that is neither a record's
    start, a comment nor blank), the whole file is parsed as parse() does, so problems are
    found and placed exactly as there, and no hash is given. Raises UnicodeDecodeError (its
    place in `data`) for bytes that are not UTF-8."""
    starts = _record_starts(data)
    if not starts or not _newlines_only(data) or _COLUMN_ZERO_FIRST.match(data) or _COLUMN_ZERO.search(data):
        parsed, found = parse(as_read(data), display, stem)
        return parsed, found, []
    bounds = [0, *starts[1:], len(data)]
    values, keys = [], []
    for begin, end in zip(bounds, bounds[1:], strict=False):
        chunk = data[begin:end]
        key = record_key(chunk)
        value = kept.get(key, _NEW)
        if value is _NEW:
            try:
                text = as_read(chunk)
            except UnicodeDecodeError as exc:
                raise UnicodeDecodeError("utf-8", data, begin + exc.start, begin + exc.end, exc.reason) from None
            one, found = parse(text, display, stem)
            if found or not isinstance(one.value, list) or len(one.value) != 1:
                parsed, found = parse(as_read(data), display, stem)
                return parsed, found, []
            value = one.value[0]
        keys.append(key)
        values.append(value)
    return Parsed(value=values, text=zlib.compress(data, 1)), [], keys


def _newlines_only(data: bytes) -> bool:
    """Whether every line break is LF or CRLF: YAML's others (a CR alone, NEL, U+2028, U+2029)
    would start lines the column-0 check, which looks after LF, does not see."""
    cr = data.count(b"\r")
    return (not cr or cr == data.count(b"\r\n")) and not any(b in data for b in _OTHER_BREAKS)


_OTHER_BREAKS = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")


def as_read(data: bytes) -> str:
    """A file's bytes as text, as Python's text files read it: UTF-8, every line end (CRLF,
    saved by Windows editors, or CR) a newline."""
    text = data.decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def record_key(data: bytes) -> int:
    """A record's bytes as Python's 64-bit hash of them: what the live preview keeps to know the
    record unchanged (the text itself would double the memory the data take). Keyed afresh in
    each process (SipHash), so two texts that collide cannot be made on purpose, and kept in the
    process only; by chance, two of a million records collide once in 10^7 processes. Three
    times faster than a 128-bit BLAKE2 (0.03 s for the items of x10 data, on every save)."""
    return hash(data)


def _record_starts(data: bytes) -> list[int]:
    """Where each line starting with '- ' (a record at column 0) starts."""
    starts = [0] if data.startswith(b"- ") else []
    at = data.find(b"\n- ")
    while at != -1:
        starts.append(at + 1)
        at = data.find(b"\n- ", at + 1)
    return starts


def _compose(text: str) -> list[yaml.Node | None]:
    # the stubs accept only PyYAML's own loader classes; compose_all takes any loader class
    try:
        return list(yaml.compose_all(text, Loader=_FastLoader))  # type: ignore[arg-type]
    except yaml.YAMLError:
        return list(yaml.compose_all(text, Loader=_Loader))  # type: ignore[arg-type]


def _parse(text: str, display: str, stem: str) -> tuple[Parsed, list[Problem]]:
    if "&" in text or "*" in text or _may_be_deep(text):
        found = _scan(text, display, stem)
        if found:
            return Parsed(), found
    try:
        composed = _compose(text)
    except RecursionError:  # PyYAML's composer (after libyaml found a syntax error) on deep nesting
        return Parsed(), _scan(text, display, stem, _Loader) or [Problem(display, 1, 1, stem, _TOO_DEEP)]
    except yaml.YAMLError as exc:
        return Parsed(), [_yaml_problem(exc, text, display, stem)]
    nodes = [n for n in composed if n is not None]
    if not nodes:
        return Parsed(), [Problem(display, 1, 1, stem, "文件是空的")]
    if len(nodes) > 1:
        line, col = _mark(nodes[1])
        return Parsed(), [Problem(display, line, col, stem, "一个文件只能有一个 YAML 文档(请删去 '---' 分隔的其余部分)")]
    # a refused character can be in a string only if written raw or as a "\\x01"-style escape
    check_text = _REFUSED_RAW.search(text) is not None or ("\\" in text and '"' in text)
    if not check_text:
        try:
            return Parsed(value=_fast(nodes[0]), text=text), []
        except _Problem:
            pass
    converter = _Converter(display, stem)
    value = converter.convert(nodes[0], ())
    return Parsed(value=value, text=text), converter.problems


def _may_be_deep(text: str) -> bool:
    """Whether the nesting could be deeper than _SCAN_DEPTH: a bound from the text alone.
    Flow collections nest no deeper than there are `[` and `{` that are not an empty `[]` or
    `{}` (plus one); a block collection starts deeper than its parent, or at the same column
    once (a list under a key), and only after indentation and `- `, `? `, `: ` indicators."""
    flow = text.count("[") - text.count("[]") + text.count("{") - text.count("{}") + 1
    return flow > _SCAN_DEPTH // 2 or _DEEP_BLOCK.search(text) is not None


def _yaml_problem(exc: yaml.YAMLError, text: str, display: str, stem: str) -> Problem:
    if isinstance(exc, yaml.reader.ReaderError):  # a character PyYAML does not read, at its place
        before = text[:exc.position]
        line, col = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return Problem(display, line, col, stem, f"含有 YAML 文件不能有的字符 U+{char:04X}(控制字符或不可打印字符);请删去")
    if isinstance(exc, yaml.MarkedYAMLError):
        line, col, message = _syntax(exc, text)
        return Problem(display, line, col, stem, f"YAML 格式错误:{message}")
    return Problem(display, 1, 1, stem, f"YAML 无法读取:{exc}")


# PyYAML's problems, in the words an editor understands (anything else: the generic message)
_SYNTAX = {
    "could not find expected ':'": "这一行缺少冒号,或冒号写成了全角的“\uff1a”",
    "mapping values are not allowed here": "冒号用得不对:值里含有“: ”时请给整个值加引号",
    "found unexpected end of stream": "文件在引号或括号还没有闭合时就结束了",
    "found character '\t' that cannot start any token": "这里有制表符(Tab):缩进只能用空格",
    "found a tab character that violates indentation": "这里有制表符(Tab):缩进只能用空格",
    "expected <block end>, but found '<block mapping start>'": "缩进不一致:同一条记录的字段要对齐",
    "expected <block end>, but found '-'": "缩进不一致:列表项“- ”要和同级的对齐",
    "did not find expected key": "缩进不一致,或上一行的引号没有闭合",
    "did not find expected '-' indicator": "列表项缩进不一致",
    "found undefined alias": "“*”开头的内容会被当作 YAML 别名:请给这个值加引号",
}


def _syntax(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """Where a syntax error really is, and its usual cause in plain Chinese. PyYAML often
    notices a mistake on the line after it (a missing or full-width colon, an unclosed
    quote), so the lines from where the failing construct began are searched for the usual
    causes, and the error is placed on the line that has one."""
    problem, context = exc.problem_mark, exc.context_mark
    first = problem or context
    line = first.line if first is not None else 0
    start = context.line if context is not None and context.line <= line else max(0, line - 1)
    lines = text.splitlines()
    for n in range(start, min(line, len(lines) - 1) + 1):
        src = lines[n] if n < len(lines) else ""
        if "\t" in src:
            return n + 1, src.index("\t") + 1, "这里有制表符(Tab):缩进只能用空格"
        if "\uff1a" in src.split(": ", 1)[0].split("#")[0]:  # a full-width colon (：) typed where the key's colon goes
            return n + 1, src.index("\uff1a") + 1, "冒号写成了全角的“\uff1a”,请改为半角冒号加空格“: ”"
        key = re.match(r"^(\s*-?\s*)([A-Za-z_][\w-]*):(\S)", src)
        if key and not src.strip().startswith(("#", "'", '"')):
            return n + 1, len(key.group(1)) + len(key.group(2)) + 1, f"“{key.group(2)}:”后面缺少空格"
        body = src.split(": ", 1)[-1].strip()
        if body[:1] in ("'", '"') and (len(body) < 2 or body[-1] != body[0]):
            return n + 1, src.index(body[0]) + 1, f"引号 {body[0]} 没有闭合"
        for opening, closing in (("[", "]"), ("{", "}")):
            if body.startswith(opening) and body.count(opening) > body.count(closing):
                return n + 1, src.index(opening) + 1, f"括号 {opening} 没有闭合(写在一行里的列表要以 {closing} 结束)"
    mark = problem or context
    words = _SYNTAX.get((exc.problem or "").strip(), f"无法解析(原文:{exc.problem or exc.context})")
    return (mark.line + 1, mark.column + 1, words) if mark else (1, 1, words)


def _scan(text: str, display: str, stem: str, loader: type | None = None) -> list[Problem]:
    """Anchors, aliases and nesting deeper than MAX_DEPTH, read from the events (no tree is
    built, nothing is expanded and nothing recurses), each with its place; a syntax error met
    on the way is reported too, in PyYAML's words."""
    found: list[Problem] = []
    try:
        _events(yaml.parse(text, Loader=loader or _FastLoader), found, display, stem)
    except yaml.YAMLError as exc:
        if loader is None:
            return _scan(text, display, stem, _Loader)
        found.append(_yaml_problem(exc, text, display, stem))
    return found


def _events(events: Any, found: list[Problem], display: str, stem: str) -> None:
    stack: list[list] = []  # per open collection: [is mapping, key or index of the child, awaiting a key]
    listed = 0

    def where() -> Path:
        out = []
        for i, (is_map, key, awaiting_key) in enumerate(stack):
            if is_map and awaiting_key and i == len(stack) - 1:
                break  # a key: its place is its mapping
            out.append(key)
        return tuple(out)

    def report(event: yaml.Event, message: str) -> None:
        mark = event.start_mark  # every event from a parser has its marks
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        found.append(Problem(display, line, col, format_path(stem, where()), message))

    def done(value: object) -> None:
        if stack:
            top = stack[-1]
            if not top[0]:
                top[1] += 1
            elif top[2]:
                top[1], top[2] = value if isinstance(value, str) else "?", False
            else:
                top[2] = True

    for event in events:
        if isinstance(event, yaml.AliasEvent) or (isinstance(event, yaml.NodeEvent) and event.anchor):
            listed += 1
            if listed <= _MAX_LISTED:
                if isinstance(event, yaml.AliasEvent):
                    report(event, f"不支持 YAML 别名 '*{event.anchor}'(别名会让很小的文件展开成极大的数据);请把内容直接写出")
                else:
                    report(event, f"不支持 YAML 锚点 '&{event.anchor}'(数据用不到锚点和别名);请删去它,内容直接写出")
        if isinstance(event, yaml.CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                report(event, _TOO_DEEP)
                return
            stack.append([isinstance(event, yaml.MappingStartEvent), 0, True])
            if not stack[-1][0]:
                stack[-1][2] = False
        elif isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
            done(None)
        elif isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            done(event.value if isinstance(event, yaml.ScalarEvent) else None)
    if listed > _MAX_LISTED:
        found[-1] = Problem(found[-1].file, found[-1].line, found[-1].col, found[-1].path,
                            f"{found[-1].message}(另有 {listed - _MAX_LISTED} 处锚点或别名未列出)")
