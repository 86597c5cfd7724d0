"""JSON Schema for every data file, generated from the models: what an editor (VS Code with
the YAML extension) uses for completion, hover help and red squiggles while a clerk types.

    python -m generators schema [DIR]     write DIR/FILE.schema.json for each data file (make schema)

Each schema is an array of the file's records, with every field's Chinese title and
description, the closed sets as enums, ids, dates and months as patterns, and no unknown
field. It is a help while typing: `make validate` stays the judge (cross-record rules,
real calendar dates and the rest are only there). tests/test_schema.py checks the shipped
data passes the schemas, that faults the validator refuses are refused by them too, and
that schema/ is up to date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model import FILES, OPTIONAL_FILES

DRAFT = "https://json-schema.org/draft/2020-12/schema"
KINDS = {
    "site": "网站信息", "sources": "信息来源", "bodies": "巡察主体", "organisations": "被巡察党组织",
    "rounds": "巡察轮次", "items": "整改事项", "leads": "问题线索移交", "rules": "制度规范",
    "trainings": "集训和巡察论坛", "curricula": "课程路径", "figures": "文章中的数字", "timeline": "大事记",
    "notices": "公告和通报", "systems": "文章中的机制", "system_records": "机制运行记录",
}


def schema_for(stem: str) -> dict[str, Any]:
    """The JSON Schema of data/STEM.yaml: a list of records of its model."""
    record = FILES[stem].model_json_schema(mode="validation")
    defs = record.pop("$defs", {})
    out: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": f"https://luohe.example/schema/{stem}.schema.json",
        "title": f"data/{stem}.yaml:{KINDS[stem]}",
        "description": "每条记录以 '- id:' 开头;字段的含义见各字段的说明(README“给数据编辑人员”)。"
                       + ("此文件可以没有。" if stem in OPTIONAL_FILES else ""),
        "type": "array",
        "items": record,
    }
    if defs:
        out["$defs"] = defs
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for stem in FILES:
        path = folder / f"{stem}.schema.json"
        path.write_text(render(schema_for(stem)), encoding="utf-8")
        written.append(path)
    return written
