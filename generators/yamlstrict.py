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
"""

from __future__ import annotations

import re
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
    text: str | None = field(default=None, repr=False)
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
            nodes = [n for n in _compose(self.text) if n is not None] if self.text else []
            if nodes:
                converter.convert(nodes[0], ())
            self._positions, self._key_positions, self.text = converter.positions, converter.key_positions, None
        return self._positions, self._key_positions

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
    def __init__(self, display: str, stem: str, record: bool = False) -> None:
        self.display = display
        self.stem = stem
        self.record = record  # keep every position (Parsed._locate), or only report problems
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
        if node.style:  # quoted or block scalar: always the exact text (plain: None, or '' from libyaml)
            return text
        value = _plain(text)
        if value is _AMBIGUOUS:
            self.error(
                node,
                path,
                f"'{text}' 有歧义(YAML 1.1 会把它当作真假值):文字请加引号写成 \"{text}\",真假值请写 true 或 false",
            )
            return None
        return value


_AMBIGUOUS = object()
_NUMBER_START = frozenset("+-0123456789")


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


def _fast(node: Any) -> Any:
    """A node's value when nothing in it is a problem, as _Converter would give it, without
    keeping paths: most files have no problem, and this is about twice as fast.

    `node` is a yaml.Node; typed Any because it is told apart by its exact type once
    (`kind is _SCALAR`, faster than isinstance on millions of nodes), which mypy does not follow."""
    kind = type(node)
    if kind is _SCALAR:
        if node.tag != _STR_TAG:
            raise _Problem
        if node.style:
            return node.value
        value = _plain(node.value)
        if value is _AMBIGUOUS:
            raise _Problem
        return value
    if node.tag not in _PLAIN_TAGS:
        raise _Problem
    if kind is _SEQUENCE:
        return [_fast(child) for child in node.value]
    out: dict = {}
    for key_node, value_node in node.value:
        if type(key_node) is not _SCALAR or key_node.tag != _STR_TAG:
            raise _Problem
        key = key_node.value
        if key == "<<" or key in out:
            raise _Problem
        out[key] = _fast(value_node)
    return out


def parse(text: str, display: str, stem: str) -> tuple[Parsed, list[Problem]]:
    """Parse one YAML document; return its value with positions, and its problems."""
    # libyaml parses first; on any error the pure-Python parser runs again so the
    # messages stay exactly PyYAML's.
    with paused_gc():
        return _parse(text, display, stem)


def _compose(text: str) -> list[yaml.Node | None]:
    # the stubs accept only PyYAML's own loader classes; compose_all takes any loader class
    try:
        return list(yaml.compose_all(text, Loader=_FastLoader))  # type: ignore[arg-type]
    except yaml.YAMLError:
        return list(yaml.compose_all(text, Loader=_Loader))  # type: ignore[arg-type]


def _parse(text: str, display: str, stem: str) -> tuple[Parsed, list[Problem]]:
    try:
        composed = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "无法解析"
        return Parsed(), [Problem(display, line, col, stem, f"YAML 语法错误:{problem}")]
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        return Parsed(), [Problem(display, 1, 1, stem, f"YAML 无法读取:{exc}")]
    nodes = [n for n in composed if n is not None]
    if not nodes:
        return Parsed(), [Problem(display, 1, 1, stem, "文件是空的")]
    if len(nodes) > 1:
        line, col = _mark(nodes[1])
        return Parsed(), [Problem(display, line, col, stem, "一个文件只能有一个 YAML 文档(请删去 '---' 分隔的其余部分)")]
    try:
        return Parsed(value=_fast(nodes[0]), text=text), []
    except _Problem:
        converter = _Converter(display, stem)
        value = converter.convert(nodes[0], ())
        return Parsed(value=value, text=text), converter.problems
