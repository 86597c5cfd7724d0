"""Faults while building and publishing (issue #17, cases 4 and 9).

- Both sites swap together or neither does: a swap that fails halfway (an unwritable or
  unmovable site/internal) is rolled back at once; one killed between the renames is
  rolled back by the next run, before anything else (even when that run then stops on bad
  data). Never a new site/public beside an old site/internal.
- Leftovers: what a killed build (site/.staging/) or publish (its scratch folder) leaves is
  removed by the next run.

The sites here are stand-ins (publishing.build.build replaced by a function writing one
page), so each test takes seconds; the real builds and swaps are covered by
tests/test_editions.py.
"""

from __future__ import annotations

import os
import pathlib
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from publishing import build as build_site

from .conftest import ROOT, copy_project

AUDIENCES = ["public", "internal"]
SITES = sorted(AUDIENCES)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fake_build(audience: str, out: Path, data: Path, edition: str | None, tmp: Path) -> bool:
    out.mkdir(parents=True)
    (out / "index.html").write_text(f"new {audience}", encoding="utf-8")
    return True


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for audience in AUDIENCES:
        (site / audience / "sub").mkdir(parents=True)
        (site / audience / "index.html").write_text(f"old {audience}", encoding="utf-8")
        (site / audience / "sub" / "page.html").write_text(f"old page of {audience}", encoding="utf-8")
    return site


@pytest.fixture
def bad_data(tmp_path: Path) -> Path:
    """A data folder that fails validation at once: a run on it stops right after recovering."""
    data = tmp_path / "bad-data"
    data.mkdir()
    (data / "site.yaml").write_text("- id: [\n", encoding="utf-8")
    return data


