"""Links that leave the content folders (issue #17, case 5).

A symlink in content/materials/ would put what it points at (/etc/passwd, a key) into the
internal training page, handout and search index; one in content/public/ would be copied
into the public site. Both are refused, naming the link and where it points, before
anything is read or built.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import get_files

from .conftest import copy_project, run

CANARY = "CANARY-OUTSIDE-THE-PROJECT-7f3a"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"{CANARY}\n", encoding="utf-8")
    return secret


def material_line(project: Path) -> tuple[str, int, int]:
    for number, line in enumerate((project / "data" / "trainings.yaml").read_text(encoding="utf-8").split("\n"), 1):
        if line.strip().startswith("file:"):
            return line.split(":", 1)[1].strip(), number, line.index("file:") + len("file: ") + 1
    raise AssertionError("no training names a material file")


def test_a_material_that_links_out_of_the_project_is_refused(tmp_path, outside):
    project = copy_project(tmp_path / "project")
    name, line, col = material_line(project)
    material = project / "content" / "materials" / name
    material.unlink()
    material.symlink_to(outside)
    before = snapshot(project)
    result = run(["-m", "generators", "validate", "--data", "data"], cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    [message] = [m for m in result.stderr.splitlines() if f"content/materials/{name}" in m]
    assert message.startswith(f"data/trainings.yaml:{line}:{col}: trainings[")
    assert str(outside) in message and "链到了 content/materials/ 以外" in message
    assert CANARY not in result.stdout + result.stderr
    assert snapshot(project) == before

    from generators import build

    pages, problems = build(project / "data", "internal")
    assert pages == [] and any(str(outside) in p.message for p in problems)


def test_a_link_inside_the_materials_folder_is_still_read(tmp_path):
    project = copy_project(tmp_path / "project")
    name, _, _ = material_line(project)
    material = project / "content" / "materials" / name
    (material.parent / "real-copy.md").write_bytes(material.read_bytes())
    material.unlink()
    material.symlink_to("real-copy.md")
    result = run(["-m", "generators", "validate", "--data", "data"], cwd=project)
    assert result.returncode == 0, result.stderr


def _on_files(project: Path, config_name: str):
    """The hook's on_files over the files MkDocs finds (no build: seconds)."""
    config = load_config(config_file=str(project / config_name))
    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    spec = importlib.util.spec_from_file_location("luohe_adapter_under_test", project / "hooks" / "mkdocs_adapter.py")
    assert spec is not None and spec.loader is not None
    adapter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(adapter)
    return adapter.on_files(files, config)


@pytest.mark.parametrize("config_name", ["mkdocs.yml", "mkdocs.internal.yml"])
def test_a_public_asset_that_links_out_is_refused_by_both_builds(tmp_path, outside, config_name):
    project = copy_project(tmp_path / "project")
    (project / "content" / "public" / "assets" / "leak.txt").symlink_to(outside)
    (project / "content" / "public" / "assets" / "data").symlink_to(project / "data", target_is_directory=True)
    with pytest.raises(PluginError) as refused:
        _on_files(project, config_name)
    text = str(refused.value)
    assert f"content/public/assets/leak.txt: 是指向 {outside} 的链接" in text
    if config_name == "mkdocs.yml":  # MkDocs follows a linked folder (the internal build's copy of
        # content/public/ does not): into the project, but out of the content folders
        assert "content/public/assets/data/leads.yaml: 是指向" in text
    assert CANARY not in text


def test_the_shipped_content_has_no_link_out(tmp_path):
    project = copy_project(tmp_path / "project")
    for config_name in ("mkdocs.yml", "mkdocs.internal.yml"):
        files = _on_files(project, config_name)
        assert any(f.src_uri == "assets/site.css" for f in files)
