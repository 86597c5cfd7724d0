"""Publish editions with mike into branches of the local repository, and export them.

    python -m publishing.publish publish EDITION [--from DIR] [--replace] [--wait]
    python -m publishing.publish export DIR [--audience public|internal]

`publish` builds both sites as EDITION (publishing/build.py --edition, into a
temporary folder; or takes a folder built that way with --from), checks each
against its manifest, and commits each with mike as version EDITION, alias
`latest` (when it is the newest edition; aliases are real copies) and the root
redirect to `latest`, into the branches editions/public and editions/internal.
Nothing is pushed anywhere.

Atomic: mike commits to scratch branches (publish-pending/*); only when both
audiences are committed does one `git update-ref --stdin` transaction move both
edition branches. A failed or killed publish leaves every published edition as
it was. One publish at a time: a second is refused (exit 3), or waits with --wait.
A published edition is never changed unless --replace is given.

`export` writes one audience's whole versioned tree, exactly as committed, to a
folder any static web server can serve (swapped in whole when complete).

Exit codes: 0 done, 1 failed (nothing changed), 2 usage, 3 another publish is running.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path

from . import build as build_site
from . import editions as changelog
from . import manifest
from .editions import AUDIENCES, ROOT, branch, git, tip

EDITION_RE = re.compile(r"^[0-9][0-9A-Za-z.\-]{0,31}$")
ALIAS = "latest"
ZERO = "0" * 40


def say(message: str) -> None:
    print(message, flush=True)


def fail(message: str, code: int = 1) -> int:
    print(f"发布中止:{message}", file=sys.stderr, flush=True)
    return code


def pending(audience: str) -> str:
    return f"publish-pending/{audience}"


def lock(wait: bool) -> io.TextIOWrapper | None:
    """Hold the publish lock (in .git/) for the life of the returned file, or None if taken."""
    git_dir = Path(git("rev-parse", "--absolute-git-dir").stdout.strip())
    handle = (git_dir / "luohe-publish.lock").open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        handle.close()
        return None
    return handle


@contextlib.contextmanager
def work_folder() -> Iterator[str]:
    """The publish's scratch folder (its build, about 40 MB at x1), in .git/ beside the lock and
    taken only while holding it: one left there by a killed publish is removed by the next.
    (Folders luohe-publish-* in the temporary directory come from older versions of this
    script; they are not touched, as another checkout may still be using one.)"""
    work = Path(git("rev-parse", "--absolute-git-dir").stdout.strip()) / "luohe-publish-work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        yield str(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _identity() -> None:
    """mike commits as the git user; fall back to a neutral name where none is configured."""
    for key, var, default in (("user.name", "GIT_COMMITTER_NAME", "luohe publish"),
                              ("user.email", "GIT_COMMITTER_EMAIL", "publish@localhost")):
        if not os.environ.get(var) and git("config", "--", key, check=False).returncode != 0:
            os.environ[var] = default


def root_manifest(rev: str) -> str:
    """manifest.sha256 for the branch root: mike's own files and each edition's manifest."""
    entries = []
    for entry in git("ls-tree", "-r", "-z", rev).stdout.split("\0"):
        if entry:
            meta, path = entry.split("\t", 1)
            entries.append((path, meta.split()[2]))
    editions = {path.split("/")[0] for path, _ in entries if path.count("/") == 1
                and path.endswith("/" + manifest.NAME)}
    lines = []
    for path, blob in sorted(entries):
        top, _, rest = path.partition("/")
        if path == manifest.NAME or (top in editions and rest != manifest.NAME):
            continue
        data = git("cat-file", "blob", blob, binary=True).stdout
        lines.append(f"{hashlib.sha256(data).hexdigest()}  {path}\n")
    return "".join(lines)


def deploy(audience: str, edition: str, site: Path, data_commit: str) -> str:
    """Commit one built site as `edition` to the audience's scratch branch; returns its tip."""
    from mike import commands, git_utils

    scratch = pending(audience)
    old = tip(branch(audience))
    if old:
        git("update-ref", f"refs/heads/{scratch}", old)
    else:
        git("update-ref", "-d", f"refs/heads/{scratch}", check=False)
    names = changelog.versions(audience)
    newest = changelog.order(sorted(set(names) | {edition}))[0] == edition
    aliases = [ALIAS] if newest else []
    say(f"部署 {audience} 版本 {edition} → {scratch}")
    with commands.deploy({"site_dir": str(site), "use_directory_urls": True}, edition, title=edition,
                         aliases=aliases, update_aliases=True, alias_type=commands.AliasType.copy,
                         branch=scratch, message=f"Publish edition {edition} of the {audience} site "
                                                 f"(data {data_commit[:12]})"):
        pass
    if newest:
        try:
            commands.set_default(ALIAS, branch=scratch, message=f"Default to {ALIAS} ({edition})")
        except git_utils.GitEmptyCommit:
            pass
    with git_utils.Commit(scratch, f"Manifest of the branch root ({edition})", allow_empty=True) as commit:
        commit.add_file(git_utils.FileInfo(manifest.NAME, root_manifest(f"refs/heads/{scratch}")))
    committed = tip(scratch)
    if committed is None:
        raise changelog.GitError(f"mike left no branch {scratch}")
    return committed


