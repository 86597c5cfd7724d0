"""The rectification ledger (整改台账) as an Excel workbook, out and back in.

    python -m publishing.ledger export OUT.xlsx [--round ID] [--organisation ID|NAME] [--owner-unit TEXT] [--data DIR]
    python -m publishing.ledger import FILE.xlsx|FILE.csv [--data DIR]

(`make ledger`, `make import FILE=...`). Exit codes: 0 done, 1 problems (nothing written),
2 usage.

**Out.** One sheet per round (named by `round_title`, cut to Excel's 31 characters and
made unique), the items of data/items.yaml in their order, optionally only one round, one
organisation or one owner unit. Column titles are the fields' declared titles
(`generators.labels.title`); every closed set has a drop-down list (status, priority,
round and organisation by name through the lookup sheet 对照表, audience, sample and the
model's declared categories, `ITEM_CATEGORIES`);
dates are real Excel dates; the header and the id column are frozen; the sheet is
protected with only the id column locked (no password: protection guards against slips,
not people). The ledger is an internal document passed between offices, so internal
items and `internal_notes` are in it; the instructions sheet 说明 says so. The workbook
is reproducible: its dates come from the data's as-of date, never the clock.

**In.** Every row is read (what Excel users type is accepted: date serials and real
dates, 2024.10.31, 2024/10/31, 2024年10月31日, full-width digits and spaces, numbers
stored as text, trailing blanks, blank rows) and applied to the raw records of
data/items.yaml: a row with a known id updates that item (only the fields whose value
changed), a row with no id is a new item (its id made from its round and organisation).
A row never deletes an item. The would-be data/ is written to a temporary copy and
validated by `generators.pipeline.validate`, the same models and checks as `make
validate`; each problem in items.yaml is reported at the workbook's cell, all at once,
as `FILE:SHEET!C12: 状态: 说明`. Only when there is no error and no warning is
data/items.yaml replaced, atomically, with every untouched record's text kept byte for
byte (a changed record is written as tools/sample_data.py writes records), so a round
trip of an untouched workbook changes nothing.

**History.** An item's dated progress (`history`) is no column; it is kept. A row whose
status differs from the item's adds an entry dated 状态变更日期 (a ledger column), or,
for 已完成, the 完成日期 when that is left empty; a status change without a date is
refused at that cell. A date with the status unchanged adds a progress entry (unless the
last entry already says the same, so importing a workbook twice adds nothing).

Hostile files are refused before anything is read in full: more than MAX_UNZIPPED bytes
unzipped (a zip bomb; the sizes come from the zip's directory, and Python's zipfile never
inflates a member past its stated size), more than MAX_ROWS rows (from the sheet's
dimension, then counted while streaming), a cell longer than MAX_CELL characters.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import csv
import dataclasses
import datetime as dt
import io
import os
import re
import shutil
import sys
import tempfile
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from pydantic import BaseModel, TypeAdapter, ValidationError

from generators.dataset import Dataset, display_path
from generators.inspections import round_title
from generators.labels import description, fact, title
from generators.model import (
    ITEM_CATEGORIES,
    ITEM_STATUSES,
    STATUS_MEANINGS,
    Body,
    Organisation,
    RectificationItem,
    Round,
    StatusChange,
)
from generators.pipeline import validate
from generators.problems import Problem
from generators.yamlstrict import parse

# --- bounds on what an imported file may hold ----------------------------------------------

MAX_FILE_BYTES = 50 * 2**20      # the file itself
MAX_UNZIPPED = 100 * 2**20       # all members of an .xlsx unzipped (the whole city's ledger is ~2.3 MB)
MAX_MEMBERS = 2_000              # members of an .xlsx
MAX_ROWS = 50_000                # rows of all sheets together (the whole city's ledger has ~2,000)
MAX_CELLS = 2_000_000            # cells of all sheets together
MAX_CELL = 32_767                # characters in a cell: Excel's own limit
SPARE_ROWS = 500                 # rows below the items that keep the drop-down lists, for new items

HELP_SHEET = "说明"
LOOKUP_SHEET = "对照表"
HEADER_ROW = 1


# --- the ledger's columns --------------------------------------------------------------------


@dataclass
class StatusStep:
    """What a ledger row adds to an item's dated progress (`history`): not a field of the
    data, a column of the ledger, declared with its label like one."""

    date: dt.date | None = fact(
        "状态变更日期",
        "改变状态时填写改变的那一天(必填;改为已完成时可不写,按完成日期记),导入时记入整改进展;"
        "不改状态只写日期,记为一条进展")
    note: str | None = fact("进展说明", "这一步的进展说明(公开),与状态变更日期一起记入整改进展")


CHANGE_DATE, CHANGE_NOTE = "step_date", "step_note"


@dataclass(frozen=True)
class Column:
    key: str        # the item's field, or CHANGE_DATE / CHANGE_NOTE
    kind: str       # id, round, organisation, choice, text, date, audience, sample
    width: int
    required: bool  # must be in every sheet and (but for the id) never blank
    explained: str = ""  # how the ledger shows the field, where it differs from the data (names, 是/否)

    @property
    def title(self) -> str:
        if self.key == CHANGE_DATE:
            return title(StatusStep, "date")
        if self.key == CHANGE_NOTE:
            return title(StatusChange, "note")
        return title(RectificationItem, self.key)

    @property
    def description(self) -> str:
        if self.explained:
            return self.explained
        if self.key == CHANGE_DATE:
            found = description(StatusStep, "date")
        elif self.key == CHANGE_NOTE:
            found = description(StatusStep, "note")
        else:
            found = description(RectificationItem, self.key)
        return found or self.title


COLUMNS: tuple[Column, ...] = (
    Column("id", "id", 33, True, "整改事项的编号,已锁定,不要改;新增事项留空,导入时按巡察轮次和被巡察党组织自动编号"),
    Column("round", "round", 26, True, "本事项所属的巡察轮次:从下拉列表中选择轮次名称(见“对照表”),也可以写轮次编号"),
    Column("organisation", "organisation", 30, True,
           "被巡察党组织:从下拉列表中选择名称(见“对照表”),也可以写编号;须是该轮的巡察对象"),
    Column("category", "choice", 28, True),
    Column("priority", "choice", 8, True),
    Column("description", "text", 50, True),
    Column("owner_unit", "text", 14, True),
    Column("deadline", "date", 12, True),
    Column("revised_deadline", "date", 12, False),
    Column("revision_reason", "text", 24, False),
    Column("status", "choice", 18, True),
    Column(CHANGE_DATE, "date", 14, False),
    Column(CHANGE_NOTE, "text", 28, False),
    Column("done", "date", 12, False),
    Column("unfinished_reason", "text", 24, False),
    Column("audience", "audience", 10, True, "公开:可以进入公开网站;内部:只进内部网站"),
    Column("sample", "sample", 10, True, "是:为演示而编写的示例数据(页面会标注“示例数据”);否:真实信息(新增事项不填按“否”)"),
    Column("internal_notes", "text", 36, False),
)
BY_KEY = {c.key: c for c in COLUMNS}
PRIORITIES: tuple[str, ...] = ("高", "中", "低")
AUDIENCES = {"public": "公开", "internal": "内部"}
SAMPLE = {True: "是", False: "否"}
DONE = "已完成"
# the order of an item's keys as tools/sample_data.py writes them; a key added to a record
# goes to its place in this order, so a changed record reads like the others
KEY_ORDER = ("id", "sample", "audience", "round", "organisation", "category", "priority", "description",
             "owner_unit", "deadline", "revised_deadline", "revision_reason", "status", "done",
             "unfinished_reason", "internal_notes", "history")


def _fold(text: str) -> str:
    """A heading or a choice as typed, compared loosely: full-width forms and spaces aside."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).replace(",", "、")


def _choices(key: str) -> tuple[str, ...]:
    return {"status": ITEM_STATUSES, "priority": PRIORITIES, "category": ITEM_CATEGORIES}.get(key, ())


# --- names: rounds and organisations as people call them --------------------------------------


