"""Hostile input at the YAML layer (issue #17, cases 1, 2, 6, 8, 10): each test plants one
fault in a copy of data/ and runs `python -m generators validate` on it, as an editor would.

Every refusal must exit 1 with no traceback, name the fault's own line and column in plain
Chinese (`FILE:LINE:COL: field.path: 说明`), and leave data/ byte for byte as it was.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.yamlstrict import MAX_DEPTH, parse, refused_character

from .conftest import ROOT, run
from .test_portal import csv_rows

CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n"] + [chr(c) for c in range(0x7F, 0xA0)]
BIDI = [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path


def plant(path: Path, old: str, new: str) -> int:
    """Replace the first line that is `old` (stripped) by `new`; return its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.strip() == old)
    lines[index] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def first_line(path: Path, start: str) -> tuple[int, str]:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if line.strip().startswith(start):
            return number, line
    raise AssertionError(f"no line starting {start!r} in {path}")


def refused(project: Path, *expected: tuple[str, str], memory: int | None = None) -> list[str]:
    """Validate; assert exit 1, no traceback, each (prefix, words) on a line, data/ untouched."""
    before = snapshot(project)

    def limit() -> None:  # so that the old code's expansion fails fast instead of taking the machine
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    result = subprocess.run([sys.executable, "-m", "generators", "validate", "--data", "data"], cwd=project,
                            capture_output=True, text=True, timeout=300, preexec_fn=limit)
    lines = result.stderr.splitlines()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Error" not in result.stderr, result.stderr[-3000:]
    for prefix, words in expected:
        assert any(line.startswith(prefix) and words in line for line in lines), (prefix, words, result.stderr)
    assert snapshot(project) == before
    return lines


# --- case 1: alias bomb ----------------------------------------------------------------------


def bomb(levels: int, indent: str = "  ") -> str:
    lines = [f'{indent}a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"{indent}a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    return "\n".join(lines)


def test_alias_bomb_is_refused_at_its_anchor_without_expanding(project):
    """Nine levels of nine aliases each: 9**10 strings if expanded (old code: MemoryError)."""
    sources = project / "data" / "sources.yaml"
    text = sources.read_text(encoding="utf-8").rstrip("\n")
    line = len(text.split("\n")) + 1
    sources.write_text(text + "\n" + bomb(9) + "\n", encoding="utf-8")
    assert len(bomb(9).encode()) < 2500
    lines = refused(project,
                    (f"data/sources.yaml:{line}:7: sources[0].a0: ", "不支持 YAML 锚点 '&a0'"),
                    (f"data/sources.yaml:{line + 1}:12: sources[0].a1[0]: ", "不支持 YAML 别名 '*a0'"),
                    memory=3 * 2**30)
    assert len(lines) <= 25  # listed up to a bound, the rest counted
    assert "另有" in "\n".join(lines)


def test_any_anchor_or_alias_is_refused_in_process():
    for text, place in [("a: &x 1\n", (1, 4)), ("- &x {b: 1}\n", (1, 3)), ("a: [1]\nb: *x\n", (2, 4)),
                        ("a: &x [1]\nb: *x\n", (1, 4))]:
        parsed, problems = parse(text, "data/x.yaml", "x")
        assert problems and (problems[0].line, problems[0].col) == place, (text, problems)
        assert parsed.value is None


# --- case 2: deep nesting --------------------------------------------------------------------


@pytest.mark.parametrize("depth", [500, 100_000])
def test_deep_flow_nesting_is_refused_at_its_place(project, depth):
    """500 `[` (old code: RecursionError); 100,000 (libyaml's own composer crashes the process)."""
    sources = project / "data" / "sources.yaml"
    line, original = first_line(sources, "author:")
    prefix = original[:original.index(":") + 2]
    plant(sources, original.strip(), prefix + "[" * depth + "]" * depth)
    # the list, the record and MAX_DEPTH - 2 brackets are allowed: the next one is refused
    col = len(prefix) + MAX_DEPTH - 2 + 1
    refused(project, (f"data/sources.yaml:{line}:{col}: sources[0].author", f"嵌套超过 {MAX_DEPTH} 层"))


def test_deep_block_nesting_is_refused_in_process():
    text = "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v\n"
    [problem] = parse(text, "data/x.yaml", "x")[1]
    assert (problem.line, problem.col) == (MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)
    assert problem.path == "x." + ".".join(f"k{i}" for i in range(MAX_DEPTH)) and "嵌套" in problem.message
    # within the bound the same shape is read
    ok = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH - 1)) + "  " * (MAX_DEPTH - 1) + "v\n"
    assert parse(ok, "data/x.yaml", "x")[1] == []


# --- case 6: control characters and bidi overrides ---------------------------------------------


def test_escaped_controls_and_bidi_overrides_are_refused_at_their_field(project):
    sources = project / "data" / "sources.yaml"
    line, original = first_line(sources, "author:")
    plant(sources, original.strip(), '  author: "蒿慧杰\\0"')
    timeline = project / "data" / "timeline.yaml"
    title_line, title = first_line(timeline, "title:")
    plant(timeline, title.strip(), '  title: "\\x01标题"')
    detail_line, detail = first_line(timeline, "detail:")
    plant(timeline, detail.strip(), "  detail: 局长\u202e已撤职")  # written raw: reads 局长职撤已
    refused(project,
            (f"data/sources.yaml:{line}:11: sources[0].author: ", "控制字符 U+0000"),
            (f"data/timeline.yaml:{title_line}:10: timeline[0].title: ", "控制字符 U+0001"),
            (f"data/timeline.yaml:{detail_line}:11: timeline[0].detail: ", "改变文字方向的字符 U+202E"))


