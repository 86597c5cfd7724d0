"""Shared fixtures: each real site is built once per session and shared.

`project_copy` copies the project (not site/, .venv/) into a temporary folder so a
test can plant bad or hostile data and build there without touching the repo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PARTS = ["content", "data", "generators", "hooks", "overrides", "publishing", "search", "tools",
         "mkdocs.yml", "mkdocs.internal.yml"]


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for part in PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / part)
    return dest


def run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    full_env.pop("LUOHE_DATA", None)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=600)


def mkdocs_config(name: str) -> dict:
    """mkdocs.yml or mkdocs.internal.yml as MkDocs reads it (its !ENV tags included)."""
    import yaml
    from yaml_env_tag import construct_env_tag

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", construct_env_tag)
    return yaml.load((ROOT / name).read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506 (a SafeLoader)


def mkdocs_build(project: Path, audience: str, out: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    config = "mkdocs.yml" if audience == "public" else "mkdocs.internal.yml"
    return run(["-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(out)], cwd=project, env=env)


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def _built(tmp_path_factory, audience: str) -> Path:
    out = tmp_path_factory.mktemp(f"site-{audience}")
    result = mkdocs_build(ROOT, audience, out)
    assert result.returncode == 0, result.stderr[-4000:]
    return out


@pytest.fixture(scope="session")
def public_site(tmp_path_factory) -> Path:
    """The public site built from the shipped data with plain `mkdocs build`."""
    return _built(tmp_path_factory, "public")


@pytest.fixture(scope="session")
def internal_site(tmp_path_factory) -> Path:
    return _built(tmp_path_factory, "internal")


@pytest.fixture(scope="session")
def public_edition_site(tmp_path_factory) -> Path:
    """The public site built as a published edition (2025): only an edition has Material's
    edition selector (an unpublished build asks for no versions.json)."""
    out = tmp_path_factory.mktemp("site-public-edition")
    result = mkdocs_build(ROOT, "public", out, env={"LUOHE_EDITION": "2025", "LUOHE_DATA_COMMIT": "uncommitted",
                                                    "LUOHE_PUBLIC_URL": "https://luohe.example/"})
    assert result.returncode == 0, result.stderr[-4000:]
    return out


@pytest.fixture(scope="session")
def dataset():
    from generators.load import load

    return load(ROOT / "data")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def text_files(site: Path) -> list[Path]:
    """Every file a reader's browser could load as text."""
    suffixes = {".html", ".json", ".xml", ".js", ".css", ".txt", ".svg", ".csv", ".map",
                ".pf_fragment", ".pf_index", ".pf_meta"}  # Pagefind's (gzipped: tests/privacy.py reads them)
    return sorted(p for p in site.rglob("*") if p.is_file() and p.suffix in suffixes)