@dataclass
class Names:
    """Rounds and organisations by the names readers use (unique: a name two records share
    gets its id in brackets), both ways."""

    rounds: dict[str, str] = field(default_factory=dict)          # id -> label
    organisations: dict[str, str] = field(default_factory=dict)   # id -> label

    @classmethod
    def of(cls, rounds: list[Round], bodies: list[Body], organisations: list[Organisation]) -> Names:
        by_body = {b.id: b for b in bodies}
        return cls(_unique({r.id: round_title(r, by_body) for r in rounds}),
                   _unique({o.id: o.name for o in organisations}))

    def round_id(self, text: str) -> str | None:
        return _lookup(text, self.rounds)

    def organisation_id(self, text: str) -> str | None:
        return _lookup(text, self.organisations)


def _unique(labels: dict[str, str]) -> dict[str, str]:
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    return {key: label if seen[label] == 1 else f"{label}({key})" for key, label in labels.items()}


def _lookup(text: str, labels: dict[str, str]) -> str | None:
    if text in labels:
        return text
    folded = _fold(text)
    for key, label in labels.items():
        if _fold(label) == folded or _fold(key) == folded:
            return key
    return None


# --- problems as the clerk sees them -----------------------------------------------------------


@dataclass(frozen=True, order=True)
class Note:
    """One problem, sorted by where it is (file-level first, then sheet, row, column)."""

    order: tuple
    text: str


class Refused(Exception):
    """The file is not read at all (hostile, not a ledger, or not readable)."""

    def __init__(self, notes: list[str]) -> None:
        super().__init__("\n".join(notes))
        self.notes = notes


@dataclass
class Row:
    table: int                  # index of its sheet among the ledger's sheets
    number: int                 # the row's number in the sheet (1-based)
    values: dict[str, Any]      # column key -> the cell's value, as read (None when blank)


@dataclass
class Table:
    """A ledger sheet (or a CSV file): its columns and rows."""

    name: str | None            # the sheet's name; None for a CSV
    columns: dict[str, int]     # column key -> column number (1-based)
    rows: list[Row] = field(default_factory=list)
    epoch: dt.datetime = dt.datetime(1899, 12, 30)  # of the workbook's date serials (1904 on old Macs)


@dataclass
class Ledger:
    shown: str                  # the file as the user named it
    tables: list[Table] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    bad_rows: set[tuple[int, int]] = field(default_factory=set)  # (table, row) with a cell problem

    def place(self, table: int, row: int, key: str | None) -> tuple[str, tuple, str]:
        """`SHEET!C12` (or `C12` in a CSV), a sort key and the title of the column it is in
        (the id's when the sheet has no column for `key`)."""
        t = self.tables[table]
        key = key if key in t.columns else "id"
        column = t.columns.get(key, 1)
        cell = f"{get_column_letter(column)}{row}"
        return (f"{t.name}!{cell}" if t.name is not None else cell), (1, table, row, column), BY_KEY[key].title

    def note(self, table: int, row: int, key: str | None, message: str) -> None:
        where, order, heading = self.place(table, row, key)
        self.bad_rows.add((table, row))
        self.notes.append(Note(order, f"{self.shown}:{where}: {heading}: {message}"))

    def sheet_note(self, table: int, message: str, row: int = 0, column: int = 0) -> None:
        """A problem of a sheet (at a cell when `row` and `column` are given)."""
        name = self.tables[table].name
        cell = f"{get_column_letter(column)}{row}" if row and column else ""
        where = f"{name}!{cell}" if name is not None and cell else (cell or name or "")
        self.notes.append(Note((1, table, row, column), f"{self.shown}:{where}: {message}"))


def _refuse(shown: str, message: str) -> Refused:
    return Refused([f"{shown}: {message}"])


# --- reading a workbook or a CSV ----------------------------------------------------------------


