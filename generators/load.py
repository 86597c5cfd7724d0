"""Load data/: read each file strictly, validate each record with its model.

`load(data_dir)` returns a Dataset or raises DataError with every problem of
every file at once. Cross-record checks run last (generators/checks.py).
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from .checks import check
from .dataset import Dataset, display_path
from .gcpause import paused_gc
from .model import FILES, OPTIONAL_FILES, Record, nested_models
from .pagecache import forget_kept_pages
from .problems import DataError, Problem
from .yamlstrict import Parsed, parse_records

# pydantic error type -> plain Chinese for the office staff who edit data/.
_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段(是否拼写有误?)",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "float_type": "应为数字",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表(每项以 '- ' 开头)",
    "dict_type": "应为字段表(键: 值)",
    "model_type": "应为字段表(键: 值)",
    "date_type": "应为日期 YYYY-MM-DD",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "too_short": "至少需要一项",
    "literal_error": "取值不在允许范围内",
}


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind in ("value_error", "assertion_error"):
        return str(err["ctx"]["error"]) if "ctx" in err else err["msg"]
    text = _MESSAGES.get(kind, err["msg"])
    given = err.get("input")
    if kind == "literal_error":
        allowed = str(err["ctx"]["expected"]).replace(" or ", "、").replace(", ", "、")
        return f"{text}:'{given}' 不是 {allowed} 之一"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = err["ctx"].get("ge", err["ctx"].get("le"))
        return f"{text}:{given} 超出允许范围(界限 {bound})"
    if kind in ("string_type",) and isinstance(given, (int, float, Decimal)):
        return f"{text}:这里写的内容被读成了数字,请给它加上引号,例如 id: \"1.10\""
    if kind in ("missing", "extra_forbidden", "too_short"):
        return text
    if given is not None and not isinstance(given, (dict, list)):
        return f"{text}(实际为 {given if isinstance(given, Decimal) else repr(given)})"
    return text


class _Valid:
    """What the live preview keeps of a record that validated: its model, its id, a hash of its
    parsed value (`_fingerprint`) and one of its numbers' digits, not its text nor its parse."""

    __slots__ = ("record", "rid", "mark", "digits")

    def __init__(self, record: Record, rid: str | None, mark: int | None, digits: int) -> None:
        self.record, self.rid, self.mark, self.digits = record, rid, mark, digits


def _validate_records(stem: str, model: type[Record], parsed: Parsed, ds: Dataset, reuse: bool,
                      keys: list[int]) -> list[Problem]:
    problems: list[Problem] = []
    value = parsed.value
    if not isinstance(value, list):
        return [ds.problem(stem, (), "文件内容应为记录列表(每条记录以 '- ' 开头)")]
    adapter = TypeAdapter(model)
    good: list[Record] = []
    # the live preview's last load: each record that validated, by its bytes' hash (an
    # unchanged record's text stands as its _Valid in `value`: yamlstrict.parse_records) and by id
    kept = _REUSE.by_id.get(stem, {}) if reuse else {}
    digits: dict[str, int] = _REUSE.digits.setdefault(stem, {}) if reuse else {}
    chunks: dict[int, _Valid] = {}
    fresh: dict[str, _Valid] = {}
    for index, raw in enumerate(value):
        if type(raw) is _Valid:  # an unchanged record's text: not parsed nor validated again
            valid, rid = raw, raw.rid
        else:
            given = raw.get("id") if reuse and isinstance(raw, dict) else None
            rid = given if isinstance(given, str) else None
            mark = _fingerprint(raw) if reuse else None
            hit = kept.get(rid) if rid is not None else None
            if hit is not None and hit.mark == mark:
                # its text changed (a comment, quotes) but not its value: every scalar of the same
                # type and text (0 == False and 75.61 == 75.610 in Python, not on the page)
                valid = hit
            else:
                try:
                    valid = _Valid(adapter.validate_python(raw), rid, mark, hash(tuple(_digits(raw))) if reuse else 0)
                except ValidationError as exc:
                    for err in exc.errors():
                        loc = (index,) + _field_loc(model, err["loc"])
                        is_key = err["type"] == "extra_forbidden"
                        if err["type"] == "missing":
                            loc = loc[:-1]
                            message = f"缺少必填字段 '{err['loc'][-1]}'"
                        else:
                            message = _message(err)
                            loc += _named_date(err, message)
                        problems.append(ds.problem(stem, loc, message, key=is_key))
                    continue
        good.append(valid.record)
        if not reuse:
            continue
        if rid is not None:
            # the digits of the record with this id the kept pages were last made from, whichever
            # way it was found: a number written with other digits (75.61 -> 75.610) is equal as
            # a Decimal, so pages kept for the record would be reused with the old digits
            if digits.get(rid, valid.digits) != valid.digits:
                forget_kept_pages()
            digits[rid] = valid.digits  # as last validated: a save that failed in between is skipped
            fresh[rid] = valid
        if keys:
            chunks[keys[index]] = valid
    ds.records[stem] = good
    if reuse:
        _REUSE.by_id[stem], _REUSE.chunks[stem] = fresh, chunks
    return problems


