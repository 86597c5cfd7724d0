"""The Excel ledger (整改台账, issue #14 points 1 and 2): `python -m publishing.ledger export`
writes the items as a workbook a clerk can fill in; `import` reads it back, validates the
would-be data/ with the same models and checks as `make validate`, reports every problem at
once at its SHEET!CELL, and only then rewrites data/items.yaml. Every refusal leaves data/
byte for byte as it was."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from generators.inspections import round_title
from generators.labels import title
from generators.model import ITEM_CATEGORIES, ITEM_STATUSES, RectificationItem, StatusChange
from generators.pipeline import validate
from generators.yamlstrict import parse, refused_character
from publishing import ledger
from tools.sample_data import dump as sample_dump

from .conftest import ROOT, run

# a round with a target that can take one more item: no published totals to reconcile, and
# fewer items than problems found
ROUND, NEW_ORG = "r-2022-luohe-1", "o-xicheng-02"


# --- helpers ----------------------------------------------------------------------------


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    """The ledger of ROUND exported from the shipped data (read, never written)."""
    out = tmp_path_factory.mktemp("ledger") / "台账.xlsx"
    assert ledger.main(["export", str(out), "--round", ROUND, "--data", str(ROOT / "data")]) == 0
    return out


@pytest.fixture(scope="module")
def shipped():
    ds, _ = validate(ROOT / "data")
    assert ds is not None
    return ds


def import_(path: Path, data_dir: Path, capsys) -> tuple[int, str, str]:
    code = ledger.main(["import", str(path), "--data", str(data_dir)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


class Sheet:
    """The round's sheet of a copy of the ledger, edited by column title."""

    def __init__(self, source: Path) -> None:
        self.book = load_workbook(source)
        self.ws = self.book.worksheets[1]
        self.name = self.ws.title
        self.columns = {c.value: c.column for c in self.ws[1]}

    def cell(self, row: int, heading: str) -> str:
        return f"{get_column_letter(self.columns[heading])}{row}"

    def __getitem__(self, place: tuple[int, str]):
        return self.ws[self.cell(*place)].value

    def __setitem__(self, place: tuple[int, str], value) -> None:
        self.ws[self.cell(*place)] = value

    def rows(self, **wanted) -> list[int]:
        """Row numbers whose cells have the wanted values (by column title)."""
        found = []
        for r in range(2, self.ws.max_row + 1):
            if self.ws.cell(r, 1).value and all(self[r, k] == v for k, v in wanted.items()):
                found.append(r)
        return found

    def save(self, path: Path) -> Path:
        self.book.save(path)
        return path


def items_of(data_dir: Path) -> list[dict]:
    parsed, problems = parse((data_dir / "items.yaml").read_text(encoding="utf-8"), "items.yaml", "items")
    assert not problems
    return parsed.value


# --- out -------------------------------------------------------------------------------------