def read(path: Path, shown: str) -> Ledger:
    """The ledger's sheets and rows; raises Refused for a file that is not read at all."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise _refuse(shown, "找不到这个文件")
    if suffix in (".xlsm", ".xltm", ".xlam"):
        raise _refuse(shown, "这是含宏的工作簿(.xlsm),不能导入:宏可能执行任意操作。请在 Excel 中“另存为”"
                             "“Excel 工作簿(*.xlsx)”后再导入")
    if suffix in (".xls", ".et", ".ods", ".numbers"):
        raise _refuse(shown, f"不能导入 {suffix} 格式;请在 Excel 或 WPS 中“另存为”“Excel 工作簿(*.xlsx)”后再导入")
    if suffix not in (".xlsx", ".csv"):
        raise _refuse(shown, "只能导入 .xlsx(Excel 工作簿)或 .csv 文件")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(shown, f"文件有 {size / 2**20:.0f} MB,超过上限 {MAX_FILE_BYTES // 2**20} MB;"
                             "整改台账不会这么大,请检查是否选错了文件,或按轮次分开导出导入")
    return _read_csv(path, shown) if suffix == ".csv" else _read_xlsx(path, shown)


def _check_zip(path: Path, shown: str) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(shown, "不是 Excel 工作簿(.xlsx),无法读取;如果设置了打开密码,请取消密码后另存为 .xlsx 再导入") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise _refuse(shown, f"工作簿中有 {len(members)} 个部件,超过上限 {MAX_MEMBERS};不是正常的整改台账,不予读取")
        unzipped = sum(m.file_size for m in members)
        if unzipped > MAX_UNZIPPED:
            raise _refuse(shown, f"工作簿解压后有 {unzipped / 2**20:.0f} MB,超过上限 {MAX_UNZIPPED // 2**20} MB:"
                                 "这是恶意构造的压缩文件(“zip 炸弹”)或不是整改台账,不予读取")
        names = {m.filename.lower() for m in members}
        content_types = archive.read("[Content_Types].xml") if "[content_types].xml" in names else b""
    if any(name.endswith("vbaproject.bin") for name in names) or b"macroEnabled" in content_types:
        raise _refuse(shown, "这个工作簿含有宏,不能导入:宏可能执行任意操作。请在 Excel 中“另存为”"
                             "“Excel 工作簿(*.xlsx)”后再导入")
    if "xl/workbook.xml" not in names:
        raise _refuse(shown, "不是 Excel 工作簿(.xlsx),无法读取")


def _unreadable(shown: str, exc: Exception) -> Refused:
    return _refuse(shown, f"无法读取这个工作簿({type(exc).__name__}),文件可能已损坏;"
                          "请用 Excel 打开后“另存为”.xlsx 再导入")


def _read_xlsx(path: Path, shown: str) -> Ledger:
    _check_zip(path, shown)
    formulas = _scan(path, shown)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on Excel features it does not keep
            book = load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:  # any failure of a damaged file is one message, never a traceback
        raise _unreadable(shown, exc) from None
    ledger = Ledger(shown)
    for ws in book.worksheets:
        if ws.title in (HELP_SHEET, LOOKUP_SHEET):
            continue
        grid: dict[tuple[int, int], Any] = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row
                                            if c.value is not None}
        for (r, c) in formulas.get(ws.title, ()):
            if grid.get((r, c)) is None:
                grid[(r, c)] = _NO_VALUE
        merged = [str(m) for m in ws.merged_cells.ranges]
        _table(ledger, ws.title, grid, merged, book.epoch)
    book.close()
    return _done(ledger)


_NO_VALUE = object()  # a formula with no cached value


def _scan(path: Path, shown: str) -> dict[str, set[tuple[int, int]]]:
    """First pass, streaming (read-only): the bounds on rows, cells and cell length, and where
    the formulas are (a formula's cached value is only read in the second pass)."""
    formulas: dict[str, set[tuple[int, int]]] = {}
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:
        raise _unreadable(shown, exc) from None
    rows = cells = 0
    try:
        for ws in book.worksheets:
            declared = ws.max_row or 0
            if rows + declared > MAX_ROWS:
                many = f"工作表“{ws.title}”有 {declared} 行" if declared > MAX_ROWS else f"各工作表共有 {rows + declared} 行"
                raise _refuse(shown, f"{many},超过上限 {MAX_ROWS} 行;整改台账不会这么大,请按轮次分开导出导入")
            ws.reset_dimensions()  # the dimension may lie: count the rows as they come
            for number, row in enumerate(ws.iter_rows(), start=1):
                rows += 1
                if rows > MAX_ROWS:
                    raise _refuse(shown, f"工作表“{ws.title}”的行数超过上限 {MAX_ROWS} 行(读到第 {number} 行);"
                                         "整改台账不会这么大,请按轮次分开导出导入")
                for cell in row:
                    value = getattr(cell, "value", None)
                    if value is None:
                        continue
                    cells += 1
                    if cells > MAX_CELLS:
                        raise _refuse(shown, f"工作簿的单元格超过上限 {MAX_CELLS} 个;不是正常的整改台账,不予读取")
                    column = int(getattr(cell, "column", 0) or 0)
                    where = f"{ws.title}!{get_column_letter(max(column, 1))}{number}"
                    if isinstance(value, str) and len(value) > MAX_CELL:
                        raise _refuse(shown, f"{where}: 单元格有 {len(value)} 个字符,超过 Excel 单元格的上限 "
                                             f"{MAX_CELL} 个;不予读取")
                    if getattr(cell, "data_type", None) == "f":
                        formulas.setdefault(ws.title, set()).add((number, column))
    except Refused:
        raise
    except Exception as exc:
        raise _unreadable(shown, exc) from None
    finally:
        book.close()
    return formulas


def _read_csv(path: Path, shown: str) -> Ledger:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(shown, "文件不是 UTF-8 编码;请在 Excel 中“另存为”“CSV UTF-8(逗号分隔)(*.csv)”,"
                             "或直接导入 .xlsx 工作簿") from None
    if "\x00" in text:
        raise _refuse(shown, "文件中有 NUL 字符,不是文本文件;请导入 .xlsx 工作簿或 UTF-8 的 CSV")
    grid: dict[tuple[int, int], Any] = {}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, record in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise _refuse(shown, f"行数超过上限 {MAX_ROWS} 行;整改台账不会这么大,请按轮次分开导入")
            for column, value in enumerate(record, start=1):
                if len(value) > MAX_CELL:
                    raise _refuse(shown, f"{get_column_letter(column)}{number}: 单元格有 {len(value)} 个字符,"
                                         f"超过上限 {MAX_CELL} 个;不予读取")
                if value != "":
                    grid[(number, column)] = value
    except csv.Error as exc:
        why = (f"有单元格超过 {csv.field_size_limit()} 个字符" if "field larger" in str(exc)
               else "引号不成对或格式有误")
        raise _refuse(shown, f"第 {reader.line_num} 行无法按 CSV 读取:{why};不予读取") from None
    ledger = Ledger(shown)
    _table(ledger, None, grid, [], dt.datetime(1899, 12, 30))
    return _done(ledger)


def _done(ledger: Ledger) -> Ledger:
    if not ledger.tables:
        raise _refuse(ledger.shown, "这不是整改台账:没有一个工作表的第一行是台账的列标题(" +
                      "、".join(c.title for c in COLUMNS[:4]) + " 等);请在 make ledger 导出的台账上填写")
    return ledger


_HEADINGS = {_fold(c.title): c.key for c in COLUMNS}


def _table(ledger: Ledger, name: str | None, grid: dict[tuple[int, int], Any], merged: list[str],
           epoch: dt.datetime) -> None:
    """One sheet's cells (row, column) -> value as a Table of the ledger, or nothing when the
    sheet is empty; a sheet that is no ledger is a problem."""
    if not grid:
        return
    header = {c: v for (r, c), v in grid.items() if r == HEADER_ROW}
    known = {c: _HEADINGS.get(_fold(str(v))) for c, v in header.items() if v is not _NO_VALUE}
    if "id" not in known.values() or sum(k is not None for k in known.values()) < 3:
        where = f"{ledger.shown}:{name}: 工作表“{name}”" if name is not None else f"{ledger.shown}: 这个文件"
        ledger.notes.append(Note((0, len(ledger.tables), 0, 0),
                                 f"{where}不是整改台账:第一行没有台账的列标题"
                                 f"({'、'.join(c.title for c in COLUMNS[:4])} 等);请只在台账的工作表中填写,"
                                 "其他内容请删去或另存"))
        return
    index = len(ledger.tables)
    table = Table(name, {}, epoch=epoch)
    ledger.tables.append(table)
    for column in sorted(known):
        key = known[column]
        if key is None:
            ledger.sheet_note(index, f"未知的列“{header[column]}”;台账只有 "
                                     f"{'、'.join(c.title for c in COLUMNS)} 这些列,请删去这一列或改正列标题",
                              HEADER_ROW, column)
        elif key in table.columns:
            ledger.sheet_note(index, f"列“{BY_KEY[key].title}”出现了两次(另见 "
                                     f"{get_column_letter(table.columns[key])}{HEADER_ROW});请删去一列", HEADER_ROW, column)
        else:
            table.columns[key] = column
    missing = [c.title for c in COLUMNS if c.required and c.key not in table.columns]
    if missing:
        ledger.sheet_note(index, f"缺少列 {'、'.join(missing)};请在 make ledger 导出的台账上填写,不要删列")
    for ref in merged:
        first = re.match(r"([A-Z]+)(\d+)", ref)
        row, column = (int(first.group(2)), column_index_from_string(first.group(1))) if first else (0, 0)
        ledger.sheet_note(index, f"合并了单元格 {ref};台账中不能合并单元格,请取消合并(每个单元格填自己的内容)后再导入",
                          row, column)
    columns = {c: k for k, c in table.columns.items()}
    rows: dict[int, dict[str, Any]] = {}
    for (r, c), value in sorted(grid.items()):
        if r == HEADER_ROW:
            if value is _NO_VALUE:
                ledger.sheet_note(index, "列标题是没有计算结果的公式;请写成文字", r, c)
            continue
        if c not in columns:
            if c not in known and _clean(value) is not None:
                ledger.sheet_note(index, f"这一列没有列标题,内容“{_short(value)}”无法导入;请删去", r, c)
            continue
        rows.setdefault(r, {})[columns[c]] = value
    for number in sorted(rows):
        values = rows[number]
        if all(_clean(v) is None for v in values.values() if v is not _NO_VALUE) and _NO_VALUE not in values.values():
            continue  # a blank row
        table.rows.append(Row(index, number, values))


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 20 else text[:20] + "…"


# --- a cell's value as the data's ----------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read as its column's kind; the message is for the clerk."""


def _clean(value: Any) -> Any:
    """A cell's value with blanks as None and text trimmed (line breaks as \\n)."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
        return value or None
    return value


def as_text(value: Any) -> str:
    """Any cell as text: a number typed into a text column is the digits typed."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    return str(value)


_SEPARATED = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_CHINESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?")
_MIDNIGHT = re.compile(r"[T ]?0{1,2}:00(:00(\.0+)?)?$")
_FORMS = "2024-10-31(也可写 2024/10/31、2024.10.31 或 2024年10月31日)"


def parse_date(value: Any, epoch: dt.datetime = dt.datetime(1899, 12, 30)) -> dt.date:
    """A date as Excel users enter it: a real date, a date serial (also typed as text),
    2024-10-31, 2024/10/31, 2024.10.31, 2024年10月31日, 20241031, full-width or not."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError(f"“{value}”带有时刻;请只写日期,如 {_FORMS}")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise CellError(f"“{value}”不是日期;日期写成 {_FORMS}")
    if isinstance(value, (int, float, Decimal)):
        return _serial(float(value), epoch, str(value))
    text = unicodedata.normalize("NFKC", value).strip()
    text = re.sub(r"\s+", "", _MIDNIGHT.sub("", text)) if " " in text or "T" in text else re.sub(r"\s+", "", text)
    if re.fullmatch(r"\d{1,6}(\.0+)?", text):
        return _serial(float(text), epoch, value)
    found = _SEPARATED.fullmatch(text)
    parts: tuple[str, ...] | None = (found.group(1), found.group(3), found.group(4)) if found else None
    if parts is None and (found := _CHINESE.fullmatch(text)):
        parts = found.groups()
    if parts is None and re.fullmatch(r"\d{8}", text):
        parts = (text[:4], text[4:6], text[6:])
    if parts is None:
        raise CellError(f"“{value}”不是日期;日期写成 {_FORMS}")
    year, month, day = (int(p) for p in parts)
    if not 1 <= month <= 12:
        raise CellError(f"日期“{value}”不存在:月份应为 1 至 12")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"日期“{value}”不存在:{year}年{month}月没有 {day} 日") from None


def _serial(number: float, epoch: dt.datetime, shown: str) -> dt.date:
    if not number.is_integer() or not 1 <= number <= 2958465:
        raise CellError(f"“{shown}”不是日期;日期写成 {_FORMS}")
    found = from_excel(number, epoch=epoch)
    return found.date() if isinstance(found, dt.datetime) else dt.date.fromisoformat(str(found)[:10])


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _fold(as_text(value)).lower()
    if text in ("是", "true", "1"):
        return True
    if text in ("否", "false", "0"):
        return False
    raise CellError(f"“{value}”应为“是”或“否”")


def cell_value(key: str, value: Any, names: Names, epoch: dt.datetime = dt.datetime(1899, 12, 30)) -> Any:
    """A cell of column `key` as the value data/items.yaml holds (text, an ISO date text,
    an id, a bool), None when blank; raises CellError with a message for the clerk."""
    value = _clean(value)
    if value is None:
        return None
    column = BY_KEY[key]
    if column.kind == "date":
        return parse_date(value, epoch).isoformat()
    if column.kind == "sample":
        return _bool(value)
    text = as_text(value)
    if column.kind == "id":
        return _fold(text)
    if column.kind == "round":
        found = names.round_id(text)
        if found is None:
            raise CellError(f"找不到巡察轮次“{text}”;请从下拉列表中选择(名称见“{LOOKUP_SHEET}”工作表)")
        return found
    if column.kind == "organisation":
        found = names.organisation_id(text)
        if found is None:
            raise CellError(f"找不到被巡察党组织“{text}”;请从下拉列表中选择(名称见“{LOOKUP_SHEET}”工作表)")
        return found
    if column.kind == "choice":
        allowed = _choices(key)
        for choice in allowed:
            if _fold(choice) == _fold(text):
                return choice
        raise CellError(f"“{text}”不是可选的{column.title};应为 {'、'.join(allowed)} 之一")
    if column.kind == "audience":
        for raw, shown in AUDIENCES.items():
            if _fold(text).lower() in (raw, shown):
                return raw
        raise CellError(f"“{text}”应为“公开”(可以进入公开网站)或“内部”(只进内部网站)")
    return text


# --- the data's raw records ------------------------------------------------------------------------


def _models(data_dir: Path, stem: str, model: type[BaseModel]) -> list:
    """The records of data/STEM.yaml that validate on their own (the lookups need no more:
    whatever else is wrong, the validation of the whole says)."""
    path = data_dir / f"{stem}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    parsed, problems = parse(text, stem, stem)
    if problems or not isinstance(parsed.value, list):
        return []
    adapter = TypeAdapter(model)
    found = []
    for raw in parsed.value:
        try:
            found.append(adapter.validate_python(raw))
        except ValidationError:
            continue
    return found


def names_of(data_dir: Path) -> Names:
    return Names.of(_models(data_dir, "rounds", Round), _models(data_dir, "bodies", Body),
                    _models(data_dir, "organisations", Organisation))


class _Dumper(yaml.SafeDumper):
    """PyYAML's own emitter (when libyaml is not there)."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    """A published number as written: 3650.40 stays 3650.40 (as tools/sample_data.py writes it)."""
    return dumper.represent_scalar("tag:yaml.org,2002:float", str(value))


# Text the data's reader takes for a YAML 1.1 boolean in any case (yEs, N, oFF: refused there as
# ambiguous) but PyYAML would write unquoted: resolved as booleans here, so they are quoted.
_AMBIGUOUS = re.compile(r"^(?:[yY](?:[eE][sS])?|[nN][oO]?|[oO](?:[nN]|[fF][fF])|[tT][rR][uU][eE]|[fF][aA][lL][sS][eE])$")


def _dumper(base: Any) -> Any:
    dumper: Any = type(f"_Ledger{base.__name__}", (base,), {})
    dumper.add_representer(Decimal, _decimal)
    dumper.add_implicit_resolver("tag:yaml.org,2002:bool", _AMBIGUOUS, list("yYnNoOtTfF"))
    dumper.ignore_aliases = lambda self, data: True  # no anchors: the data's reader refuses them
    return dumper


# libyaml's emitter, when there, writes the same text as PyYAML's own, many times faster
_DUMPER = _dumper(getattr(yaml, "CSafeDumper", None) or _Dumper)


def dump(records: list) -> str:
    """Records as YAML, in the layout of tools/sample_data.py's dump()."""
    return yaml.dump(records, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000)


def _put(record: dict, key: str, value: Any) -> dict:
    """`record` with `key` set, a new key at its place in KEY_ORDER."""
    if key in record:
        return {**record, key: value}
    rank = {k: i for i, k in enumerate(KEY_ORDER)}
    out: dict = {}
    placed = False
    for k, v in record.items():
        if not placed and rank.get(k, len(KEY_ORDER)) > rank[key]:
            out[key] = value
            placed = True
        out[k] = v
    if not placed:
        out[key] = value
    return out


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, str) and isinstance(new, str):
        return _clean(old) == new
    if old is None or new is None:
        return old is None and new is None
    return type(old) is type(new) and old == new


