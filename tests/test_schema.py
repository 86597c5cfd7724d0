"""Editor support (schema/, generators/schema.py): every data file has a JSON Schema generated
from the models, the shipped data passes it, faults the validator refuses are refused by it
too, it is up to date, and VS Code is wired to it."""

from __future__ import annotations

import json

import jsonschema
import pytest

from generators.model import FILES
from generators.schema import render, schema_for
from generators.yamlstrict import parse

from .conftest import ROOT


def validator(stem: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema_for(stem))


def records(stem: str) -> list:
    path = ROOT / "data" / f"{stem}.yaml"
    parsed, problems = parse(path.read_text(encoding="utf-8"), str(path), stem)
    assert not problems
    return parsed.value  # what the validator reads: dates as text, decimals with their digits


@pytest.mark.parametrize("stem", list(FILES))
def test_shipped_data_passes_its_schema(stem):
    errors = [e.message for e in validator(stem).iter_errors(records(stem))]
    assert errors == []


@pytest.mark.parametrize("stem", list(FILES))
def test_schema_files_are_up_to_date(stem):
    path = ROOT / "schema" / f"{stem}.schema.json"
    assert path.read_text(encoding="utf-8") == render(schema_for(stem)), "run `make schema`"


def test_titles_and_descriptions_are_the_declared_chinese_ones():
    items = schema_for("items")["items"]["properties"]
    assert items["deadline"]["title"] == "原定时限" and items["status"]["title"] == "状态"
    assert "未完成" in items["status"]["enum"] and items["deadline"]["description"]
    assert schema_for("items")["items"]["additionalProperties"] is False


FAULTS = [  # (file, change to the first record, what both refuse)
    ("items", {"status": "已销号"}, "an unknown status"),
    ("items", {"stauts": "已完成"}, "a misspelt field"),
    ("items", {"id": "I-001"}, "an id with capitals"),
    ("items", {"id": "page-2"}, "an id kept for pagination"),
    ("items", {"deadline": "2024/10/31"}, "a date in another form"),
    ("items", {"description": "   "}, "a blank text"),
    ("items", {"audience": "公开"}, "an unknown audience"),
    ("rounds", {"year": "二〇二四"}, "a year as text"),
    ("notices", {"kind": "通知"}, "an unknown kind of notice"),
    ("organisations", {"level": "省直"}, "an unknown level"),
]


def with_first_record(tmp_path, stem: str, record: dict):
    """A copy of data/ whose STEM.yaml has `record` in place of its first record."""
    import shutil

    import yaml

    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    text = (folder / f"{stem}.yaml").read_text(encoding="utf-8")
    start = text.index("- id: ")
    end = text.find("\n- id: ", start)
    plain = {k: (str(v) if not isinstance(v, (bool, int, list, dict, type(None))) else v) for k, v in record.items()}
    body = yaml.safe_dump([plain], allow_unicode=True, sort_keys=False)
    (folder / f"{stem}.yaml").write_text(text[:start] + body + (text[end + 1:] if end >= 0 else ""), encoding="utf-8")
    return folder


@pytest.mark.parametrize("stem", ["items", "rounds", "notices", "organisations"])
def test_the_rewritten_first_record_alone_is_valid(tmp_path, stem):
    """The control for the faults below: rewriting a record unchanged refuses nothing."""
    from generators.pipeline import validate

    ds, problems = validate(with_first_record(tmp_path, stem, records(stem)[0]))
    assert ds is not None and not [p for p in problems if p.severity == "warning"], problems


@pytest.mark.parametrize("stem, change, what", FAULTS, ids=[f[2] for f in FAULTS])
def test_a_planted_fault_is_refused_by_the_schema_and_the_validator(tmp_path, stem, change, what):
    from generators.pipeline import validate

    data = records(stem)
    data[0] = {**data[0], **change}
    assert list(validator(stem).iter_errors(data)), f"the schema lets {what} through"
    ds, problems = validate(with_first_record(tmp_path, stem, data[0]))
    assert ds is None or any(p.severity == "warning" for p in problems), f"the validator lets {what} through"


def test_vscode_is_wired_to_the_schemas():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {f"./schema/{stem}.schema.json": [f"data/{stem}.yaml"] for stem in FILES}
    assert "redhat.vscode-yaml" in (ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8")
