"""Editions: versioned (mike, local branches), atomic, reproducible and verifiable publishing.

Everything runs in a temporary git repository made from a copy of the project, never
in the real one. The module builds three real editions' worth of sites in all: edition
2024 (published by `publishing/publish.py publish`), edition 2025 (built once with
`publishing/build.py --edition`, then published from that folder) and a rebuild of
2025 from a scrambled copy for the byte-for-byte comparison.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators import changelog
from generators.dataset import Dataset

from .conftest import ROOT, copy_project, run

EDITION_BRANCHES = ("editions/public", "editions/internal")


# --- helpers -------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def refs(repo: Path) -> dict[str, str | None]:
    out = {}
    for name in EDITION_BRANCHES:
        result = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{name}"],
                                cwd=repo, capture_output=True, text=True)
        out[name] = result.stdout.strip() or None
    return out


MODULES = {"build_site.py": "publishing.build", "publish.py": "publishing.publish", "manifest.py": "publishing.manifest"}


def tool(repo: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run(["-m", MODULES[args[0]], *args[1:]], cwd=repo, env=env)


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def set_field(path: Path, rid: str, field: str, value: str) -> None:
    """Set a top-level scalar field of one record in a data file (text edit, keeps the rest)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"- id: {rid}\n")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- ")), len(lines))
    for i in range(start + 1, end):
        if lines[i].startswith(f"  {field}:"):
            lines[i] = f"  {field}: {value}\n"
            break
    else:
        lines.insert(start + 1, f"  {field}: {value}\n")
    path.write_text("".join(lines), encoding="utf-8")


NEW_RULE = """
- id: rule-edition-test-new
  sample: true
  audience: public
  title: 版本测试新增的办法
  issuer: 中共漯河市委巡察工作领导小组
  doc_type: 办法
  category: 机制一体建
  status: 现行有效
  revisions:
  - version: 1
    date: '2024-06-01'
    note: 印发
    text: 第一条 本办法仅用于测试版本之间的变化。
"""


def _edit_data(data: Path, ds) -> dict[str, str]:
    """Edits between editions 2024 and 2025: public, internal-only and internal ones."""
    orgs = {o.id for o in ds.organisations if o.is_public}
    rounds = {r.id for r in ds.rounds if r.is_public}
    shown = [i for i in ds.items if i.is_public and i.round in rounds and i.organisation in orgs]
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(data.glob("*.yaml")))
    picks = {
        "public_item": shown[0].id,
        "notes_item": next(i.id for i in shown[1:] if not i.internal_notes),
        "internal_item": next(i.id for i in ds.items if not i.is_public),
        "figure": next(f.id for f in ds.figures if f.is_public),
        "hidden_rule": next(r.id for r in ds.rules if r.is_public and text.count(r.id) == 1
                            and text.count(r.title) == 1),
        "new_rule": "rule-edition-test-new",
    }
    set_field(data / "items.yaml", picks["public_item"], "owner_unit", "版本测试责任单位")
    set_field(data / "items.yaml", picks["notes_item"], "internal_notes", "版本测试内部备注")
    set_field(data / "items.yaml", picks["internal_item"], "owner_unit", "版本测试内部责任单位")
    set_field(data / "figures.yaml", picks["figure"], "period", '"版本测试时段"')
    set_field(data / "rules.yaml", picks["hidden_rule"], "audience", "internal")
    with (data / "rules.yaml").open("a", encoding="utf-8") as f:
        f.write(NEW_RULE)
    return picks


@pytest.fixture(scope="module")
def repo(tmp_path_factory, dataset):
    """A git repository with edition 2024 published and edition 2025 built (not yet published)."""
    root = tmp_path_factory.mktemp("editions")
    project = copy_project(root / "repo")
    git(project, "init", "-q", "-b", "main")
    git(project, "config", "user.name", "Edition Test")
    git(project, "config", "user.email", "editions@example.invalid")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "data as of edition 2024")
    first = git(project, "rev-parse", "HEAD")
    result = tool(project, "publish.py", "publish", "2024")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    after_2024 = refs(project)
    tree_2024 = git(project, "rev-parse", "editions/public:2024")

    picks = _edit_data(project / "data", dataset)
    git(project, "commit", "-q", "-am", "data as of edition 2025")
    second = git(project, "rev-parse", "HEAD")
    built = root / "built-2025"
    result = tool(project, "build_site.py", "--site", str(built), "--edition", "2025")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return {"project": project, "root": root, "first": first, "second": second, "built": built,
            "after_2024": after_2024, "tree_2024": tree_2024, "picks": picks}