# --- the import plan: the would-be data/items.yaml ----------------------------------------------


@dataclass
class Plan:
    ledger: Ledger
    old_text: str
    text: str = ""
    records: list = field(default_factory=list)            # raw items, as they will be written
    rows: dict[int, Row] = field(default_factory=dict)     # record index -> the row it came from
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    unchanged: int = 0
    with_cell_errors: set[int] = field(default_factory=set)  # record indices whose row has a cell problem
    where: Any = None                                        # positions in the old data/items.yaml
    old: list = field(default_factory=list)                  # the records of the old data/items.yaml
    names: Names = field(default_factory=Names)


def plan(ledger: Ledger, data_dir: Path, names: Names | None = None) -> Plan:
    """Apply every row of the ledger to the raw records of data/items.yaml (no validation
    of the whole yet: `run_import` does that)."""
    names = names if names is not None else names_of(data_dir)
    items_path = data_dir / "items.yaml"
    try:
        old_text = items_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise Refused([f"{display_path(items_path)}: 找不到或读不出这个数据文件;请在项目目录中运行,"
                       "或用 --data 指明 data/ 目录(先运行 make validate 查看)"]) from None
    parsed, problems = _parse_items(old_text, display_path(items_path))
    if problems or not isinstance(parsed.value, list):
        raise Refused([str(p) for p in problems] or [f"{display_path(items_path)}: 不是记录列表"])
    old: list[dict] = parsed.value
    result = Plan(ledger, old_text, names=names)
    by_id = {rec.get("id"): i for i, rec in enumerate(old) if isinstance(rec, dict)}
    records: list[Any] = list(old)
    touched: dict[int, dict] = {}
    taken = set(by_id)
    seen: dict[str, Row] = {}
    pending_new: list[tuple[Row, dict[str, Any]]] = []
    for table in ledger.tables:
        for row in table.rows:
            values = _row_values(ledger, row, names)
            given = values.get("id")
            if isinstance(given, str):
                if given in seen:
                    first = seen[given]
                    where = ledger.place(first.table, first.number, "id")[0]
                    ledger.note(row.table, row.number, "id", f"编号“{given}”在台账中出现了两次(另见 {where});"
                                                              "一条整改事项只写一行")
                    continue
                seen[given] = row
                taken.add(given)
            if isinstance(given, str) and given in by_id:
                index = by_id[given]
                touched[index] = _update(ledger, row, table, old[index], values)
                result.rows[index] = row
            else:
                pending_new.append((row, values))
    for index, record in touched.items():
        row = result.rows[index]
        if _has_error(ledger, row):
            result.with_cell_errors.add(index)
        if record != old[index]:
            records[index] = record
            result.changed.append((record.get("id", ""), _changed_titles(old[index], record)))
        else:
            result.unchanged += 1
    same_as: dict[tuple, str] = {_likeness(rec): rec.get("id", "") for rec in records if isinstance(rec, dict)}
    for row, values in pending_new:
        made = _new(ledger, row, ledger.tables[row.table], values, taken)
        if made is None:
            continue
        twin = same_as.get(_likeness(made))
        if twin is not None and values.get("id") is None:
            ledger.note(row.table, row.number, "description",
                        f"与已有的整改事项“{twin}”的巡察轮次、被巡察党组织和整改事项都相同:这一行可能已经导入过"
                        "(导入后请重新导出台账再编辑)。确是另一个事项的,请把整改事项写得有所区别")
            continue
        same_as[_likeness(made)] = made["id"]
        index = len(records)
        records.append(made)
        result.rows[index] = row
        result.added.append(made["id"])
        if _has_error(ledger, row):
            result.with_cell_errors.add(index)
    result.records = records
    result.where, result.old = parsed.where, old
    result.text = _splice(old_text, parsed.where, old, records)
    _check_round_trip(result, old)
    return result