def _fingerprint(value: object) -> int:
    """A parsed value as a hash of its repr, which tells every scalar's type and text apart
    (0, False, "0"; Decimal('75.61'), Decimal('75.610')); see yamlstrict.record_key."""
    return hash(repr(value))


def _digits(value) -> list[str]:
    """The text of every number in a parsed value, in order (Decimal("95.0") == Decimal("95.00"))."""
    if isinstance(value, dict):
        return [d for v in value.values() for d in _digits(v)]
    if isinstance(value, list):
        return [d for v in value for d in _digits(v)]
    return [str(value)] if isinstance(value, Decimal) else []


_DATE_TEXT = re.compile(r"\d{4}-\d{2}(-\d{2})?")


def _named_date(err: ErrorDetails, message: str) -> tuple[str, ...]:
    """The field a record's (or part's) own check is about, when its message names a date of
    it: "结束日期 2024-03-01 早于开始日期 2024-04-01" is about `end`, the first date named, so
    the problem is placed there rather than at the start of the record. () otherwise."""
    given = err.get("input")
    if err["type"] not in ("value_error", "assertion_error") or not isinstance(given, dict):
        return ()
    named = [(message.find(value), key) for key, value in given.items()
             if isinstance(key, str) and isinstance(value, str) and _DATE_TEXT.fullmatch(value) and value in message]
    return (min(named)[1],) if named else ()