def test_the_workbook_a_clerk_gets(book, shipped):
    wb = load_workbook(book)
    rnd = shipped.by_id("rounds")[ROUND]
    sheet_title = round_title(rnd, shipped.by_id("bodies"))
    assert wb.sheetnames == ["说明", sheet_title, "对照表"]
    ws = wb[sheet_title]
    headers = [c.value for c in ws[1]]
    fields = ["id", "round", "organisation", "category", "priority", "description", "owner_unit", "deadline",
              "revised_deadline", "revision_reason", "status", None, "note", "done", "unfinished_reason",
              "audience", "sample", "internal_notes"]
    for heading, name in zip(headers, fields, strict=True):
        if name == "note":
            assert heading == title(StatusChange, "note")
        elif name is None:
            assert heading == title(ledger.StatusStep, "date") == "状态变更日期"
        else:
            assert heading == title(RectificationItem, name)  # the declared titles, not field names
    items = [i for i in shipped.items if i.round == ROUND]
    assert ws.max_row == len(items) + 1
    assert [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)] == [i.id for i in items]
    # names, not ids; real dates; the internal items and notes too (an internal document)
    org = shipped.by_id("organisations")[items[0].organisation].name
    assert ws["C2"].value == org and ws["B2"].value == sheet_title
    assert ws["H2"].is_date and isinstance(ws["H2"].value, dt.datetime) and ws["H2"].number_format == "yyyy-mm-dd"
    assert ws["H2"].value.date() == items[0].deadline
    column = {h: get_column_letter(n) for n, h in enumerate(headers, start=1)}
    audience = [ws[f"{column['公开范围']}{r}"].value for r in range(2, ws.max_row + 1)]
    assert audience.count("内部") == sum(not i.is_public for i in items)
    notes = [ws[f"{column['内部备注']}{r}"].value for r in range(2, ws.max_row + 1)]
    assert notes.count(None) == sum(i.internal_notes is None for i in items) < len(items)
    # frozen header and id column, widths, protection with only the id column locked
    assert ws.freeze_panes == "B2" and ws.protection.sheet
    assert ws.column_dimensions["F"].width >= 40
    assert ws["A2"].protection.locked and ws.column_dimensions["A"].protection.locked
    for letter in column.values():
        if letter != "A":
            assert not ws[f"{letter}2"].protection.locked and not ws.column_dimensions[letter].protection.locked
    # a drop-down list for every closed set, from the lookup sheet
    lookup = wb["对照表"]
    rules = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}

    def offered(heading: str) -> list[str]:
        dv = rules[f"{column[heading]}2"]
        assert dv.type == "list" and dv.showErrorMessage
        cells = dv.formula1.split("!")[1].replace("$", "")
        return [c.value for row in lookup[cells] for c in row]

    assert offered("状态") == list(ITEM_STATUSES)
    assert offered("优先级") == ["高", "中", "低"]
    assert offered("公开范围") == ["公开", "内部"] and offered("示例数据") == ["是", "否"]
    assert org in offered("被巡察党组织") and sheet_title in offered("巡察轮次")
    assert offered("问题类别") == list(ITEM_CATEGORIES)  # the declared list, not what happens to be in use
    assert rules[f"{column['问题类别']}2"].errorStyle == "stop"
    assert rules[f"{column['状态']}2"].errorStyle == "stop"
    assert rules[f"{column['原定时限']}2"].type == "date"
    assert lookup.protection.sheet
    # the instructions, in plain Chinese, say the ledger is internal
    text = "\n".join(str(c.value) for row in wb["说明"] for c in row if c.value)
    assert "内部文件" in text and "内部备注" in text and "状态变更日期" in text
    assert "python -m publishing.ledger import" in text and "make import" in text


def test_sheet_names_fit_excel():
    long = "十一届市委第五轮巡察" * 5
    names = ledger.sheet_names([long, long, "2024/1:[a]?*", "说明", "对照表"])
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == 5
    assert names[0] == long[:31] and names[1].endswith("(2)")
    assert not re.search(r"[\[\]:*?/\\]", names[2])
    assert "说明" not in names and "对照表" not in names


def test_export_is_reproducible_and_filters(tmp_path, data, capsys):
    one, two = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert ledger.main(["export", str(one), "--data", str(data), "--organisation", NEW_ORG]) == 0
    assert ledger.main(["export", str(two), "--data", str(data), "--organisation", "中共西城区民政局党组"]) == 0
    assert one.read_bytes() == two.read_bytes()  # no clock in it; the name finds the same organisation
    wb = load_workbook(one)
    orgs = {wb[s].cell(r, 3).value for s in wb.sheetnames[1:-1] for r in range(2, wb[s].max_row + 1)}
    assert orgs == {"中共西城区民政局党组"} and len(wb.sheetnames) > 3
    three = tmp_path / "c.xlsx"
    assert ledger.main(["export", str(three), "--data", str(data), "--owner-unit", "纪检组", "--round", ROUND]) == 0
    ws = load_workbook(three).worksheets[1]
    assert {ws.cell(r, 7).value for r in range(2, ws.max_row + 1)} == {"纪检组"}
    assert ledger.main(["export", str(tmp_path / "d.xlsx"), "--data", str(data), "--round", "r-none"]) == 2
    assert "没有编号或名称为“r-none”的巡察轮次" in capsys.readouterr().err


# --- round trips -------------------------------------------------------------------------------