_LAST_PARSE: dict[str, tuple[str, Any, list[Problem]]] = {}


def _parse_items(text: str, shown: str) -> tuple[Any, list[Problem]]:
    """data/items.yaml parsed, the last parse kept while its text is the same (plan() never
    changes the parsed records: a changed record is a new dict)."""
    hit = _LAST_PARSE.get(shown)
    if hit is not None and hit[0] == text:
        return hit[1], hit[2]
    parsed, problems = parse(text, shown, "items")
    _LAST_PARSE.clear()
    _LAST_PARSE[shown] = (text, parsed, problems)
    return parsed, problems


def _has_error(ledger: Ledger, row: Row) -> bool:
    return (row.table, row.number) in ledger.bad_rows


def _row_values(ledger: Ledger, row: Row, names: Names) -> dict[str, Any]:
    """Each cell of the row as data, or _BAD (reported) when it cannot be read."""
    epoch = ledger.tables[row.table].epoch
    out: dict[str, Any] = {}
    for key, value in row.values.items():
        if value is _NO_VALUE:
            ledger.note(row.table, row.number, key, "这是没有计算结果的公式;请在 Excel 中打开并保存(算出结果),"
                                                   "或把公式换成数值(复制后“选择性粘贴”→“数值”)")
            out[key] = _BAD
            continue
        try:
            out[key] = cell_value(key, value, names, epoch)
        except CellError as exc:
            ledger.note(row.table, row.number, key, str(exc))
            out[key] = _BAD
    return out


_BAD = object()  # a cell that could not be read (and was reported)


def _update(ledger: Ledger, row: Row, table: Table, raw: dict, values: dict[str, Any]) -> dict:
    record = dict(raw)
    for key in table.columns:
        if key in ("id", CHANGE_DATE, CHANGE_NOTE):
            continue
        new = values.get(key)
        if new is _BAD:
            continue
        old = raw.get(key)
        if _same(old, new):
            continue
        if new is None:
            if BY_KEY[key].required:
                ledger.note(row.table, row.number, key, "必填,不能为空")
                continue
            record.pop(key, None)
        else:
            record = _put(record, key, new)
    return _step(ledger, row, table, raw, record, values)


def _likeness(record: dict) -> tuple:
    """What makes two items the same problem to the office: round, organisation, description."""
    text = record.get("description")
    return (record.get("round"), record.get("organisation"), _clean(text) if isinstance(text, str) else text)


def _new(ledger: Ledger, row: Row, table: Table, values: dict[str, Any], taken: set) -> dict | None:
    """A new item from a row with no id (or an id data/items.yaml does not have)."""
    record: dict = {}
    for key in KEY_ORDER:
        if key not in BY_KEY or key not in table.columns:
            continue
        value = values.get(key)
        if value is _BAD:
            continue
        if value is None and key == "sample":
            value = False  # what an office adds is real information unless it says otherwise
        if value is None and key == "audience":
            ledger.note(row.table, row.number, key, "新增的整改事项须选择“公开”或“内部”")
            continue
        if value is None and BY_KEY[key].required and key != "id":
            ledger.note(row.table, row.number, key, "必填,不能为空")
            continue
        if value is not None:
            record[key] = value
    if "id" not in record:
        round_id, org_id = record.get("round"), record.get("organisation")
        if not (isinstance(round_id, str) and isinstance(org_id, str)):
            return None  # reported at its cells; an id cannot be made
        prefix = f"i-{round_id.removeprefix('r-')}-{org_id.removeprefix('o-')}-"
        numbers = [int(t[len(prefix):]) for t in taken if isinstance(t, str) and t.startswith(prefix)
                   and t[len(prefix):].isdigit()]
        record = {"id": f"{prefix}{max(numbers, default=0) + 1:03d}", **record}
        taken.add(record["id"])
    return _step(ledger, row, table, {}, record, values)


def _step(ledger: Ledger, row: Row, table: Table, raw: dict, record: dict, values: dict[str, Any]) -> dict:
    """The row's status step into the item's history (see the module's docstring)."""
    date, note = values.get(CHANGE_DATE), values.get(CHANGE_NOTE)
    status = record.get("status")
    if date is _BAD or note is _BAD or values.get("status") is _BAD or not isinstance(status, str):
        return record
    old_status, old_done, done = raw.get("status"), raw.get("done"), record.get("done")
    history: list = list(raw.get("history") or [])
    before = list(history)
    entry: dict = {}
    when = date or (done if status == DONE and isinstance(done, str) else None)
    if status != old_status:
        if when is None:
            if raw:
                key = CHANGE_DATE if CHANGE_DATE in table.columns else "status"
                ledger.note(row.table, row.number, key,
                            f"状态由“{old_status}”改为“{status}”,请在“{BY_KEY[CHANGE_DATE].title}”写明改变的日期"
                            "(它记入整改进展)")
            return record
        entry = {"date": when, "status": status}
    elif date is not None or note is not None:
        if when is None:
            ledger.note(row.table, row.number, CHANGE_NOTE,
                        f"写了{BY_KEY[CHANGE_NOTE].title},请同时写“{BY_KEY[CHANGE_DATE].title}”(这一步进展的日期)")
            return record
        last = history[-1] if history else None
        if isinstance(last, dict) and last.get("date") == when and last.get("status") == status:
            if note is not None and last.get("note") != note:  # the same step again: its note, if new
                history[-1] = {**last, "note": note}
        else:
            entry = {"date": when, "status": status}
    elif status == DONE and done != old_done and history and isinstance(history[-1], dict) \
            and history[-1].get("status") == DONE and history[-1].get("date") == old_done and done is not None:
        history[-1] = {**history[-1], "date": done}  # the completion date corrected: its entry with it
    if entry:
        if note is not None:
            entry["note"] = note
        history.append(entry)
    if history != before:
        record = _put(record, "history", history)
    return record


def _changed_titles(old: dict, new: dict) -> list[str]:
    names = []
    for key in KEY_ORDER:
        if old.get(key) != new.get(key):
            names.append(title(RectificationItem, key))
    return names


def _splice(old_text: str, where: Any, old: list, records: list) -> str:
    """The new file: each unchanged record's text as it was, each changed or new record as
    dump() writes it. Falls back to dumping every record under the file's leading comments
    when the records cannot be told apart by their lines."""
    lines = old_text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("-")]
    head = lines[:starts[0]] if starts else [line for line in lines if line.startswith("#")]
    fits = len(starts) == len(old) and all(
        starts[i] <= where((i,))[0] - 1 < (starts[i + 1] if i + 1 < len(starts) else len(lines) + 1)
        for i in range(len(old)))
    if not fits:
        return "".join(head) + dump(records)
    out = list(head)
    for i, record in enumerate(records):
        if i < len(old) and record is old[i]:
            out.extend(lines[starts[i]:starts[i + 1] if i + 1 < len(starts) else len(lines)])
            continue
        if out and not out[-1].endswith("\n"):
            out.append("\n")
        out.append(dump([record]))
    return "".join(out)


