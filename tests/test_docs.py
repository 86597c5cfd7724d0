"""Docs that cannot drift: every make target and every data field is in the README."""

from __future__ import annotations

import re

from generators.model import FILES, nested_models

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_make_target_documented():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.M)
    assert {"site", "test", "validate", "serve", "pages"} <= set(targets)
    missing = [t for t in targets if f"`make {t}`" not in README]
    assert missing == []


def _fields(model, seen=None):
    seen = seen or set()
    for name in model.model_fields:
        yield model, name
    for sub in nested_models(model).values():
        if sub not in seen:
            seen.add(sub)
            yield from _fields(sub, seen)


def test_every_data_field_documented():
    missing = []
    for stem, model in FILES.items():
        assert f"`{stem}.yaml`" in README, stem
        for owner, name in _fields(model):
            if owner.__name__ == "Query":
                continue  # explained in prose under 文章数字如何核对
            if f"`{name}`" not in README:
                missing.append(f"{owner.__name__}.{name}")
    assert missing == []


def test_quick_start_commands():
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make site" in quick and "make test" in quick
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