def move_branches(new: dict[str, str], old: dict[str, str | None]) -> None:
    """Move every edition branch to its new tip in one all-or-nothing ref transaction."""
    lines = ["start"]
    for audience, commit in sorted(new.items()):
        lines.append(f"update refs/heads/{branch(audience)} {commit} {old[audience] or ZERO}")
        lines.append(f"delete refs/heads/{pending(audience)} {commit}")
    lines += ["prepare", "commit"]
    result = subprocess.run(["git", "update-ref", "--stdin"], cwd=ROOT, input="\n".join(lines) + "\n",
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise changelog.GitError(f"git update-ref: {result.stderr.strip()}")


def drop_scratch() -> None:
    for audience in AUDIENCES:
        git("update-ref", "-d", f"refs/heads/{pending(audience)}", check=False)


def check_built(site: Path, audience: str, edition: str, data_commit: str) -> str | None:
    """Why the built site may not be published as edition, or None if it may."""
    try:
        info = json.loads((site / "edition.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{site}: 没有 edition.json,不是 publishing/build.py 构建的"
    if info.get("edition") != edition or info.get("audience") != audience:
        return f"{site}: 构建时的版本是 {info.get('edition')}({info.get('audience')}),不是 {edition}"
    if info.get("data_commit") != data_commit:
        return f"{site}: 构建所用的数据提交 {info.get('data_commit')} 与当前 data/ 的提交 {data_commit} 不同"
    problems = manifest.verify(site)
    if problems:
        return f"{site}: 与清单不符:" + ";".join(problems[:10])
    return None


def publish(edition: str, built: Path | None, replace: bool, wait: bool) -> int:
    if not EDITION_RE.match(edition) or edition == ALIAS:
        return fail(f"版本名 {edition!r} 不合适:以数字开头,只用字母、数字、点和连字符,例如 2024 或 2024.1", 2)
    if git("rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode != 0:
        return fail("这里不是已有提交的 git 仓库", 2)
    held = lock(wait)
    if held is None:
        return fail("另一个发布正在进行;请等它结束后再试(或加 --wait 排队等待)。", 3)
    with held, work_folder() as tmp:
        drop_scratch()  # left over by a publish that was killed
        data_commit = build_site.data_commit(ROOT / "data")
        if data_commit == "uncommitted":
            return fail("data/ 有未提交的改动;版本必须能由提交重现,请先提交。")
        for audience in AUDIENCES:
            if edition in changelog.versions(audience) and not replace:
                return fail(f"{audience} 已发布过版本 {edition};已发布的版本不再改动(确需重发请加 --replace)。")
        if built is None:
            built = Path(tmp) / "site"
            say(f"构建版本 {edition} …")
            if build_site.main(["--site", str(built), "--edition", edition]) != 0:
                return fail("构建失败,已发布的版本没有任何改动。")
        for audience in AUDIENCES:
            problem = check_built(built / audience, audience, edition, data_commit)
            if problem:
                return fail(problem)
        _identity()
        old = {audience: tip(branch(audience)) for audience in AUDIENCES}
        try:
            new = {audience: deploy(audience, edition, built / audience, data_commit) for audience in AUDIENCES}
            move_branches(new, old)
        except Exception as exc:  # mike's and git's errors: nothing was published
            drop_scratch()
            return fail(f"提交失败({exc}),已发布的版本没有任何改动。")
    for audience in AUDIENCES:
        say(f"{audience}: 已发布版本 {edition} 到分支 {branch(audience)}(版本:{', '.join(changelog.versions(audience))})")
    return 0


def export(dest: Path, audience: str) -> int:
    rev = tip(branch(audience))
    if rev is None:
        return fail(f"还没有发布过 {audience} 版本(分支 {branch(audience)} 不存在)。")
    if dest.exists() and any(dest.iterdir()) and not (dest / "versions.json").exists():
        return fail(f"{dest} 不是空文件夹,也不是以前导出的版本树;不会覆盖它。", 2)
    if any(line.startswith("120000") for line in git("ls-tree", "-r", rev).stdout.splitlines()):
        return fail(f"分支 {branch(audience)} 含符号链接;导出只接受真实文件(alias_type=copy)。")
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.export-", dir=dest.parent))
    try:
        archive = git("archive", "--format=tar", rev, binary=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            if hasattr(tarfile, "data_filter"):  # Python 3.11.4+
                tar.extractall(work, filter="data")
            else:  # our own branch, checked for symlinks above
                tar.extractall(work)
        work.chmod(0o755)
        problems = manifest.verify(work)
        if problems:
            return fail("导出的文件与清单不符:" + ";".join(problems[:10]))
        old = dest.parent / f".{dest.name}.old"
        shutil.rmtree(old, ignore_errors=True)
        if dest.exists():
            dest.rename(old)
        work.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    say(f"{audience}: 已导出分支 {branch(audience)}({rev[:12]})到 {dest}:版本 {', '.join(changelog.versions(audience))}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="publish")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("publish", help="build and publish both sites as an edition")
    p.add_argument("edition")
    p.add_argument("--from", dest="built", type=Path, help="publish this build_site.py --edition folder")
    p.add_argument("--replace", action="store_true", help="overwrite an edition already published")
    p.add_argument("--wait", action="store_true", help="wait for a running publish instead of giving up")
    e = sub.add_parser("export", help="write one audience's versioned tree to a folder")
    e.add_argument("dir", type=Path)
    e.add_argument("--audience", choices=AUDIENCES, default="public")
    args = parser.parse_args(argv)
    # a path given on the command line is relative to where it was typed: resolve it before
    # moving to the repository that holds this project, where mike and git work
    if args.command == "publish":
        built = args.built.resolve() if args.built else None
        os.chdir(ROOT)
        return publish(args.edition, built, args.replace, args.wait)
    dest = args.dir.resolve()
    os.chdir(ROOT)
    return export(dest, args.audience)


if __name__ == "__main__":
    sys.exit(main())
