"""Docs that cannot drift: every make target is in the README, and every data field in its
file's row of the field table."""

from __future__ import annotations

import re

from generators.model import FILES, Record, nested_models

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_make_target_documented():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M)
    assert {"site", "test", "validate", "serve", "pages"} <= set(targets)
    missing = [t for t in targets if f"`make {t}`" not in README]
    assert missing == []


def section(readme: str, heading: str) -> str:
    """The text under a `### heading` of the README, up to the next heading."""
    return re.split(r"^#{1,3} ", readme.split(f"\n### {heading}\n", 1)[1], maxsplit=1, flags=re.M)[0]


def field_table(readme: str) -> dict[str, dict[str | None, str]]:
    """The table of 文件和字段: for each data file (stem), the 字段 cell of its row (key None)
    and of each of its ↳ sub-rows (key: the field the sub-row is about)."""
    table: dict[str, dict[str | None, str]] = {}
    rows = [line for line in section(readme, "文件和字段").splitlines() if line.startswith("|")]
    for line in rows[2:]:  # the header and the |---| line
        first, _, fields = (c.strip() for c in line.strip().strip("|").split("|"))
        if m := re.fullmatch(r"`([a-z_]+)\.yaml`", first):
            stem = m.group(1)
            table[stem] = {None: fields}
        else:
            m = re.fullmatch(r"↳ `([a-z_]+)`", first)
            assert m and table, f"a row of 文件和字段 that is neither a file nor a ↳ sub-row: {line}"
            table[stem][m.group(1)] = fields
    return table


def undocumented(readme: str) -> list[str]:
    """Every field of every data file not named where it belongs: the fields every record has
    in the list of the three, a file's own fields in that file's row of 文件和字段, a nested
    part's fields in the ↳ sub-row of the field that holds it (or, with no sub-row, in the row
    that names that field), the figures' `backed_by` query under 文章数字如何核对. So a
    field named only in another file's row does not count."""
    table = field_table(readme)
    common = readme.split("**每条记录都必须有三个字段:**", 1)[1].split("**", 1)[0]
    missing = [f"README 文件和字段: no row for `{stem}.yaml`" for stem in FILES if stem not in table]
    missing += [f"README 文件和字段: a row for `{stem}.yaml`, which is no data file" for stem in table
                if stem not in FILES]
    missing += [f"Record.{name} (every record)" for name in Record.model_fields if f"- `{name}`" not in common]

    def check(stem: str, model, cell: str) -> None:
        for name in model.model_fields:
            if name not in Record.model_fields and f"`{name}`" not in cell:
                missing.append(f"{stem}.yaml: {model.__name__}.{name}")
        for name, part in nested_models(model).items():
            if part.__name__ == "Query":  # explained in prose under 文章数字如何核对
                check(stem, part, section(readme, "文章数字如何核对"))
            else:
                check(stem, part, table[stem].get(name, cell))

    for stem, model in FILES.items():
        if stem in table:
            check(stem, model, table[stem][None])
            nested = {name for m in _models(model) for name in nested_models(m)}
            missing += [f"README 文件和字段: ↳ `{sub}` under `{stem}.yaml`, which has no such part"
                        for sub in table[stem] if sub is not None and sub not in nested]
    return missing


def _models(model):
    yield model
    for part in nested_models(model).values():
        yield from _models(part)


def test_every_data_field_documented_in_its_row():
    assert undocumented(README) == []


def test_a_field_named_only_in_another_row_is_undocumented():
    """The check reads the rows: a field taken out of its row is missing, though another file's
    row names it; so is a ↳ sub-row's field, and a sub-row that names no part."""
    rounds_row = next(line for line in README.splitlines() if line.startswith("| `rounds.yaml`"))
    assert "`organiser`," in rounds_row and "`year`" in README.replace(rounds_row, "")
    no_organiser = README.replace(rounds_row, rounds_row.replace("`organiser`,", ""))
    assert undocumented(no_organiser) == ["rounds.yaml: Round.organiser"]
    no_year = README.replace(rounds_row, rounds_row.replace("`year`,", ""))
    assert undocumented(no_year) == ["rounds.yaml: Round.year"]  # `year` is in other rows, not this one
    announcement = next(line for line in README.splitlines() if line.startswith("| ↳ `announcement`"))
    no_hours = README.replace(announcement, announcement.replace("`hours`,", ""))
    assert undocumented(no_hours) == ["rounds.yaml: Announcement.hours"]
    stray = README.replace(announcement, announcement + "\n| ↳ `teems` | 错字 | `name` |")
    assert undocumented(stray) == ["README 文件和字段: ↳ `teems` under `rounds.yaml`, which has no such part"]
    assert undocumented(README.replace("- `sample`:", "- 示例:")) == ["Record.sample (every record)"]


def test_quick_start_commands():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make site" in quick and "make test" in quick
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
