"""Published editions in the local repository, and the data they were built from.

    python -m publishing.editions [--audience public|internal] [--edition NAME]

prints what the next edition's changelog page will list: every record added,
changed or removed between the data of the latest published edition (or the one
before NAME) and the data in data/ now.

Each audience's editions live in a branch of this repository (editions/public,
editions/internal), written by publishing/publish.py with mike: versions.json at the
root, one folder per edition, each with edition.json naming the commit of data/
it was built from. The previous edition's data is read back from git history
(`git show COMMIT:data/FILE.yaml`); raw data is never stored in a published site.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Literal, overload

ROOT = Path(__file__).resolve().parent.parent  # the project (its git repository holds the editions)

AUDIENCES = ("public", "internal")


class GitError(RuntimeError):
    pass


@overload
def git(*args: str, cwd: Path = ROOT, check: bool = True,
        binary: Literal[False] = False) -> subprocess.CompletedProcess[str]: ...
@overload
def git(*args: str, cwd: Path = ROOT, check: bool = True,
        binary: Literal[True]) -> subprocess.CompletedProcess[bytes]: ...


def git(*args: str, cwd: Path = ROOT, check: bool = True, binary: bool = False) -> subprocess.CompletedProcess[Any]:
    """Run git in cwd; stdout and stderr as text, or as bytes when binary."""
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=not binary)
    if check and result.returncode != 0:
        err = result.stderr.decode() if binary else result.stderr
        raise GitError(f"git {' '.join(args)}: {err.strip()}")
    return result


def branch(audience: str) -> str:
    return f"editions/{audience}"


def tip(ref: str, cwd: Path = ROOT) -> str | None:
    """The commit a branch points to, or None if it does not exist."""
    result = git("rev-parse", "--verify", "--quiet", f"refs/heads/{ref}^{{commit}}", cwd=cwd, check=False)
    return result.stdout.strip() or None


def versions(audience: str, cwd: Path = ROOT, rev: str | None = None) -> list[str]:
    """Published edition names of one audience, newest first (mike's order)."""
    from mike.versions import Versions

    rev = rev or tip(branch(audience), cwd)
    if rev is None:
        return []
    shown = git("show", f"{rev}:versions.json", cwd=cwd, check=False)
    if shown.returncode != 0:
        return []
    return [str(v.version) for v in Versions.loads(shown.stdout)]


def order(names: list[str]) -> list[str]:
    """Edition names newest first, as mike sorts them."""
    from mike.versions import Versions

    all_versions = Versions()
    for name in names:
        all_versions.add(name)
    return [str(v.version) for v in all_versions]


def previous_edition(audience: str, edition: str, cwd: Path = ROOT) -> str | None:
    """The published edition that comes just before `edition` (published or not)."""
    ordered = order(sorted(set(versions(audience, cwd)) | {edition}))
    later = ordered[ordered.index(edition) + 1:]
    return later[0] if later else None


def edition_info(audience: str, edition: str, cwd: Path = ROOT) -> dict:
    """The edition.json that build_site.py wrote into a published edition."""
    shown = git("show", f"{tip(branch(audience), cwd)}:{edition}/edition.json", cwd=cwd, check=False)
    return json.loads(shown.stdout) if shown.returncode == 0 else {}


def extract_data(commit: str, dest: Path, cwd: Path = ROOT) -> Path:
    """Write data/*.yaml as of `commit` into dest; returns dest."""
    dest.mkdir(parents=True, exist_ok=True)
    listing = git("ls-tree", "--name-only", f"{commit}:data", cwd=cwd).stdout.split()
    for name in sorted(listing):
        if name.endswith((".yaml", ".yml")):
            (dest / name).write_bytes(git("show", f"{commit}:data/{name}", cwd=cwd, binary=True).stdout)
    return dest


def previous_data(audience: str, edition: str, dest: Path, cwd: Path = ROOT) -> tuple[str | None, Path | None]:
    """(previous edition name, folder with its data) for the changelog of `edition`.

    The folder is None when there is no previous edition or its data was not committed."""
    name = previous_edition(audience, edition, cwd)
    if name is None:
        return None, None
    commit = edition_info(audience, name, cwd).get("data_commit")
    if not commit or commit == "uncommitted":
        return name, None
    return name, extract_data(commit, dest / audience, cwd)


def main(argv: list[str] | None = None) -> int:
    from generators import changelog
    from generators.load import load, read

    parser = argparse.ArgumentParser(prog="changelog")
    parser.add_argument("--audience", choices=AUDIENCES, default="public")
    parser.add_argument("--edition", default="~next", help="the edition to compare for (default: a new one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        name, folder = previous_data(args.audience, args.edition, Path(tmp))
        if name is None:
            print(f"{args.audience}: 尚无已发布的版本可以对比。")
            return 0
        if folder is None:
            print(f"{args.audience}: 上一版本 {name} 不是由已提交的数据构建的,无法对比。")
            return 0
        found = changelog.changes(read(folder), load(ROOT / "data"), args.audience)
    print(f"{args.audience}: 与上一版本 {name} 相比,{len(found)} 条记录有变化。")
    for c in found:
        fields = f"  [{', '.join(c.fields)}]" if c.fields else ""
        print(f"{changelog.ACTIONS[c.action]}  {c.kind}  {c.id}{fields}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
