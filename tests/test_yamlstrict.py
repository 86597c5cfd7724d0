"""The strict YAML reader: YAML 1.1 surprises, tags, duplicates, positions."""

from __future__ import annotations

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generators.yamlstrict import parse


def parse_ok(text: str):
    parsed, problems = parse(text, "data/x.yaml", "x")
    assert problems == []
    return parsed


def messages(text: str) -> list[str]:
    return [str(p) for p in parse(text, "data/x.yaml", "x")[1]]


def test_plain_scalars_follow_yaml_1_2():
    value = parse_ok("a: true\nb: 12\nc: 1.5\nd: ~\ne: 010\nf: 2024-02-30\ng: '1.10'\n").value
    assert value == {"a": True, "b": 12, "c": 1.5, "d": None, "e": "010", "f": "2024-02-30", "g": "1.10"}


def test_yaml_11_booleans_are_errors_with_a_fix():
    for word in ["no", "No", "on", "OFF", "yes", "y", "n", "True"]:
        [msg] = messages(f"- name: {word}\n")
        assert msg.startswith("data/x.yaml:1:9: x[0].name: ")
        assert "加引号" in msg


def test_quoted_words_stay_text():
    assert parse_ok('a: "no"\nb: \'on\'\n').value == {"a": "no", "b": "on"}


def test_duplicate_key_reports_both_lines():
    [msg] = messages("a: 1\nb: 2\na: 3\n")
    assert msg == "data/x.yaml:3:1: x.a: 字段 'a' 重复(第一次出现在第 1 行);请删去其中一个"


def test_tags_are_refused():
    [msg] = messages("a: !!python/object/apply:os.system ['true']\n")
    assert msg.startswith("data/x.yaml:1:4: x.a: 不允许使用 YAML 标签")
    assert messages("a: !custom x\n")


def test_empty_and_multi_document_files():
    assert messages("") == ["data/x.yaml:1:1: x: 文件是空的"]
    assert messages("# only a comment\n") == ["data/x.yaml:1:1: x: 文件是空的"]
    [msg] = messages("- a: 1\n---\n- b: 2\n")
    assert msg.startswith("data/x.yaml:3:1: x: 一个文件只能有一个 YAML 文档")


def test_syntax_error_has_its_line():
    [msg] = messages("- a: 1\n- b: [2\n")
    assert msg == "data/x.yaml:2:6: x: YAML 格式错误:括号 [ 没有闭合(写在一行里的列表要以 ] 结束)"


def test_positions_of_nested_values():
    parsed = parse_ok("- id: a\n  teams:\n    - name: t\n      targets: [x, z]\n")
    assert parsed.positions[(0, "teams", 0, "targets", 1)] == (4, 20)
    assert parsed.key_positions[(0, "teams")] == (2, 3)
    assert parsed.where((0, "teams", 0, "missing")) == (3, 7)


# bidi overrides and isolates are refused (README, "Reliability"; tests/test_hostile_yaml.py)
_BIDI = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters=_BIDI),
               max_size=40))
def test_any_quoted_text_comes_back_exactly(text):
    dumped = yaml.safe_dump({"v": text}, allow_unicode=True, default_style='"')
    assert parse_ok(dumped).value == {"v": text}


_TOKENS = ["yes", "No", "on", "OFF", "y", "n", "true", "false", "True", "null", "~", "0", "12", "-3", "+4",
           "010", "1.5", "-0.5", "1e3", "2024-02-30", "漯河", "a b", '"no"', "'010'", "!!str x", "!custom x",
           "!!int 3", "<<", "''"]
_KEYS = ["a", "b", "on", "<<", '"q"', "!!str k", "[x]"]
_DOCS = st.recursive(
    st.sampled_from(_TOKENS),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from(_KEYS), inner), max_size=4).map(
            lambda kvs: "{" + ", ".join(f"{k}: {v}" for k, v in kvs) + "}")),
    max_leaves=12)


@given(_DOCS)
def test_fast_path_agrees_with_the_full_converter(doc):
    """Files with no problem take yamlstrict._fast; it must give exactly the full converter's
    value, and give up (so the full converter reports) whenever there is a problem."""
    from hypothesis import assume

    from generators import yamlstrict

    try:
        nodes = [n for n in yamlstrict._compose(doc) if n is not None]
    except yaml.YAMLError:
        nodes = []
    assume(nodes)
    full = yamlstrict._Converter("f.yaml", "f")
    value = full.convert(nodes[0], ())
    try:
        fast = yamlstrict._fast(nodes[0])
    except yamlstrict._Problem:
        assert full.problems
    else:
        assert not full.problems
        assert repr(fast) == repr(value)  # the same values of the same types (1 is not True)


def test_no_garbage_collection_while_loading_or_generating(tmp_path):
    """Loading and generation pause the cyclic collector (generators/gcpause.py): the only
    collections are the one or two that the first allocations after each pause trigger
    (without the pause there are hundreds), and it is on again afterwards, after a data
    error too."""
    import gc
    import shutil

    import pytest

    from generators.load import load
    from generators.pages import generate
    from generators.problems import DataError

    from .conftest import ROOT

    runs = []

    def count(phase, info):
        if phase == "start":
            runs.append(info["generation"])

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    gc.callbacks.append(count)
    try:
        generate(load(data), "public")
        assert len(runs) <= 4 and gc.isenabled(), runs
        (data / "rounds.yaml").write_text("- id: [\n", encoding="utf-8")
        with pytest.raises(DataError):
            load(data)
        assert len(runs) <= 6 and gc.isenabled(), runs
    finally:
        gc.callbacks.remove(count)
