"""A clerk's typing mistakes in YAML are reported in Chinese at the line of the mistake, with
its usual cause named (issue "The office's own tools", point 4), and record messages speak
one language and count records one way."""

from __future__ import annotations

import shutil

import pytest

from generators.pipeline import validate

from .conftest import ROOT

LINE = "  short_name: 市委\n"  # data/bodies.yaml, line 6


@pytest.mark.parametrize("typed, col, cause", [
    ("  short_name\uff1a 市委\n", 13, "冒号写成了全角的“\uff1a”,请改为半角冒号加空格“: ”"),
    ("\tshort_name: 市委\n", 1, "这里有制表符(Tab):缩进只能用空格"),
    ("  short_name:市委\n", 13, "“short_name:”后面缺少空格"),
    ('  short_name: "市委\n', 15, '引号 " 没有闭合'),
])
def test_a_syntax_mistake_is_named_at_its_line(tmp_path, typed, col, cause):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (data / "bodies.yaml").read_text(encoding="utf-8")
    assert text.splitlines(keepends=True)[5] == LINE
    (data / "bodies.yaml").write_text(text.replace(LINE, typed, 1), encoding="utf-8")
    ds, problems = validate(data)
    assert ds is None
    (only,) = [p for p in problems if p.file.endswith("bodies.yaml") and p.severity == "error"]
    assert (only.line, only.col, only.message) == (6, col, f"YAML 格式错误:{cause}")


def test_a_full_width_colon_inside_a_value_is_not_blamed(tmp_path):
    """Chinese text may hold ：; only a key's colon typed full-width is the mistake."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (data / "bodies.yaml").read_text(encoding="utf-8")
    (data / "bodies.yaml").write_text(text.replace(LINE, "  short_name: 市委\uff1a直属\n", 1), encoding="utf-8")
    ds, problems = validate(data)
    assert ds is not None, [str(p) for p in problems]


def test_messages_speak_one_language_and_count_records_one_way(tmp_path, dataset):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    items = (data / "items.yaml").read_text(encoding="utf-8")
    first = dataset.items[0]
    items = items.replace("  priority: ", "  priority: 一般\n  x_priority: ", 1).replace("\n  x_priority: 高", "", 1)
    (data / "items.yaml").write_text(items.replace("  x_priority: 中\n", "").replace("  x_priority: 低\n", ""),
                                     encoding="utf-8")
    ds, problems = validate(data)
    messages = [p.message for p in problems if p.severity == "error"]
    assert any("'一般' 不是 '高'、'中'、'低' 之一" in m for m in messages), messages
    assert not [m for m in messages if " or " in m]
    shutil.copy(ROOT / "data" / "items.yaml", data / "items.yaml")
    text = (data / "rounds.yaml").read_text(encoding="utf-8")
    second = dataset.rounds[1].id
    (data / "rounds.yaml").write_text(text.replace(f"- id: {second}\n", f"- id: {dataset.rounds[0].id}\n", 1),
                                      encoding="utf-8")
    ds, problems = validate(data)
    duplicate = next(p for p in problems if "重复" in p.message)
    assert duplicate.path == "rounds[1].id" and duplicate.message.endswith("已用于 rounds[0]")
    assert first.id  # the items file was edited at its first record


def test_every_problem_in_one_run_across_stages(tmp_path, dataset):
    """Three mistakes in three files: a syntax error, a wrong value and a dangling reference
    come back from one run; the broken files skip only the checks that read them, and say so."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    text = (data / "bodies.yaml").read_text(encoding="utf-8")
    (data / "bodies.yaml").write_text(text, encoding="utf-8")
    rules = (data / "rules.yaml").read_text(encoding="utf-8")
    (data / "rules.yaml").write_text(rules.replace("  title: ", "  title\uff1a ", 1), encoding="utf-8")  # syntax
    items = (data / "items.yaml").read_text(encoding="utf-8")
    (data / "items.yaml").write_text(items.replace("  priority: ", "  priority: 一般\n  x: ", 1)
                                     .replace("\n  x: 高", "").replace("\n  x: 中", "").replace("\n  x: 低", ""),
                                     encoding="utf-8")  # a value outside its set
    organisation = next(o for o in dataset.organisations if not o.parent)
    orgs = (data / "organisations.yaml").read_text(encoding="utf-8")
    at = orgs.index(f"- id: {organisation.id}\n")
    county = orgs.index(f"  county: {organisation.county}\n", at)
    (data / "organisations.yaml").write_text(orgs[:county] + "  county: nowhere\n"
                                             + orgs[county + len(f"  county: {organisation.county}\n"):],
                                             encoding="utf-8")  # a reference to nothing: a cross-record check
    ds, problems = validate(data)
    assert ds is None
    errors = [p for p in problems if p.severity == "error"]
    assert any(p.file.endswith("rules.yaml") and "全角" in p.message for p in errors)
    assert any(p.file.endswith("items.yaml") and "'一般' 不是" in p.message for p in errors)
    assert any(p.file.endswith("organisations.yaml") and "引用了不存在的巡察主体 'nowhere'" in p.message for p in errors)
    (note,) = [p for p in problems if p.severity == "notice" and "这次没有做以下核对" in p.message]
    assert "items.yaml、rules.yaml" in note.message and "整改事项的引用和日期" in note.message
    assert "被巡察党组织的引用" not in note.message  # organisations and bodies read fine: checked