def next_run(site: Path, bad_data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "LUOHE_DATA": str(bad_data)}
    return subprocess.run([sys.executable, "-m", "publishing.build", "--site", str(site)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def only_sites(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir())


# --- case 4: both sites swap together ----------------------------------------------------------


def test_a_swap_that_fails_halfway_is_rolled_back(site, monkeypatch, capsys):
    before = tree(site)
    monkeypatch.setattr(build_site, "build", fake_build)
    real = pathlib.Path.rename

    def rename(self, target):
        if self.name == "internal" and self.parent.name == ".staging":  # public is in by now
            raise PermissionError(13, "Permission denied", str(target))
        return real(self, target)

    monkeypatch.setattr(pathlib.Path, "rename", rename)
    assert build_site.swap_in(site, AUDIENCES, ROOT / "data", None) == 1
    assert tree(site) == before
    assert only_sites(site) == SITES
    assert "site/ 已恢复原样" in capsys.readouterr().err


def test_a_swap_that_succeeds_leaves_nothing_else(site, monkeypatch):
    monkeypatch.setattr(build_site, "build", fake_build)
    assert build_site.swap_in(site, AUDIENCES, ROOT / "data", None) == 0
    assert tree(site) == {"internal/index.html": b"new internal", "public/index.html": b"new public"}
    assert only_sites(site) == SITES


def test_both_sites_build_at_the_same_time_and_swap_together(site, monkeypatch):
    both = threading.Barrier(2, timeout=60)  # passes only while both builds run at once

    def concurrent_build(audience, out, data, edition, tmp):
        both.wait()
        return fake_build(audience, out, data, edition, tmp)

    monkeypatch.setattr(build_site, "build", concurrent_build)
    assert build_site.swap_in(site, AUDIENCES, ROOT / "data", None) == 0
    assert tree(site) == {"internal/index.html": b"new internal", "public/index.html": b"new public"}


@pytest.mark.parametrize("failing", [["internal"], ["public"], ["public", "internal"]])
def test_a_failed_build_beside_another_changes_nothing_and_every_failure_is_said(site, monkeypatch, capsys,
                                                                                 failing):
    before = tree(site)
    both = threading.Barrier(2, timeout=60)
    finished = []

    def build(audience, out, data, edition, tmp):
        both.wait()  # the builds run at the same time; the failing one does not stop the other
        out.mkdir(parents=True)
        (out / "index.html").write_text("half-built", encoding="utf-8")
        finished.append(audience)
        return audience not in failing

    monkeypatch.setattr(build_site, "build", build)
    assert build_site.swap_in(site, AUDIENCES, ROOT / "data", None) == 1
    assert sorted(finished) == SITES
    assert tree(site) == before and only_sites(site) == SITES  # no staging, nothing swapped
    err = capsys.readouterr().err
    assert [a for a in AUDIENCES if f"{a} 站点构建失败" in err] == failing


def test_one_job_builds_one_site_after_the_other(site, monkeypatch):
    running = []

    def build(audience, out, data, edition, tmp):
        running.append(audience)
        assert running == [audience] and threading.current_thread() is threading.main_thread()
        running.remove(audience)
        return fake_build(audience, out, data, edition, tmp)

    monkeypatch.setattr(build_site, "build", build)
    assert build_site.swap_in(site, AUDIENCES, ROOT / "data", None, jobs=1) == 0
    assert only_sites(site) == SITES


def test_real_builds_side_by_side_one_failing_change_nothing_and_say_why(tmp_path):
    """Both real MkDocs builds run at once; the internal one fails on a hand-written page with a
    dead link, the public one succeeds: nothing is swapped in, the failure is named with
    MkDocs' own message, and each build's log comes out whole (not interleaved)."""
    project = copy_project(tmp_path / "project")
    site = project / "site"
    for audience in AUDIENCES:
        (site / audience).mkdir(parents=True)
        (site / audience / "index.html").write_text(f"previous {audience}", encoding="utf-8")
    before = tree(site)
    (project / "content" / "internal" / "broken.md").write_text(
        "---\naudience: internal\n---\n\n# x\n\n[死链](nowhere-at-all.md)\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("LUOHE_DATA", None)
    result = subprocess.run([sys.executable, "-m", "publishing.build"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "internal 站点构建失败" in result.stderr and "public 站点构建失败" not in result.stderr
    assert "nowhere-at-all.md" in result.stderr
    lines = result.stderr.splitlines()
    starts = [i for i, line in enumerate(lines) if "Building documentation to directory" in line]
    assert len(starts) == 2  # both builds ran
    public = next(i for i in starts if lines[i].endswith("/.staging/public"))
    done = next(i for i in range(public, len(lines)) if "Documentation built in" in lines[i])
    assert not [line for line in lines[public + 1:done] if "internal" in line or "nowhere" in line]  # whole
    assert tree(site) == before and only_sites(site) == SITES


KILLED_SWAP = """
import os, pathlib, signal, sys
from publishing import build as b

def fake(audience, out, data, edition, tmp):
    out.mkdir(parents=True)
    (out / "index.html").write_text("new " + audience, encoding="utf-8")
    return True

real = pathlib.Path.rename

def rename(self, target):
    if self.name == sys.argv[2] and self.parent.name == ".staging":
        os.kill(os.getpid(), signal.SIGKILL)  # killed right before this site is moved in
    return real(self, target)

b.build, pathlib.Path.rename = fake, rename
b.swap_in(pathlib.Path(sys.argv[1]), ["public", "internal"], pathlib.Path("data"), None)
"""


@pytest.mark.parametrize("killed_at", ["public", "internal"])
def test_a_swap_killed_between_the_renames_is_undone_by_the_next_run(site, bad_data, killed_at):
    before = tree(site)
    killed = subprocess.run([sys.executable, "-c", KILLED_SWAP, str(site), killed_at], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert tree(site) != before  # something had moved
    result = next_run(site, bad_data)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "数据未通过校验" in result.stderr
    assert tree(site) == before
    assert only_sites(site) == SITES


def test_a_first_build_killed_mid_swap_leaves_no_site(tmp_path, bad_data):
    site = tmp_path / "site"
    site.mkdir()
    killed = subprocess.run([sys.executable, "-c", KILLED_SWAP, str(site), "internal"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL
    assert (site / "public" / "index.html").exists()  # new, alone
    assert next_run(site, bad_data).returncode == 1
    assert only_sites(site) == []


# --- case 9: leftovers ---------------------------------------------------------------------------


def test_what_a_killed_build_left_is_removed_by_the_next_run(site, bad_data):
    before = tree(site)
    staging = site / ".staging"
    (staging / "public" / "search").mkdir(parents=True)
    (staging / "public" / "search" / "search_index.json").write_text("{}", encoding="utf-8")
    (staging / ".work" / "public").mkdir(parents=True)
    result = next_run(site, bad_data)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not staging.exists()
    assert tree(site) == before


KILLED_PUBLISH = """
import os, signal, sys
from publishing import publish
publish.build_site.main = lambda argv: os.kill(os.getpid(), signal.SIGKILL)  # killed while building
sys.exit(publish.main(["publish", "2024"]))
"""


def test_what_a_killed_publish_left_is_removed_by_the_next_one(tmp_path):
    project = copy_project(tmp_path / "project")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@localhost"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "data"]):
        subprocess.run(git + args, cwd=project, check=True, capture_output=True)
    temp = tmp_path / "tmp"  # the temporary directory of both runs: nothing may be left in it
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("LUOHE_DATA", None)
    killed = subprocess.run([sys.executable, "-c", KILLED_PUBLISH], cwd=project, env=env,
                            capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    git_dir = project / ".git"
    left = [p for p in [*temp.iterdir(), *git_dir.iterdir()] if "luohe-publish" in p.name and p.is_dir()]
    assert left, "the killed publish should have had a scratch folder"

    # the next publish stops early (data not committed) but first removes the leftover
    (project / "data" / "site.yaml").write_text((project / "data" / "site.yaml").read_text(encoding="utf-8") + "\n",
                                                encoding="utf-8")
    again = subprocess.run([sys.executable, "-m", "publishing.publish", "publish", "2024"], cwd=project, env=env,
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 1 and "未提交" in again.stderr and "Traceback" not in again.stderr, again.stderr
    assert list(temp.iterdir()) == []
    assert [p.name for p in git_dir.iterdir() if "luohe-publish" in p.name and p.is_dir()] == []