def test_dump_writes_the_layout_of_the_shipped_data():
    text = (ROOT / "data" / "items.yaml").read_text(encoding="utf-8")
    records = parse(text, "items.yaml", "items")[0].value
    body = text.split("\n", 1)[1] if text.startswith("#") else text
    assert ledger.dump(records[:50]) == sample_dump(records[:50])
    assert ledger.dump(records) == body


def test_an_untouched_ledger_changes_nothing(tmp_path, data, capsys):
    """make ledger, then make import of the untouched workbook: data/ byte-identical; so is a
    sheet saved as Excel saves "CSV UTF-8" (BOM, dates as 2022/12/13, 是/否)."""
    before = digest(data)
    whole = tmp_path / "整改台账.xlsx"
    assert ledger.main(["export", str(whole), "--data", str(data)]) == 0
    code, out, err = import_(whole, data, capsys)
    assert (code, err) == (0, "") and "没有改动" in out
    assert digest(data) == before
    wb = load_workbook(whole)
    shown = [row[15] for ws in wb.worksheets[1:-1] for row in ws.iter_rows(min_row=2, values_only=True)]
    items = items_of(data)
    assert len(shown) == len(items) and shown.count("内部") == sum(i["audience"] == "internal" for i in items) > 0
    ws = wb.worksheets[1]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in ws.iter_rows(values_only=True):
        writer.writerow([f"{v.year}/{v.month}/{v.day}" if isinstance(v, dt.datetime) else ("" if v is None else v)
                         for v in row])
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    code, out, err = import_(sheet, data, capsys)
    assert (code, err) == (0, "") and "没有改动" in out
    assert digest(data) == before


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn")), min_size=1, max_size=40).filter(
    lambda s: s == s.strip() and refused_character(s) is None)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(description=TEXT, owner=TEXT)
@example(description="=SUM(A1:A9)", owner="110")
@example(description="no", owner="1.10")
@example(description="第一行\n第二行", owner="~")
@example(description="- 列表: 冒号 # 井号 '引号' \"双引号\"", owner="2024-10-31")
@example(description="@提到 +加 -减", owner="true")
def test_edited_text_comes_back_exactly(book, tmp_path, description, owner):
    """A description and an owner unit edited to any text (Excel trims nothing but the
    edges) round-trip through the workbook and data/items.yaml to exactly that text."""
    sheet = Sheet(book)
    sheet[2, "整改事项"] = description
    sheet[3, "责任单位"] = owner
    for place in ((2, "整改事项"), (3, "责任单位")):
        sheet.ws[sheet.cell(*place)].data_type = "s"  # typed as text ('=… in Excel), never a formula
    edited = sheet.save(tmp_path / "edited.xlsx")
    plan = ledger.plan(ledger.read(edited, "edited.xlsx"), ROOT / "data")
    assert plan.ledger.notes == []
    by_id = {r["id"]: r for r in plan.records}
    assert by_id[sheet[2, "编号"]]["description"] == description
    assert by_id[sheet[3, "编号"]]["owner_unit"] == owner
    written = {r["id"]: r for r in parse(ledger.dump([by_id[sheet[2, "编号"]], by_id[sheet[3, "编号"]]]),
                                         "items.yaml", "items")[0].value}
    assert written[sheet[2, "编号"]]["description"] == description
    assert written[sheet[3, "编号"]]["owner_unit"] == owner


def _forms(day: dt.date) -> list:
    serial = (day - dt.date(1899, 12, 30)).days
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    return [day, dt.datetime.combine(day, dt.time(0)), serial, float(serial), str(serial), day.isoformat(),
            f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month:02}.{day.day:02}",
            f"{day.year}年{day.month}月{day.day}日", f"{day.year}年{day.month}月{day.day}日".translate(wide),
            f" {day.isoformat()}\u3000", f"{day.isoformat()} 00:00:00", day.strftime("%Y%m%d")]


@settings(max_examples=200, deadline=None)
@given(day=st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31)), form=st.integers(0, 12))
def test_a_date_typed_in_any_accepted_form_is_that_date(day, form):
    assert ledger.cell_value("deadline", _forms(day)[form], ledger.Names()) == day.isoformat()