def test_tab_and_newline_stay_allowed(project):
    timeline = project / "data" / "timeline.yaml"
    _, detail = first_line(timeline, "detail:")
    plant(timeline, detail.strip(), '  detail: "第一行\\n第二行\\t制表"')
    result = run(["-m", "generators", "validate", "--data", "data"], cwd=project)
    assert result.returncode == 0, result.stderr


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20), st.sampled_from(CONTROLS + BIDI), st.text(max_size=20), st.booleans())
def test_every_refused_character_is_refused_in_values_and_keys(before, char, after, as_key):
    text = before + char + after
    if as_key:
        doc = yaml.safe_dump({text: 1}, allow_unicode=True, default_style='"')
    else:
        doc = yaml.safe_dump({"v": text}, allow_unicode=True, default_style='"')
    problems = parse(doc, "data/x.yaml", "x")[1]
    assert problems, doc
    assert all(p.line == 1 for p in problems)
    first = next(c for c in text if c in CONTROLS + BIDI)
    assert f"U+{ord(first):04X}" in (refused_character(text) or "")


def test_no_other_character_is_refused():
    allowed = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and chr(c) not in CONTROLS + BIDI]
    assert refused_character("".join(allowed)) is None
    assert {unicodedata.category(c) for c in BIDI} == {"Cf"}


# --- case 8: positions of unreadable bytes ----------------------------------------------------


def test_nul_byte_is_reported_at_its_line(project):
    sources = project / "data" / "sources.yaml"
    line, original = first_line(sources, "author:")
    plant(sources, original.strip(), "  author: 蒿慧杰\x00")
    refused(project, (f"data/sources.yaml:{line}:14: sources: ", "U+0000"))


def test_invalid_utf8_is_reported_at_its_line(project):
    sources = project / "data" / "sources.yaml"
    line, original = first_line(sources, "author:")
    data = sources.read_bytes().replace(original.encode(), b"  author: \xe8\x92\xbf\xff", 1)
    sources.write_bytes(data)
    refused(project, (f"data/sources.yaml:{line}:12: sources: ", "不是 UTF-8 编码"))


# --- case 8: date-order errors at the field ----------------------------------------------------


def test_date_order_errors_point_at_the_field(project):
    rounds = project / "data" / "rounds.yaml"
    left_line, left = first_line(rounds, "left:")
    plant(rounds, left.strip(), left[:left.index(":") + 2] + "'2000-01-02'")
    items = project / "data" / "items.yaml"
    revised_line, revised = first_line(items, "revised_deadline:")
    plant(items, revised.strip(), revised[:revised.index(":") + 2] + "'2000-01-03'")
    refused(project,
            (f"data/rounds.yaml:{left_line}:", "撤离日期 2000-01-02 早于进驻日期"),
            (f"data/items.yaml:{revised_line}:", "调整后的时限 2000-01-03 早于原定时限"))
    lines = refused(project)
    assert any(line.startswith(f"data/rounds.yaml:{left_line}:") and ".left: " in line for line in lines)
    assert any(line.startswith(f"data/items.yaml:{revised_line}:") and ".revised_deadline: " in line
               for line in lines)


# --- case 10: every date within the same bounds -------------------------------------------------


def test_dates_and_months_far_from_any_real_one_are_refused(project):
    leads = project / "data" / "leads.yaml"
    handed_line, handed = first_line(leads, "handed:")
    plant(leads, handed.strip(), "  handed: '9999-01-09'")
    timeline = project / "data" / "timeline.yaml"
    month_line, month = first_line(timeline, "month:")
    plant(timeline, month.strip(), '  month: "9999-03"')
    refused(project,
            (f"data/leads.yaml:{handed_line}:11: leads[0].handed: ", "不在 1900 至 2100 年之间"),
            (f"data/timeline.yaml:{month_line}:10: timeline[0].month: ", "不在 1900 至 2100 年之间"))


# --- the new inputs: notices ---------------------------------------------------------------------


def test_notices_join_the_same_attack(project):
    """data/notices.yaml goes through the same reader and the same CSV cells: a bidi override
    and a date in 9999 are refused at their place; a publisher written as a formula is
    neutralised in the notices download."""
    notices = project / "data" / "notices.yaml"
    publisher_line, publisher = first_line(notices, "publisher:")
    plant(notices, publisher.strip(), "  publisher: 中共漯河市委\u202e室公办")
    refused(project, (f"data/notices.yaml:{publisher_line}:14: notices[0].publisher: ", "改变文字方向的字符 U+202E"))

    shutil.copy2(ROOT / "data" / "notices.yaml", notices)
    date_line, date = first_line(notices, "date:")
    plant(notices, date.strip(), "  date: '9999-10-07'")
    refused(project, (f"data/notices.yaml:{date_line}:9: notices[0].date: ", "不在 1900 至 2100 年之间"))


    from generators import build

    shutil.copy2(ROOT / "data" / "notices.yaml", notices)
    plant(notices, publisher.strip(), "  publisher: \"=HYPERLINK(\\\"http://example.invalid\\\")\"")
    pages, problems = build(project / "data", "public")
    assert not [p for p in problems if p.severity == "error"], problems
    [page] = [p for p in pages if p.path == "open-data/notices.csv"]
    cells = [row["publisher"] for row in csv_rows(page.markdown)
             if "HYPERLINK" in row["publisher"]]
    assert cells and all(c.startswith("'=HYPERLINK") for c in cells)