@pytest.fixture(scope="module")
def published(repo):
    """Edition 2025 published from the built folder, after a first attempt killed halfway."""
    project = repo["project"]
    before = refs(project)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-u", "-m", "publishing.publish", "publish", "2025", "--from", str(repo["built"])],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if line.startswith("部署 internal"):  # public is committed to its scratch branch by now
            proc.kill()
            break
    proc.wait()
    proc.stdout.close()
    after_kill = refs(project)
    result = tool(project, "publish.py", "publish", "2025", "--from", str(repo["built"]))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    export = repo["root"] / "export"
    result = tool(project, "publish.py", "export", str(export))
    assert result.returncode == 0, result.stderr
    return {**repo, "before_kill": before, "after_kill": after_kill, "killed_output": "".join(seen),
            "export": export}


# --- versioned: mike branches, alias, redirect, selector ------------------------------------


def test_version_selector_configured_for_both_sites(repo):
    from mkdocs.config import load_config

    for config in ("mkdocs.yml", "mkdocs.internal.yml"):
        cfg = load_config(str(ROOT / config))
        assert cfg["extra"]["version"]["provider"] == "mike", config
    for audience in ("public", "internal"):
        soup = BeautifulSoup((repo["built"] / audience / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert json.loads(soup.find(id="__config").string)["version"]["provider"] == "mike"


def test_first_edition_published_in_local_branches(repo):
    project = repo["project"]
    assert all(repo["after_2024"].values())
    for name in EDITION_BRANCHES:
        versions = json.loads(git(project, "show", f"{repo['after_2024'][name]}:versions.json"))
        assert versions == [{"version": "2024", "title": "2024", "aliases": ["latest"]}]
        assert 'url=latest/"' in git(project, "show", f"{repo['after_2024'][name]}:index.html")
    assert git(project, "remote") == ""  # nothing to push to, nothing pushed
    assert git(project, "branch", "--show-current") == "main"


def test_second_edition_moves_latest_and_keeps_the_first_byte_for_byte(published):
    project = published["project"]
    for name in EDITION_BRANCHES:
        versions = json.loads(git(project, "show", f"{name}:versions.json"))
        assert versions == [{"version": "2025", "title": "2025", "aliases": ["latest"]},
                            {"version": "2024", "title": "2024", "aliases": []}]
        listing = git(project, "ls-tree", "-r", name)
        assert not any(line.startswith("120000") for line in listing.splitlines())  # copies, no symlinks
        assert git(project, "rev-parse", f"{name}:latest") == git(project, "rev-parse", f"{name}:2025")
    assert git(project, "rev-parse", "editions/public:2024") == published["tree_2024"]
    assert git(project, "rev-parse", "editions/public:2025") != published["tree_2024"]


# --- atomic ---------------------------------------------------------------------------------


def test_publish_killed_halfway_changes_no_edition(published):
    assert "部署 public" in published["killed_output"], published["killed_output"][-2000:]
    assert published["after_kill"] == published["before_kill"] == published["after_2024"]


def _sites(project: Path) -> dict[str, str]:
    return {f"{a}/{p}": h for a in ("public", "internal") for p, h in hashes(project / "site" / a).items()}


def test_killed_and_failed_builds_and_publish_leave_site_and_editions_untouched(published, tmp_path):
    """A build killed halfway; a hand-written page with a broken link (data validation passes,
    strict MkDocs fails); a publish whose build fails."""
    project = tmp_path / "repo"
    shutil.copytree(published["project"], project, symlinks=True)
    shutil.copytree(published["built"], project / "site")
    before_site, before_refs = _sites(project), refs(project)

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "publishing.build"], cwd=project, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = project / "site" / ".staging" / "public"
    try:
        while proc.poll() is None and not (staging.is_dir() and any(staging.iterdir())):
            time.sleep(0.05)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the build and its mkdocs child, halfway
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _sites(project) == before_site
    (project / "content" / "public" / "broken.md").write_text(
        "---\naudience: public\n---\n\n# 坏链接\n\n[不存在的页面](no-such-page.md)\n", encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "a page with a broken link")

    result = tool(project, "build_site.py")
    assert result.returncode == 1
    assert "数据校验通过" in result.stdout and "no-such-page.md" in result.stderr
    assert _sites(project) == before_site
    assert not [p.name for p in (project / "site").iterdir() if p.name.startswith((".staging", ".old-"))]

    # and a publish whose build fails early: a hand-written page named like a generated one
    (project / "content" / "public" / "broken.md").unlink()
    (project / "content" / "public" / "figures.md").write_text("---\naudience: public\n---\n\n# 同名\n",
                                                                encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "a page that clashes with a generated one")
    result = tool(project, "publish.py", "publish", "2026")
    assert result.returncode == 1 and "已发布的版本没有任何改动" in result.stderr
    assert "figures.md" in result.stderr
    assert refs(project) == before_refs
    assert _sites(project) == before_site


def test_a_swap_cut_short_is_undone(tmp_path):
    from publishing import build as build_site

    (tmp_path / ".old-public").mkdir()
    (tmp_path / ".old-public" / "index.html").write_text("previous", encoding="utf-8")
    (tmp_path / "internal").mkdir()
    (tmp_path / ".old-internal").mkdir()  # the swap of internal had finished
    build_site.restore_interrupted(tmp_path, ["public", "internal"])
    assert (tmp_path / "public" / "index.html").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["internal", "public"]


def test_second_publish_is_refused_while_one_runs(published):
    project = published["project"]
    before = refs(project)
    git_dir = Path(git(project, "rev-parse", "--absolute-git-dir"))
    with (git_dir / "luohe-publish.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = tool(project, "publish.py", "publish", "2030")
    assert result.returncode == 3 and "另一个发布正在进行" in result.stderr
    assert refs(project) == before


@pytest.mark.parametrize("args, code, message", [
    (["2025"], 1, "已发布过版本 2025"),
    (["latest"], 2, "版本名"),
    (["../x"], 2, "版本名"),
])
def test_publish_refuses_bad_or_existing_editions(published, args, code, message):
    before = refs(published["project"])
    result = tool(published["project"], "publish.py", "publish", *args)
    assert (result.returncode, message in result.stderr) == (code, True), result.stderr
    assert refs(published["project"]) == before


def test_publish_refuses_uncommitted_data(published, tmp_path):
    project = tmp_path / "repo"
    shutil.copytree(published["project"], project, symlinks=True)
    with (project / "data" / "timeline.yaml").open("a", encoding="utf-8") as f:
        f.write("\n# uncommitted edit\n")
    result = tool(project, "publish.py", "publish", "2026")
    assert result.returncode == 1 and "未提交" in result.stderr


# --- reproducible ---------------------------------------------------------------------------


def test_rebuild_from_scrambled_copy_is_byte_identical(published, tmp_path):
    """Same commit and data, another folder, other file times, another hash seed: same bytes."""
    project = tmp_path / "elsewhere" / "repo"
    shutil.copytree(published["project"], project, symlinks=True)
    rng = random.Random(20240601)
    for path in sorted(project.rglob("*")):
        if ".git" not in path.relative_to(project).parts and path.is_file():
            stamp = rng.randrange(10**9, 2 * 10**9)
            os.utime(path, (stamp, stamp))
    git(project, "checkout", "-q", published["second"])  # the commit 2025 was built from
    out = tmp_path / "rebuilt"
    result = tool(project, "build_site.py", "--site", str(out), "--edition", "2025",
                  env={"PYTHONHASHSEED": "12345"})
    assert result.returncode == 0, result.stderr[-3000:]
    for audience in ("public", "internal"):
        first, second = hashes(published["built"] / audience), hashes(out / audience)
        assert sorted(first) == sorted(second)
        differing = [p for p in first if first[p] != second[p]]
        assert differing == [], audience
    assert hashes(out / "public") == hashes(published["export"] / "2025")


def test_source_date_epoch_comes_from_the_data(repo, dataset):
    info = json.loads((repo["built"] / "public" / "edition.json").read_text(encoding="utf-8"))
    as_of = dataset.as_of
    import datetime as dt

    assert dt.datetime.fromtimestamp(info["source_date_epoch"], dt.UTC).date() == as_of
    gz = (repo["built"] / "public" / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(gz[4:8], "little") == info["source_date_epoch"]  # gzip header time


def test_source_date_epoch_already_set_is_honoured(tmp_path, monkeypatch):
    from publishing import build as build_site

    data = tmp_path / "data"
    data.mkdir()
    (data / "site.yaml").write_text("- id: site\n  as_of: 2024-12-31\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    assert build_site.source_date_epoch(data) == "1234567890"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_site.source_date_epoch(data) == "1735603200"  # 2024-12-31T00:00:00Z


# --- verifiable -----------------------------------------------------------------------------


def test_every_build_has_a_manifest_of_every_file(repo):
    for audience in ("public", "internal"):
        site = repo["built"] / audience
        lines = (site / "manifest.sha256").read_text(encoding="utf-8").splitlines()
        listed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in lines}
        assert list(listed) == sorted(listed)
        files = hashes(site)
        files.pop("manifest.sha256")
        assert listed == files
        info = json.loads((site / "edition.json").read_text(encoding="utf-8"))
        assert (info["audience"], info["edition"], info["data_commit"]) == (audience, "2025", repo["second"])
        assert (info["previous_edition"], info["previous_data_commit"]) == ("2024", repo["first"])


def test_footer_says_the_edition_and_as_of_in_words_and_no_commit_on_the_public_site(repo, published, dataset):
    d = dataset.as_of
    for edition, commit in (("2024", published["first"]), ("2025", published["second"])):
        for page in ("index.html", "rules/index.html", "changelog/index.html"):
            html = (published["export"] / edition / page).read_text(encoding="utf-8")
            footer = BeautifulSoup(html, "html.parser").select_one("[data-luohe-edition]")
            assert footer["data-luohe-edition"] == edition and not footer.has_attr("data-luohe-data-commit")
            text = footer.get_text(" ", strip=True)
            assert f"本站 {edition} 版,数据截至{d.year}年{d.month}月{d.day}日" in text and "本版变化" in text
            assert commit[:7] not in html  # no commit hash anywhere on a public page
    # the internal edition keeps the commit of data/ it was built from, for the office to check
    html = (repo["built"] / "internal" / "index.html").read_text(encoding="utf-8")
    footer = BeautifulSoup(html, "html.parser").select_one("[data-luohe-edition]")
    assert footer["data-luohe-data-commit"] == repo["second"] and repo["second"][:12] in footer.get_text()


def test_export_is_a_plain_tree_that_verifies(published, tmp_path):
    export = tmp_path / "export"
    result = tool(published["project"], "publish.py", "export", str(export), "--audience", "internal")
    assert result.returncode == 0, result.stderr
    for tree in (published["export"], export):
        assert not [p for p in tree.rglob("*") if p.is_symlink()]
        assert {p.name for p in tree.iterdir()} >= {"2024", "2025", "latest", "index.html", "versions.json"}
        assert hashes(tree / "latest") == hashes(tree / "2025")
        result = tool(published["project"], "manifest.py", "verify", str(tree))
        assert result.returncode == 0, result.stdout
    check = subprocess.run(["sha256sum", "--check", "--quiet", "manifest.sha256"], cwd=export / "2024",
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout  # anyone can check an edition with coreutils
    soup = BeautifulSoup((export / "2025" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("[data-luohe-edition]")["data-luohe-edition"] == "2025"
    assert (export / "2025" / "trainings").is_dir()  # the internal edition set


def test_verify_names_every_changed_missing_or_extra_file(published, tmp_path):
    tree = tmp_path / "tampered"
    shutil.copytree(published["export"], tree)
    (tree / "2024" / "index.html").write_text("<p>changed</p>", encoding="utf-8")
    (tree / "2025" / "figures" / "index.html").unlink()
    (tree / "2025" / "planted.js").write_text("alert(1)", encoding="utf-8")
    (tree / "versions.json").write_text("[]", encoding="utf-8")
    shutil.rmtree(tree / "latest")
    result = tool(published["project"], "manifest.py", "verify", str(tree))
    assert result.returncode == 1
    named = {line.split(": ", 1)[0].removeprefix(f"{tree}/") for line in result.stdout.splitlines()}
    assert named == {"2024/index.html", "2025/figures/index.html", "2025/planted.js", "versions.json",
                     "latest/manifest.sha256"}
    # exporting again replaces the tampered tree with the branch's exact content
    result = tool(published["project"], "publish.py", "export", str(tree))
    assert result.returncode == 0, result.stderr
    assert tool(published["project"], "manifest.py", "verify", str(tree)).returncode == 0


# --- what changed ---------------------------------------------------------------------------


def _changelog_rows(site: Path) -> dict[str, str]:
    soup = BeautifulSoup((site / "changelog" / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = {}
    for tr in soup.select("article table tr"):
        cells = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        if cells:
            rows[cells[1]] = cells[0]
    return rows


def test_changelog_of_public_edition_lists_only_public_changes(published):
    p = published["picks"]
    rows = _changelog_rows(published["export"] / "2025")
    assert rows == {p["public_item"]: "修改", p["figure"]: "修改", p["hidden_rule"]: "删除", p["new_rule"]: "新增"}
    text = (published["export"] / "2025" / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "版本测试内部" not in text and "内部备注" not in text
    first = (published["export"] / "2024" / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "第一个版本" in first


def test_changelog_of_internal_edition_lists_every_change(published):
    p = published["picks"]
    rows = _changelog_rows(published["built"] / "internal")
    assert rows == {p["public_item"]: "修改", p["notes_item"]: "修改", p["internal_item"]: "修改",
                    p["figure"]: "修改", p["hidden_rule"]: "修改", p["new_rule"]: "新增"}


def _without(ds: Dataset, drop: set[str]) -> Dataset:
    return Dataset(data_dir=ds.data_dir, records={k: [r for r in v if r.id not in drop] for k, v in ds.records.items()})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_changes_by_id_added_and_removed(dataset, data):
    pool = sorted(r.id for kind in changelog.KINDS for r in dataset.records[kind])
    drop = set(data.draw(st.lists(st.sampled_from(pool), max_size=20)))
    smaller = _without(dataset, drop)
    removed = changelog.changes(dataset, smaller, "internal")
    assert {c.id for c in removed} == drop and {c.action for c in removed} <= {"removed"}
    added = changelog.changes(smaller, dataset, "internal")
    assert {c.id for c in added} == drop and {c.action for c in added} <= {"added"}
    public = {c.id for c in changelog.changes(dataset, smaller, "public")}
    # an item leaves the public site with its round or organisation
    follows = {i.id for i in dataset.items if i.round in drop or i.organisation in drop}
    shown = {rid for view in changelog._views(dataset, "public").values() for rid in view}
    assert drop & shown <= public <= drop | follows
    assert all(r.is_public for kind in changelog.KINDS for r in dataset.records[kind] if r.id in public)
    assert changelog.changes(dataset, dataset, "public") == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(index=st.integers(min_value=0, max_value=10**6), note=st.text(min_size=1, max_size=30))
def test_internal_field_edits_never_show_in_public(dataset, index, note):
    items = [i for i in dataset.items if i.is_public and i.internal_notes != note]
    target = items[index % len(items)]
    edited = Dataset(data_dir=dataset.data_dir, records={
        **dataset.records, "items": [i.model_copy(update={"internal_notes": note}) if i.id == target.id else i
                                     for i in dataset.items]})
    assert changelog.changes(dataset, edited, "public") == []
    internal = changelog.changes(dataset, edited, "internal")
    assert [(c.action, c.id, c.fields) for c in internal] == [("changed", target.id, ("internal_notes",))]


def test_changed_values_are_shown_and_escaped(dataset):
    fig = next(f for f in dataset.figures if f.is_public)
    edited = Dataset(data_dir=dataset.data_dir, records={
        **dataset.records,
        "figures": [f.model_copy(update={"value": fig.value + 1, "statement": "<script>x</script>"})
                    if f.id == fig.id else f for f in dataset.figures]})
    found = changelog.changes(dataset, edited, "public")
    assert [(c.id, c.fields) for c in found] == [(fig.id, ("statement", "value"))]
    assert found[0].values[0][0] == "value"  # a number: old -> new; statement is free text: no values
    markdown = changelog.page(found, "public", "2025", "2024").markdown
    assert "<script>" not in markdown and "\\<script\\>" in markdown


def test_edition_builds_and_export_have_no_broken_links(published):
    """Edition builds have pages and footer links that plain builds lack (changelog/, the
    edition line); check them where they are served: each edition of the export, both sites."""
    from tools.linkcheck import check

    for site in (published["export"] / "2024", published["export"] / "2025", published["built"] / "internal"):
        report = check(site)
        assert report.checked > 1000, site
        assert not report.broken, f"{site}:\n" + "\n".join(map(str, report.broken[:20]))