@pytest.mark.parametrize("typed, message", [
    ("2024.13.01", "月份应为 1 至 12"), ("2024-02-30", "2024年2月没有 30 日"), ("下周", "不是日期"),
    ("2024-10-31 09:30", "不是日期"), (dt.datetime(2024, 10, 31, 9, 30), "带有时刻"), (12.5, "不是日期"),
])
def test_a_date_that_is_none_is_refused_in_plain_chinese(typed, message):
    with pytest.raises(ledger.CellError, match=message):
        ledger.cell_value("deadline", typed, ledger.Names())


# --- in: what Excel users type, and their mistakes ----------------------------------------------


def test_what_excel_users_type_is_accepted(book, tmp_path, data, capsys):
    sheet = Sheet(book)
    rows = sheet.rows(调整后时限=None, 状态="整改中")[:9]
    forms = [dt.datetime(2024, 10, 31), 45596, "45596", "2024.10.31", "2024/10/31", "2024年10月31日",
             "２０２４年１０月３１日", " 2024-10-31\u3000", "2024-10-31 00:00:00"]
    for r, typed in zip(rows, forms, strict=True):
        sheet[r, "调整后时限"] = typed
        sheet[r, "调整原因"] = "  需多部门协调\u3000 "           # blanks and a full-width space at the edges
    sheet[rows[0], "责任单位"] = 110                           # a number where text is wanted
    sheet[rows[1], "优先级"] = " 高 "
    sheet[rows[2], "状态"] = "整改中\u3000"
    sheet[rows[3], "示例数据"] = True                          # Excel's TRUE
    new = sheet.ws.max_row + 3                                 # blank rows before a new item
    for heading, value in {"巡察轮次": sheet[2, "巡察轮次"], "被巡察党组织": "中共西城区民政局党组",
                           "问题类别": "基层党组织建设薄弱", "优先级": "中", "整改事项": "新增的问题 ",
                           "责任单位": "办公室", "原定时限": "２０２４．１２．３０", "状态": "未启动",
                           "公开范围": "内部"}.items():
        sheet[new, heading] = value
    code, out, err = import_(sheet.save(tmp_path / "typed.xlsx"), data, capsys)
    assert (code, err) == (0, ""), err
    items = {r["id"]: r for r in items_of(data)}
    for r in rows:
        assert items[sheet[r, "编号"]]["revised_deadline"] == "2024-10-31"
        assert items[sheet[r, "编号"]]["revision_reason"] == "需多部门协调"
    assert items[sheet[rows[0], "编号"]]["owner_unit"] == "110"
    assert items[sheet[rows[1], "编号"]]["priority"] == "高"
    added = [i for i in items.values() if i["description"] == "新增的问题"]
    assert len(added) == 1 and added[0]["deadline"] == "2024-12-30" and added[0]["audience"] == "internal"
    assert added[0]["sample"] is False and "history" not in added[0]
    assert added[0]["id"].startswith(f"i-{ROUND[2:]}-{NEW_ORG[2:]}-")
    assert validate(data)[0] is not None
    assert not list(data.glob(".*"))  # the atomic write left nothing behind


def test_progress_and_a_corrected_done_date_keep_the_history_sound(book, tmp_path, data, capsys):
    """A date with the status unchanged is a progress entry; a corrected completion date moves
    its entry with it; importing the same workbook again changes nothing."""
    sheet = Sheet(book)
    going = sheet.rows(状态="整改中", 调整后时限=None, 完成日期=None)[0]
    done = sheet.rows(状态="已完成")[0]
    sheet[going, "状态变更日期"] = "2024年11月1日"
    sheet[going, "进展说明"] = "完成台账梳理"
    corrected = sheet[done, "完成日期"] + dt.timedelta(days=1)
    sheet[done, "完成日期"] = corrected
    edited = sheet.save(tmp_path / "progress.xlsx")
    old = {r["id"]: r for r in items_of(data)}
    code, out, err = import_(edited, data, capsys)
    assert (code, err) == (0, ""), err
    new = {r["id"]: r for r in items_of(data)}
    a, b = sheet[going, "编号"], sheet[done, "编号"]
    assert new[a]["history"] == old[a]["history"] + [{"date": "2024-11-01", "status": "整改中", "note": "完成台账梳理"}]
    assert new[b]["done"] == corrected.date().isoformat()
    assert new[b]["history"][:-1] == old[b]["history"][:-1]
    assert new[b]["history"][-1] == {**old[b]["history"][-1], "date": corrected.date().isoformat()}
    after = digest(data)
    code, out, err = import_(edited, data, capsys)
    assert (code, err) == (0, "") and "没有改动" in out
    assert digest(data) == after