def _check_round_trip(result: Plan, old: list) -> None:
    """Each record written anew must read back as exactly what the ledger gave (a text the
    YAML reader would type otherwise is caught here, at its row)."""
    for index, record in enumerate(result.records):
        if index < len(old) and record is old[index]:
            continue
        back, problems = parse(dump([record]), "items.yaml", "items")
        if not problems and back.value == [record]:
            continue
        row = result.rows[index]
        again = back.value[0] if not problems and isinstance(back.value, list) and back.value else {}
        wrong = [key for key in record if key in BY_KEY and again.get(key) != record[key]] or ["id"]
        result.ledger.note(row.table, row.number, wrong[0], "这里的文字无法原样保存为数据;请检查是否有特殊字符")


# --- the import: validate the would-be data, then write ----------------------------------------------


def run_import(path: Path, data_dir: Path, shown: str | None = None, out: Any = None, err: Any = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    shown = shown or str(path)
    try:
        ledger = read(path, shown)
        result = plan(ledger, data_dir)
    except Refused as exc:
        for line in exc.notes:
            print(line, file=err)
        print("台账未导入,data/ 没有任何改动。", file=err)
        return 1
    notes = list(ledger.notes)
    if result.text != result.old_text:
        notes += _validate_plan(result, data_dir)
    if notes:
        unique = sorted(set(notes))
        for note in unique:
            print(note.text, file=err)
        print(f"台账有 {len(unique)} 处问题,未导入,data/ 没有任何改动。改正后重新导入。", file=err)
        return 1
    if result.text == result.old_text:
        print(f"台账 {shown} 与 {display_path(data_dir / 'items.yaml')} 一致,没有改动。", file=out)
        return 0
    items_path = data_dir / "items.yaml"
    if items_path.read_text(encoding="utf-8") != result.old_text:
        print(f"{display_path(items_path)} 在导入期间被修改了;没有写入,请重新导入。", file=err)
        return 1
    try:
        write_atomically(items_path, result.text)
    except OSError as exc:
        print(f"{display_path(items_path)}: 写入失败({exc.strerror or exc}),data/ 没有任何改动。", file=err)
        return 1
    print(f"已导入 {shown}:修改 {len(result.changed)} 条,新增 {len(result.added)} 条,"
          f"{result.unchanged} 条未变;已写入 {display_path(items_path)}。", file=out)
    for item_id, fields in result.changed:
        print(f"  修改 {item_id}:{'、'.join(fields)}", file=out)
    for item_id in result.added:
        print(f"  新增 {item_id}", file=out)
    print("下一步:运行 make serve(或 python -m mkdocs serve)预览,确认无误后提交。", file=out)
    return 0


def _validate_plan(result: Plan, data_dir: Path) -> list[Note]:
    """Validate the would-be data/ in a temporary copy; every error and warning as a Note.

    The data's reader stops before the checks across records when a record is invalid on its
    own (a status of 已完成 without its date): then the data is validated once more without
    the rows found wrong, so the other rows' problems of the later stage (a date after the
    data's as-of date, a deadline before the feedback) come in the same run."""
    notes, wrong = _validate_once(result, data_dir)
    adapter = TypeAdapter(RectificationItem)
    invalid = False
    for index in result.rows:
        try:
            adapter.validate_python(result.records[index])
        except ValidationError:
            invalid = True
            break
    if not invalid or not wrong:
        return notes
    again = _without(result, wrong | result.ledger.bad_rows)
    if again.text != result.old_text:
        more, _ = _validate_once(again, data_dir)
        notes += [n for n in more if n.order[0] == 1]  # only what is at a row: the rest was said
    return notes


def _without(result: Plan, rows: set[tuple[int, int]]) -> Plan:
    """The plan with those rows left out: their items as they are in data/items.yaml."""
    records: list = []
    mapped: dict[int, Row] = {}
    for index, record in enumerate(result.records):
        row = result.rows.get(index)
        if row is not None and (row.table, row.number) in rows:
            if index < len(result.old):
                records.append(result.old[index])
            continue
        if row is not None:
            mapped[len(records)] = row
        records.append(record)
    text = _splice(result.old_text, result.where, result.old, records)
    return dataclasses.replace(result, records=records, rows=mapped, text=text, with_cell_errors=set())


def _validate_once(result: Plan, data_dir: Path) -> tuple[list[Note], set[tuple[int, int]]]:
    """Every problem of one validation of the would-be data/, and the rows they are at."""
    with tempfile.TemporaryDirectory(prefix="luohe-ledger-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir, copy)
        (copy / "items.yaml").write_text(result.text, encoding="utf-8")
        materials = data_dir.resolve().parent / "content" / "materials"
        if materials.is_dir():
            (Path(tmp) / "content").mkdir()
            (Path(tmp) / "content" / "materials").symlink_to(materials, target_is_directory=True)
        _, problems = validate(copy)
        places = _Places(result, copy, data_dir)
        notes: list[Note] = []
        rows: set[tuple[int, int]] = set()
        for problem in problems:
            if problem.severity == "notice":
                continue
            note, row = _map(problem, places)
            if note is not None:
                notes.append(note)
            if row is not None:
                rows.add((row.table, row.number))
        return notes, rows


class _Places:
    """Places in the temporary copy as the clerk knows them: data/FILE, and for a line of the
    would-be items.yaml the row of the ledger it came from (or its line in data/items.yaml)."""

    def __init__(self, result: Plan, copy: Path, data_dir: Path) -> None:
        self.result, self.copy, self.data_dir = result, copy.resolve(), data_dir
        self.starts = [n for n, line in enumerate(result.text.splitlines(), start=1) if line.startswith("-")]
        self.pattern = re.compile(re.escape(display_path(copy)) + r"[/\\]([\w.-]+)(?::(\d+))?")

    def file(self, shown: str) -> Path | None:
        try:
            return Path(shown).resolve().relative_to(self.copy)
        except ValueError:
            return None

    def text(self, message: str) -> str:
        def swap(found: re.Match) -> str:
            name, line = found.group(1), found.group(2)
            if name == "items.yaml" and line:
                return self.item_line(int(line))
            return display_path(self.data_dir / name) + (f":{line}" if line else "")
        return self.pattern.sub(swap, message)

    def item_line(self, line: int) -> str:
        index = bisect.bisect_right(self.starts, line) - 1
        ledger, row = self.result.ledger, self.result.rows.get(index)
        if row is not None:
            return f"{ledger.shown}:{ledger.place(row.table, row.number, 'id')[0]}"
        items = display_path(self.data_dir / "items.yaml")
        if index < 0 or self.result.where is None:
            return items
        return f"{items}:{self.result.where((index,))[0]}"


_PATH = re.compile(r"items\[(\d+)\](.*)")
_STEP = re.compile(r"\.(\w+)|\[(\d+)\]")
_FIELD_IN_MESSAGE = re.compile(r"\(([a-z_]+)\)|'([a-z_]+)'")


def _map(problem: Problem, places: _Places) -> tuple[Note | None, Row | None]:
    """A problem of the would-be data/ where the clerk finds it, and the ledger's row it is at."""
    result = places.result
    ledger = result.ledger
    problem = dataclasses.replace(problem, message=places.text(problem.message))
    relative = places.file(problem.file)
    if relative is None:
        return Note((2, problem.file, problem.line, problem.col), str(problem)), None
    real = display_path(places.data_dir / relative)
    prefix = {"warning": "警告:"}.get(problem.severity, "")
    found = _PATH.fullmatch(problem.path) if str(relative) == "items.yaml" else None
    if found is None:
        return Note((2, real, problem.line, problem.col), str(dataclasses.replace(problem, file=real))), None
    index = int(found.group(1))
    steps: list[str | int] = [s or int(n) for s, n in _STEP.findall(found.group(2))]
    row = result.rows.get(index)
    if row is None:  # an item the ledger did not touch: where it is in data/items.yaml
        line, col = _old_place(result, index, steps)
        return Note((2, real, line, col), str(dataclasses.replace(problem, file=real, line=line, col=col))), None
    if not steps and index in result.with_cell_errors:
        return None, row  # the row's cells are reported; what follows from them is left for the next run
    key = _column_for(steps, problem.message, row, ledger.tables[row.table])
    where, order, heading = ledger.place(row.table, row.number, key)
    message = _readable(problem.message, result.names)
    return Note(order, f"{ledger.shown}:{where}: {heading}: {prefix}{message}"), row


def _old_place(result: Plan, index: int, steps: list[str | int]) -> tuple[int, int]:
    return result.where((index, *steps))


def _column_for(steps: list[str | int], message: str, row: Row, table: Table) -> str:
    """The ledger column a problem of an item is about: its field; history is the status
    step's date; a problem of the whole record goes to the field it names (preferring one
    left blank), else to a column whose title it names, else to the status."""
    present = table.columns
    if steps:
        name = str(steps[0])
        if name == "history":  # the step's date: the one written, else the completion date it came from
            if _clean(row.values.get(CHANGE_DATE)) is None and _clean(row.values.get("done")) is not None:
                return "done" if "done" in present else "status"
            return CHANGE_DATE if CHANGE_DATE in present else "status"
        return name if name in present else "id"
    named = [a or b for a, b in _FIELD_IN_MESSAGE.findall(message)]
    named = [n for n in named if n in present]
    blank = [n for n in named if _clean(row.values.get(n)) is None]
    if blank or named:
        return (blank or named)[0]
    if "整改进展" in message and CHANGE_DATE in present:
        return CHANGE_DATE
    for column in sorted(COLUMNS, key=lambda c: -len(c.title)):
        if column.key in present and column.title in message:
            return column.key
    return "status" if "status" in present else "id"


def _readable(message: str, names: Names) -> str:
    """A message of the data as the ledger shows it: field names in brackets as the ledger's
    titles, a round's or an organisation's id in quotes as its name."""
    def swap(found: re.Match) -> str:
        name = found.group(1) or found.group(2)
        if name in BY_KEY:
            return f"(“{BY_KEY[name].title}”)" if found.group(1) else f"“{BY_KEY[name].title}”"
        if name == "history":
            return f"({title(RectificationItem, 'history')})"
        return found.group(0)

    def named(found: re.Match) -> str:
        key = found.group(1)
        label = names.organisations.get(key) or names.rounds.get(key)
        return f"“{label}”" if label else found.group(0)
    return re.sub(r"'([a-z0-9][a-z0-9-]*)'", named, _FIELD_IN_MESSAGE.sub(swap, message))


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` in one step: a temporary file beside it, synced, then renamed over it."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


# --- the export -----------------------------------------------------------------------------------


HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Sheet names from round titles: Excel's 31 characters, no []:*?/\\, unique (Excel
    compares names ignoring case) and never the instructions' or the lookup's."""
    taken = {HELP_SHEET.lower(), LOOKUP_SHEET.lower(), "history"}
    out = []
    for text in titles:
        base = re.sub(r"[\[\]:*?/\\]", "_", text).strip("'") or "台账"
        name, n = base[:31], 1
        while name.lower() in taken:
            n += 1
            suffix = f"({n})"
            name = base[:31 - len(suffix)] + suffix
        taken.add(name.lower())
        out.append(name)
    return out


def select(ds: Dataset, names: Names, round_id: str | None, organisation: str | None,
           owner_unit: str | None) -> list[tuple[Round, list[RectificationItem]]]:
    """The rounds (by start date) and their items (in data/items.yaml's
    order) the filters leave; a round asked for by id has its sheet even with no items."""
    org_id = names.organisation_id(organisation) if organisation else None
    unit = _clean(owner_unit) if owner_unit else None
    chosen: dict[str, list[RectificationItem]] = {}
    for item in ds.items:
        if round_id and item.round != round_id:
            continue
        if org_id and item.organisation != org_id:
            continue
        if unit and item.owner_unit.strip() != unit:
            continue
        chosen.setdefault(item.round, []).append(item)
    rounds = sorted(ds.rounds, key=lambda rnd: rnd.start)  # as the office counts them; stable for a tie
    return [(rnd, chosen.get(rnd.id, [])) for rnd in rounds if rnd.id in chosen or rnd.id == round_id]


def workbook(ds: Dataset, names: Names, sheets: list[tuple[Round, list[RectificationItem]]],
             scope: str) -> Workbook:
    book = Workbook()
    help_sheet = book.active
    assert isinstance(help_sheet, Worksheet)
    help_sheet.title = HELP_SHEET
    lookup_sheet, lookup = _lookup_sheet(book, ds, names)
    titles = sheet_names(names.rounds.get(rnd.id, rnd.id) for rnd, _ in sheets)
    for (_, items), name in zip(sheets, titles, strict=True):
        _fill_sheet(book.create_sheet(name), items, names, lookup)
    book.move_sheet(lookup_sheet, offset=len(sheets))
    _help(help_sheet, ds, scope, sum(len(items) for _, items in sheets))
    book.active = 0
    return book


def _lookup_sheet(book: Workbook, ds: Dataset, names: Names) -> tuple[Worksheet, dict[str, str]]:
    """The lists the drop-downs offer, on a protected sheet: key -> a range formula."""
    ws = book.create_sheet(LOOKUP_SHEET)
    lists: list[tuple[str, str, list[str], list[str] | None]] = [
        ("organisation", BY_KEY["organisation"].title, list(names.organisations.values()),
         list(names.organisations)),
        ("round", BY_KEY["round"].title, list(names.rounds.values()), list(names.rounds)),
        ("status", BY_KEY["status"].title, list(ITEM_STATUSES), [STATUS_MEANINGS[s] for s in ITEM_STATUSES]),
        ("priority", BY_KEY["priority"].title, list(PRIORITIES), None),
        ("category", BY_KEY["category"].title, list(ITEM_CATEGORIES), None),
        ("audience", BY_KEY["audience"].title, list(AUDIENCES.values()), ["可以进入公开网站", "只进内部网站"]),
        ("sample", BY_KEY["sample"].title, list(SAMPLE.values()), ["为演示而编写的示例数据", "真实信息"]),
    ]
    ranges: dict[str, str] = {}
    column = 1
    for key, heading, values, second in lists:
        ws.cell(HEADER_ROW, column, heading).font = BOLD
        for r, value in enumerate(values, start=2):
            ws.cell(r, column, value).data_type = "s"
        letter = get_column_letter(column)
        ranges[key] = f"'{LOOKUP_SHEET}'!${letter}$2:${letter}${max(len(values), 1) + 1}"
        ws.column_dimensions[letter].width = 30 if key in ("organisation", "round", "category") else 12
        if second is not None:
            other = "编号" if key in ("organisation", "round") else "含义"
            ws.cell(HEADER_ROW, column + 1, other).font = BOLD
            for r, value in enumerate(second, start=2):
                ws.cell(r, column + 1, value)
            ws.column_dimensions[get_column_letter(column + 1)].width = 24
            column += 1
        column += 2
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    return ws, ranges


def _fill_sheet(ws: Worksheet, items: list[RectificationItem], names: Names, lookup: dict[str, str]) -> None:
    last = len(items) + 1 + SPARE_ROWS
    for number, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(number)
        head = ws.cell(HEADER_ROW, number, column.title)
        head.font, head.fill, head.alignment = BOLD, HEADER_FILL, Alignment(wrap_text=True, vertical="center")
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width
        dimension.number_format = DATE_FORMAT if column.kind == "date" else TEXT_FORMAT
        dimension.protection = Protection(locked=column.key == "id")
        dimension.alignment = WRAP if column.kind == "text" else TOP
        if column.key == "id":
            dimension.fill = LOCKED_FILL
    for r, item in enumerate(items, start=2):
        for number, column in enumerate(COLUMNS, start=1):
            cell = ws.cell(r, number)
            value = _export_value(item, column, names)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text, even "=…"
            cell.number_format = DATE_FORMAT if column.kind == "date" else TEXT_FORMAT
            cell.protection = Protection(locked=column.key == "id")
            cell.alignment = WRAP if column.kind == "text" else TOP
            if column.key == "id":
                cell.fill = LOCKED_FILL
    ws.row_dimensions[HEADER_ROW].height = 30
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{max(len(items) + 1, 2)}"
    for number, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(number)
        rule = _validation(column, lookup)
        if rule is None:
            continue
        rule.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(rule)
    protection = ws.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = protection.formatCells = False
    protection.autoFilter = protection.sort = protection.insertRows = False


def _export_value(item: RectificationItem, column: Column, names: Names) -> Any:
    if column.key in (CHANGE_DATE, CHANGE_NOTE):
        return None
    value = getattr(item, column.key)
    if column.kind == "round":
        return names.rounds.get(value, value)
    if column.kind == "organisation":
        return names.organisations.get(value, value)
    if column.kind == "audience":
        return AUDIENCES.get(value, value) if value is not None else None
    if column.kind == "sample":
        return SAMPLE[bool(value)]
    return value


def _validation(column: Column, lookup: dict[str, str]) -> DataValidation | None:
    prompt = column.description[:250]
    if column.kind == "date":
        rule = DataValidation(type="date", operator="between", formula1="DATE(1900,1,1)",
                              formula2="DATE(2100,12,31)", allow_blank=True, errorStyle="warning")
        rule.error = f"请填写日期,如 {_FORMS}"
    elif column.key in lookup:
        rule = DataValidation(type="list", formula1=lookup[column.key], allow_blank=True, errorStyle="stop")
        rule.error = f"请从下拉列表中选择{column.title}(见“{LOOKUP_SHEET}”工作表)"
    else:
        return None
    rule.errorTitle = column.title[:32]
    rule.promptTitle, rule.prompt = column.title[:32], prompt
    rule.showErrorMessage = rule.showInputMessage = True
    return rule


def _help(ws: Worksheet, ds: Dataset, scope: str, count: int) -> None:
    """The instructions sheet, in plain Chinese."""
    step, note = BY_KEY[CHANGE_DATE].title, BY_KEY[CHANGE_NOTE].title
    lines: list[tuple[str, ...]] = [
        ("整改台账",),
        (f"数据截至 {ds.as_of.isoformat()};导出范围:{scope};共 {count} 条整改事项。",),
        ("本台账是内部文件:含只进内部网站的整改事项(公开范围为“内部”)和“内部备注”,只在巡察办、被巡察单位和"
         "纪委监委之间传递,不得公开、不得上传到互联网。",),
        ("",),
        ("怎样填写",),
        ("1. 每个工作表是一轮巡察的整改事项,一行一条。灰色的“编号”一栏已锁定,不要改;其他各栏可以直接修改。",),
        ("2. 新增整改事项:在表格下方的空行填写,“编号”留空,导入时自动编号;“公开范围”须选择。",),
        ("3. 删除一行不会删除整改事项。确需删除的,请联系巡察办。",),
        (f"4. 改变“状态”时,同时填写“{step}”(改变的那一天)和“{note}”(会在网站上公开):导入时记入该事项的整改进展。"
         f"改为“已完成”时须写“完成日期”,“{step}”可不写(按完成日期记)。不改状态只写“{step}”,记为一条进展。",),
        ("5. 状态为“申请延期”时须写“调整后时限”和“调整原因”;为“未完成”时须写“未完成原因”;为“已完成”时须写“完成日期”。",),
        ("6. 日期可以写成 2024-10-31、2024/10/31、2024.10.31 或 2024年10月31日。",),
        ("7. 状态、优先级、巡察轮次、被巡察党组织、公开范围、示例数据请从下拉列表中选择(名称见“对照表”工作表);"
         "问题类别尽量从下拉列表中选择。",),
        ("8. 不要合并单元格,不要写公式,不要增删列或改列标题;保存为 .xlsx(不要存成 .xlsm 或 .xls)。",),
        ("9. 交回巡察办导入:make import FILE=文件名.xlsx,或 python -m publishing.ledger import 文件名.xlsx。"
         "导入时逐行校验,发现的问题一次全部列出,格式为“文件名:工作表!单元格: 列名: 说明”,数据不做任何改动;"
         "按说明改正后重新导入即可。",),
        ("",),
        ("各列说明",),
        ("列", "说明", "可选值"),
    ]
    for column in COLUMNS:
        allowed = {"status": "、".join(ITEM_STATUSES), "priority": "、".join(PRIORITIES),
                   "audience": "公开、内部", "sample": "是、否", "round": "见“对照表”",
                   "organisation": "见“对照表”", "category": "见“对照表”"}.get(column.key, "")
        lines.append((column.title, column.description, allowed))
    lines += [("",), ("整改状态的含义",)]
    lines += [(status, STATUS_MEANINGS[status]) for status in ITEM_STATUSES]
    for r, values in enumerate(lines, start=1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if len(values) == 1 and value in ("整改台账", "怎样填写", "各列说明", "整改状态的含义"):
                cell.font = Font(bold=True, size=14 if value == "整改台账" else 12)
            if values == ("列", "说明", "可选值"):
                cell.font, cell.fill = BOLD, HEADER_FILL
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].width = 40
    for r, values in enumerate(lines, start=1):
        if len(values) == 1 and values[0]:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    ws.protection.sheet = True


def save(book: Workbook, out: Path, when: dt.datetime) -> None:
    """Write the workbook reproducibly (its dates and every zip member's time are `when`,
    never the clock), atomically (a temporary file beside OUT, then renamed)."""
    book.properties.created = book.properties.modified = when
    book.properties.creator = book.properties.lastModifiedBy = "publishing.ledger"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    packed = io.BytesIO()
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(member.filename))
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(packed.getvalue())
        os.chmod(temporary, 0o644)
        os.replace(temporary, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def run_export(out: Path, data_dir: Path, round_id: str | None = None, organisation: str | None = None,
               owner_unit: str | None = None, stdout: Any = None, stderr: Any = None) -> int:
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    if out.suffix.lower() != ".xlsx":
        print(f"{out}: 台账只导出为 .xlsx 工作簿", file=stderr)
        return 2
    ds, problems = validate(data_dir)
    if ds is None:
        for p in problems:
            print(p, file=stderr)
        print("数据有错误,未导出台账;请先改正(make validate)。", file=stderr)
        return 1
    names = Names.of(ds.rounds, ds.bodies, ds.organisations)
    if round_id and round_id not in names.rounds:
        found = names.round_id(round_id)
        if found is None:
            print(f"没有编号或名称为“{round_id}”的巡察轮次", file=stderr)
            return 2
        round_id = found
    if organisation and names.organisation_id(organisation) is None:
        print(f"没有编号或名称为“{organisation}”的被巡察党组织", file=stderr)
        return 2
    sheets = select(ds, names, round_id, organisation, owner_unit)
    if not sheets:
        print("没有符合条件的整改事项,未导出台账。", file=stderr)
        return 1
    scope = "、".join(part for part in (
        f"巡察轮次 {names.rounds[round_id]}" if round_id else "",
        f"被巡察党组织 {names.organisations[names.organisation_id(organisation) or '']}" if organisation else "",
        f"责任单位 {owner_unit}" if owner_unit else "") if part) or "全部整改事项"
    book = workbook(ds, names, sheets, scope)
    try:
        save(book, out, dt.datetime.combine(ds.as_of, dt.time(0)))
    except OSError as exc:
        print(f"{out}: 写入失败({exc.strerror or exc});如果这个文件正在 Excel 中打开,请先关闭", file=stderr)
        return 1
    count = sum(len(items) for _, items in sheets)
    print(f"已导出 {count} 条整改事项({len(sheets)} 个工作表)到 {out}", file=stdout)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m publishing.ledger",
                                     description="整改台账:导出为 Excel 工作簿,或把改好的台账导入 data/items.yaml")
    sub = parser.add_subparsers(dest="command", required=True)
    e = sub.add_parser("export", help="把整改事项导出为 .xlsx 台账")
    e.add_argument("out", help="台账文件,如 整改台账.xlsx")
    e.add_argument("--round", help="只导出这一轮(编号或名称)")
    e.add_argument("--organisation", help="只导出这个被巡察党组织(编号或名称)")
    e.add_argument("--owner-unit", help="只导出这个责任单位的事项")
    e.add_argument("--data", default="data")
    i = sub.add_parser("import", help="校验改好的台账(.xlsx 或 .csv),全部无误才写入 data/items.yaml")
    i.add_argument("file")
    i.add_argument("--data", default="data")
    args = parser.parse_args(argv)
    if args.command == "export":
        return run_export(Path(args.out), Path(args.data), args.round, args.organisation, args.owner_unit)
    return run_import(Path(args.file), Path(args.data), shown=args.file)


if __name__ == "__main__":
    sys.exit(main())