def _field_loc(model: type | None, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """pydantic's loc of an error as a path of the data: the member types it adds for unions
    ('str', 'date', 'list[str]', …) dropped, but never a field of that name (a notice's or a
    revision's `date` is a field, and its problem belongs at its line)."""
    out: list[str | int] = []
    for part in loc:
        fields = getattr(model, "model_fields", None) or {}
        if isinstance(part, str) and part in fields:
            model = nested_models(model).get(part) if model is not None else None
        elif _is_union_tag(part):
            continue
        out.append(part)
    return tuple(out)


def _is_union_tag(part: str | int) -> bool:
    # pydantic adds the member type to the loc of union errors, e.g. 'str', 'list[str]'
    return isinstance(part, str) and (
        part in ("str", "int", "float", "bool", "date", "function-after[_check_id(), str]")
        or part.startswith(("list[", "function-", "lax-or-strict", "literal["))
    )


class _Reuse:
    """What a long-lived process (`mkdocs serve`, see `keep_between_loads`) keeps between loads
    of one data folder, so a rebuild after one edit parses and validates one file again, and in
    that file only the records whose text changed (found by a hash of their bytes), or whose
    value changed (found by their id and a hash of their value). Hashes, not texts nor
    parses: those took 0.6 GiB at x100. The records are frozen models (so equal inputs give the
    same record object, and the pages made from them can be kept: generators/pagecache.py);
    cross-record checks always run again."""

    def __init__(self) -> None:
        self.on = False
        self.data_dir: Path | None = None
        self.files: dict[str, tuple[int, Parsed, list, list[Problem]]] = {}  # by the hash of the file's bytes
        self.by_id: dict[str, dict[str, _Valid]] = {}
        self.chunks: dict[str, dict[int, _Valid]] = {}  # by the hash of each record's bytes (yamlstrict.record_key)
        self.digits: dict[str, dict[str, int]] = {}  # a hash of each record's numbers as last validated, by id
        self.missing: dict[str, Parsed] = {}  # an absent optional file's (empty) parse: the same each load

    def reset(self) -> None:
        self.__dict__.update(_Reuse().__dict__)

    def active(self, data_dir: Path) -> bool:
        """Whether loads of `data_dir` are kept: the first folder loaded after keeping began
        (another one, like the previous edition's data, is read as usual, leaving these)."""
        if not self.on:
            return False
        if self.data_dir is None:
            self.data_dir = data_dir
        return self.data_dir == data_dir

    def get(self, stem: str, key: int) -> tuple[int, Parsed, list, list[Problem]] | None:
        hit = self.files.get(stem)
        return hit if hit is not None and hit[0] == key else None

    def put(self, stem: str, key: int, parsed: Parsed, records: list, problems: list[Problem]) -> None:
        self.files[stem] = (key, parsed, records, problems)


_REUSE = _Reuse()


def keep_between_loads(on: bool = True) -> None:
    """Reuse an unchanged file's parse and validation in later loads of the same folder
    (for a process that loads again after each edit, like `mkdocs serve`)."""
    _REUSE.on = on
    if not on:
        _REUSE.reset()


def read(data_dir: Path) -> Dataset:
    """Read and validate each file on its own; raise DataError with all problems."""
    ds, problems = read_all(data_dir)
    if problems:
        raise DataError(problems)
    return ds


def read_all(data_dir: Path) -> tuple[Dataset, list[Problem]]:
    """Each file read and validated on its own: the records that validated, every problem, and
    in `ds.broken` the files that have problems of their own."""
    data_dir = Path(data_dir)
    ds = Dataset(data_dir=data_dir)
    problems: list[Problem] = []
    known = set(FILES)
    for path in sorted(data_dir.glob("*")):
        if path.suffix in (".yaml", ".yml") and path.stem not in known:
            problems.append(Problem(display_path(path), 1, 1, path.stem, f"未知的数据文件;应为 {', '.join(FILES)} 之一"))
        elif path.is_file() and path.suffix not in (".yaml", ".yml") and not path.name.startswith("."):
            problems.append(Problem(display_path(path), 1, 1, path.name, "data/ 只能放 YAML 文件"))
    reuse = _REUSE.active(data_dir)
    for stem, model in FILES.items():
        path = data_dir / f"{stem}.yaml"
        ds.display[stem] = display_path(path)
        if not path.exists():
            if stem not in OPTIONAL_FILES:
                problems.append(Problem(ds.display[stem], 1, 1, stem, "缺少数据文件"))
            ds.parsed[stem] = _REUSE.missing.setdefault(stem, Parsed()) if reuse else Parsed()
            ds.records[stem] = []
            continue
        data = path.read_bytes()
        key = hash(data) if reuse else 0  # (yamlstrict.record_key)
        hit = _REUSE.get(stem, key) if reuse else None
        if hit is not None:
            _, ds.parsed[stem], records, found = hit
            ds.records[stem] = list(records)
            problems.extend(found)
            continue
        # record by record: libyaml's node tree of one record at a time, not of the whole file
        # (x100 generators step 4.0 -> 2.5 GiB), and no string of the whole file; under the
        # live preview an edited file's unchanged records are neither parsed nor validated again
        try:
            parsed, found, keys = parse_records(data, ds.display[stem], stem, _REUSE.chunks.get(stem, {}) if reuse else {})
        except UnicodeDecodeError as exc:
            line, col = _byte_place(data, exc.start)
            problems.append(Problem(ds.display[stem], line, col, stem,
                                    f"文件不是 UTF-8 编码:这里的字节 {exc.object[exc.start:exc.end].hex(' ')} "
                                    "不是 UTF-8 文字;请用 UTF-8 编码保存文件"))
            ds.parsed[stem], ds.records[stem] = Parsed(), []
            continue
        del data
        ds.parsed[stem] = parsed
        if found:
            ds.records[stem] = []
        else:
            found = _validate_records(stem, model, parsed, ds, reuse, keys)
        parsed.value = None  # validated: from here on only positions are asked for (from the text)
        parsed.pack()
        if reuse:
            _REUSE.put(stem, key, parsed, list(ds.records[stem]), found)
        problems.extend(found)
    problems.extend(_read_materials(ds))
    ds.broken = frozenset(stem for stem in FILES if any(p.file == ds.display[stem] for p in problems))
    return ds, problems


def _byte_place(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (in characters) of a byte offset, counted as an editor shows them."""
    start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[start:offset].decode("utf-8", "replace")) + 1


def materials_dir(data_dir: Path) -> Path:
    """Where training material kept as Markdown lives: content/materials/ beside data/, or,
    for a data folder elsewhere (a scaled copy, LUOHE_DATA), the project's own."""
    beside = Path(data_dir).resolve().parent / "content" / "materials"
    return beside if beside.is_dir() else Path(__file__).resolve().parent.parent / "content" / "materials"


def _read_materials(ds: Dataset) -> list[Problem]:
    """Read each material file the trainings name (trusted Markdown, like content/)."""
    problems = []
    folder = materials_dir(ds.data_dir)
    for i, training in enumerate(ds.records.get("trainings", [])):
        for k, material in enumerate(training.materials):
            if material.file is None or material.file in ds.materials:
                continue
            path = folder / material.file
            place = ("trainings", (i, "materials", k, "file"))
            if path.is_symlink() and not path.resolve().is_relative_to(folder.resolve()):
                problems.append(ds.problem(*place, f"讲义文件 content/materials/{material.file} 是指向 "
                                           f"{os.readlink(path)} 的链接,链到了 content/materials/ 以外;"
                                           "不读取这样的文件,请把讲义本身放进 content/materials/"))
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                problems.append(ds.problem(*place, f"找不到讲义文件 content/materials/{material.file}"))
                continue
            except UnicodeDecodeError as exc:
                line, col = _byte_place(path.read_bytes(), exc.start)
                problems.append(ds.problem(*place, f"讲义文件 content/materials/{material.file} 不是 UTF-8 编码"
                                           f"(第 {line} 行第 {col} 列);请用 UTF-8 编码保存"))
                continue
            if any(line.startswith(("# ", "## ")) for line in text.splitlines()):
                problems.append(ds.problem("trainings", (i, "materials", k, "file"),
                                           f"讲义文件 content/materials/{material.file} 中的标题请从 ### 开始"
                                           "(# 和 ## 留给页面和讲义标题)"))
                continue
            ds.materials[material.file] = text
    return problems


def load(data_dir: Path) -> Dataset:
    """Read, validate and cross-check data/; raise DataError listing every problem."""
    with paused_gc():  # no cycles are built here (generators/gcpause.py)
        ds, problems = read_all(data_dir)
        if problems:  # every problem at once: the checks that need no broken file run too
            errors, warnings = check(ds, ds.broken)
            raise DataError(problems + errors + warnings)
        errors, warnings = check(ds)
    ds.warnings = warnings
    if errors:
        raise DataError(errors + warnings)
    return ds