def test_a_csv_is_read_like_a_sheet(book, tmp_path, data, capsys):
    before = digest(data)
    rows = list(load_workbook(book).worksheets[1].iter_rows(values_only=True))
    rows[2] = tuple("办理中" if v == rows[2][10] and n == 10 else v for n, v in enumerate(rows[2]))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if v is None else v for v in row] for row in rows])
    path = tmp_path / "台账.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")  # UTF-8 without the BOM
    code, out, err = import_(path, data, capsys)
    assert code == 1 and err.startswith(f"{path}:K3: 状态: “办理中”不是可选的状态")
    assert digest(data) == before


def test_typical_mistakes_are_all_reported_at_their_cells(book, tmp_path, data, capsys, shipped):
    before = digest(data)
    sheet = Sheet(book)
    going = sheet.rows(状态="整改中", 调整后时限=None, 完成日期=None)
    going += sheet.rows(状态="未启动", 调整后时限=None, 完成日期=None)
    done = sheet.rows(状态="已完成")
    planted: list[tuple[int, str, str]] = []

    def plant(row: int, heading: str, value, expected: str, at: str | None = None) -> None:
        sheet[row, heading] = value
        planted.append((row, at or heading, expected))

    plant(going[0], "原定时限", "2024.13.01", "日期“2024.13.01”不存在:月份应为 1 至 12")
    plant(going[1], "状态", "办理中", "“办理中”不是可选的状态;应为 未启动、整改中")
    plant(going[2], "被巡察党组织", "不存在的党组织", "找不到被巡察党组织“不存在的党组织”")
    plant(going[3], "状态", "基本完成、持续整改", "改为“基本完成、持续整改”,请在“状态变更日期”写明改变的日期",
          at="状态变更日期")
    plant(going[4], "调整后时限", "2025-03-31", "调整整改时限须同时写明新时限", at="调整原因")
    sheet[going[5], "状态变更日期"] = "2024-10-31"
    plant(going[5], "状态", "已完成", "状态为已完成,须写明完成日期(“完成日期”)", at="完成日期")
    sheet[going[6], "状态"] = "已完成"
    plant(going[6], "完成日期", "2025-06-30", f"完成日期 2025-06-30 晚于数据截止日期 {shipped.as_of}")
    plant(going[7], "责任单位", None, "必填,不能为空")
    plant(going[8], "原定时限", "2019-01-01", "整改时限 2019-01-01 早于反馈日期")
    plant(going[9], "优先级", "很高", "“很高”不是可选的优先级")
    plant(going[10], "进展说明", "已制定方案", "写了进展说明,请同时写“状态变更日期”")
    plant(going[11], "公开范围", "对外", "应为“公开”(可以进入公开网站)或“内部”")
    plant(going[12], "编号", sheet[done[0], "编号"], f"编号“{sheet[done[0], '编号']}”在台账中出现了两次(另见 {sheet.name}!A{done[0]})")
    plant(going[13], "巡察轮次", "第九十九轮", "找不到巡察轮次“第九十九轮”")
    plant(going[14], "问题类别", "作风问题", "“作风问题”不是可选的问题类别")
    code, out, err = import_(sheet.save(tmp_path / "mistakes.xlsx"), data, capsys)
    assert code == 1 and out == "" and "Traceback" not in err
    lines = err.splitlines()
    for row, heading, expected in planted:
        prefix = f"{tmp_path / 'mistakes.xlsx'}:{sheet.name}!{sheet.cell(row, heading)}: {heading}: "
        found = [line for line in lines if line.startswith(prefix) and expected in line]
        assert len(found) == 1, (prefix, expected, err)
    assert lines[-1].startswith("台账有 ") and "data/ 没有任何改动" in lines[-1]
    assert digest(data) == before


def test_the_clerks_workflow_end_to_end(project_copy, monkeypatch, capsys):
    """As the README tells a clerk: export, edit in Excel, import (every mistake in one run,
    nothing changed), fix, import again, validate; the commands without make."""
    site = project_copy / "site" / "public"
    site.mkdir(parents=True)
    (site / "index.html").write_text("built before\n", encoding="utf-8")
    before, site_before = digest(project_copy / "data"), digest(project_copy / "site")
    original = items_of(project_copy / "data")
    result = run(["-m", "publishing.ledger", "export", "整改台账.xlsx", "--round", ROUND], cwd=project_copy)
    assert result.returncode == 0, result.stderr
    sheet = Sheet(project_copy / "整改台账.xlsx")
    going = sheet.rows(状态="整改中", 调整后时限=None, 完成日期=None)
    waiting = sheet.rows(状态="未启动", 调整后时限=None)
    finished, delayed = going[0], waiting[0]
    # typical edits: done with its date, a revised deadline with its reason, a new item
    sheet[finished, "状态"] = "已完成"
    sheet[finished, "完成日期"] = "2024/10/31"
    sheet[finished, "进展说明"] = "整改到位,验收销号"
    sheet[delayed, "调整后时限"] = "2025年3月31日"
    sheet[delayed, "调整原因"] = "涉及历史遗留问题,需多部门协调"
    sheet[delayed, "状态"] = "申请延期"
    sheet[delayed, "状态变更日期"] = "2024.11.05"
    new = sheet.ws.max_row + 1
    for heading, value in {"巡察轮次": sheet[2, "巡察轮次"], "被巡察党组织": "中共西城区民政局党组",
                           "问题类别": "基层党组织建设薄弱", "优先级": "高", "整改事项": "村级财务公开不及时",
                           "责任单位": "办公室", "原定时限": "2025-03-31", "状态": "整改中",
                           "状态变更日期": "2024-12-01", "进展说明": "制定整改方案", "公开范围": "公开"}.items():
        sheet[new, heading] = value
    # typical mistakes
    mistakes = {(going[1], "原定时限"): "2024.13.01", (going[2], "状态"): "办理中",
                (going[3], "被巡察党组织"): "中共漯河市不存在局党组"}
    kept = {place: sheet[place] for place in mistakes}
    for place, value in mistakes.items():
        sheet[place] = value
    sheet.save(project_copy / "整改台账.xlsx")
    result = run(["-m", "publishing.ledger", "import", "整改台账.xlsx"], cwd=project_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    cells = [line.split(": ")[0] for line in result.stderr.splitlines()[:-1]]
    assert cells == [f"整改台账.xlsx:{sheet.name}!{sheet.cell(*place)}" for place in mistakes], result.stderr
    assert "日期“2024.13.01”不存在" in result.stderr and "“办理中”不是可选的状态" in result.stderr
    assert "找不到被巡察党组织“中共漯河市不存在局党组”" in result.stderr
    assert digest(project_copy / "data") == before and digest(project_copy / "site") == site_before
    # fixed, imported
    for place, value in kept.items():
        sheet[place] = value
    sheet.save(project_copy / "整改台账.xlsx")
    result = run(["-m", "publishing.ledger", "import", "整改台账.xlsx"], cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert "修改 2 条,新增 1 条" in result.stdout
    ds, problems = validate(project_copy / "data")  # what make validate --strict asks
    assert ds is not None and not [p for p in problems if p.severity != "notice"]
    now = items_of(project_copy / "data")
    assert len(now) == len(original) + 1 and now[:-1] != original
    changed = {a["id"]: (a, b) for a, b in zip(original, now, strict=False) if a != b}
    ids = {sheet[finished, "编号"], sheet[delayed, "编号"]}
    assert set(changed) == ids
    old, item = changed[sheet[finished, "编号"]]
    assert item["status"] == "已完成" and item["done"] == "2024-10-31"
    assert item["history"] == old["history"] + [{"date": "2024-10-31", "status": "已完成", "note": "整改到位,验收销号"}]
    old, item = changed[sheet[delayed, "编号"]]
    assert (item["revised_deadline"], item["revision_reason"], item["status"]) == (
        "2025-03-31", "涉及历史遗留问题,需多部门协调", "申请延期")
    assert item["history"] == old.get("history", []) + [{"date": "2024-11-05", "status": "申请延期"}]
    assert list(item) == [k for k in ledger.KEY_ORDER if k in item]  # new keys at their place
    added = now[-1]
    assert added["id"] == f"i-{ROUND[2:]}-{NEW_ORG[2:]}-{sum(i['organisation'] == NEW_ORG and i['round'] == ROUND for i in original) + 1:03d}"
    assert added["history"] == [{"date": "2024-12-01", "status": "整改中", "note": "制定整改方案"}]
    assert digest(project_copy / "site") == site_before
    # the same workbook again: its new row is known, nothing is added twice
    after = digest(project_copy / "data")
    monkeypatch.chdir(project_copy)
    assert ledger.main(["import", "整改台账.xlsx"]) == 1
    err = capsys.readouterr().err
    assert "可能已经导入过" in err and f"整改台账.xlsx:{sheet.name}!{sheet.cell(new, '整改事项')}: 整改事项: " in err
    assert digest(project_copy / "data") == after


# --- files that are refused whole -----------------------------------------------------------------


def _replace_member(source: Path, target: Path, name: str, content: bytes | None = None, extra: dict | None = None,
                    transform=None) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == name:
                data = content if content is not None else transform(data)
            new.writestr(info.filename, data)
        for extra_name, extra_data in (extra or {}).items():
            new.writestr(extra_name, extra_data)
    return target


def _formula(book: Path, tmp: Path) -> Path:
    sheet = Sheet(book)
    sheet[2, "责任单位"] = '="办公室"'
    return sheet.save(tmp / "formula.xlsx")


def _merged(book: Path, tmp: Path) -> Path:
    sheet = Sheet(book)
    sheet.ws.merge_cells(f"{sheet.cell(3, '整改事项')}:{sheet.cell(3, '责任单位')}")
    return sheet.save(tmp / "merged.xlsx")


def _unknown_column(book: Path, tmp: Path) -> Path:
    sheet = Sheet(book)
    sheet.ws.cell(1, 19, "联系人")
    sheet.ws.cell(2, 19, "张三")
    return sheet.save(tmp / "unknown.xlsx")


def _missing_column(book: Path, tmp: Path) -> Path:
    sheet = Sheet(book)
    sheet.ws.delete_cols(sheet.columns["状态"])
    return sheet.save(tmp / "missing.xlsx")


def _not_a_ledger(book: Path, tmp: Path) -> Path:
    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    wb.active.append(["张三", "12388"])
    wb.save(tmp / "contacts.xlsx")
    return tmp / "contacts.xlsx"


def _macros(book: Path, tmp: Path) -> Path:
    target = tmp / "macro.xlsm"
    shutil.copy(book, target)
    return target


def _macros_renamed(book: Path, tmp: Path) -> Path:
    return _replace_member(book, tmp / "renamed.xlsx", "", extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"})


def _not_a_zip(book: Path, tmp: Path) -> Path:
    (tmp / "text.xlsx").write_text("编号,状态\n", encoding="utf-8")
    return tmp / "text.xlsx"


def _damaged(book: Path, tmp: Path) -> Path:
    return _replace_member(book, tmp / "damaged.xlsx", "xl/workbook.xml", b"<workbook")


def _gbk_csv(book: Path, tmp: Path) -> Path:
    (tmp / "gbk.csv").write_bytes("编号,巡察轮次,被巡察党组织,状态\n".encode("gbk"))
    return tmp / "gbk.csv"


def _zip_bomb(book: Path, tmp: Path) -> Path:
    """200 MB of zeros, 200 KB zipped, beside a real ledger's parts."""
    target = _replace_member(book, tmp / "bomb.xlsx", "")
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/media/image1.bin", "w", force_zip64=True) as member:
        chunk = bytes(2**20)
        for _ in range(200):
            member.write(chunk)
    assert target.stat().st_size < 2**20
    return target


def _rows(count: int, dimension: str) -> bytes:
    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main">{dimension}<sheetData>')
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, count + 1))
    return (head + rows + "</sheetData></worksheet>").encode()


def _million_rows(book: Path, tmp: Path) -> Path:
    return _replace_member(book, tmp / "million.xlsx", "xl/worksheets/sheet2.xml",
                           _rows(1_000_000, '<dimension ref="A1:R1000000"/>'))


def _million_rows_undeclared(book: Path, tmp: Path) -> Path:
    """The same rows under a dimension that lies (A1:R10): counted while streaming."""
    return _replace_member(book, tmp / "liar.xlsx", "xl/worksheets/sheet2.xml",
                           _rows(1_000_000, '<dimension ref="A1:R10"/>'))


def _huge_cell(book: Path, tmp: Path) -> Path:
    """A cell of 10 MB, written into the sheet's XML (openpyxl itself cuts text at 32,767)."""
    huge = ("问" * (10 * 2**20 // 3)).encode()
    return _replace_member(book, tmp / "huge.xlsx", "xl/worksheets/sheet2.xml", transform=lambda xml: re.sub(
        rb'<c r="F2"([^>]*)><is><t>[^<]*</t></is></c>', lambda m: b'<c r="F2"' + m.group(1) + b"><is><t>" + huge
        + b"</t></is></c>", xml, count=1))


def _huge_csv_cell(book: Path, tmp: Path) -> Path:
    (tmp / "huge.csv").write_text("编号,整改事项\n" + "x," + "a" * 10 * 2**20 + "\n", encoding="utf-8")
    return tmp / "huge.csv"


@pytest.mark.parametrize("make, expected", [
    (_formula, "!G2: 责任单位: 这是没有计算结果的公式"),
    (_merged, "合并了单元格 F3:G3;台账中不能合并单元格"),
    (_unknown_column, "!S1: 未知的列“联系人”"),
    (_missing_column, ": 缺少列 状态;请在 make ledger 导出的台账上填写,不要删列"),
    (_not_a_ledger, "这不是整改台账"),
    (_macros, "含宏的工作簿(.xlsm),不能导入"),
    (_macros_renamed, "这个工作簿含有宏,不能导入"),
    (_not_a_zip, "不是 Excel 工作簿(.xlsx)"),
    (_damaged, "文件可能已损坏"),
    (_gbk_csv, "不是 UTF-8 编码"),
    (_zip_bomb, "工作簿解压后有 2"),
    (_million_rows, "有 1000000 行,超过上限 50000 行"),
    (_million_rows_undeclared, "的行数超过上限 50000 行"),
    (_huge_cell, "!F2: 单元格有 3495253 个字符,超过 Excel 单元格的上限 32767 个"),
    (_huge_csv_cell, "第 2 行无法按 CSV 读取:有单元格超过"),
], ids=lambda v: getattr(v, "__name__", "")[1:])
def test_a_file_that_is_no_ledger_is_refused_and_changes_nothing(make, expected, book, tmp_path, data, capsys):
    before = digest(data)
    path = make(book, tmp_path)
    code, out, err = import_(path, data, capsys)
    assert code == 1 and out == "" and "Traceback" not in err
    assert err.startswith(str(path)) and expected in err, err
    assert err.splitlines()[-1].endswith("没有任何改动。改正后重新导入。") or "data/ 没有任何改动" in err
    assert digest(data) == before


def test_a_formula_with_its_value_is_read_as_the_value(book, tmp_path, data, capsys):
    """Excel saves each formula's result: that is what is imported."""
    sheet = Sheet(book)
    cell, owner = sheet.cell(2, "责任单位"), sheet[2, "责任单位"]
    formula = _formula(book, tmp_path)
    cached = _replace_member(formula, tmp_path / "cached.xlsx", "xl/worksheets/sheet2.xml", transform=lambda xml: re.sub(
        rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v ?/>'.encode(), rf'<c r="{cell}"\1 t="str"><f>\2</f><v>{owner}</v>'.encode(),
        xml))
    before = digest(data)
    code, out, err = import_(cached, data, capsys)
    assert (code, err) == (0, "") and "没有改动" in out
    assert digest(data) == before
