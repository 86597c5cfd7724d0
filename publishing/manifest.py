"""SHA-256 manifests of built and published sites, and their verification.

    python -m publishing.manifest write DIR     write DIR/manifest.sha256 for every file under DIR
    python -m publishing.manifest verify DIR    check DIR against every manifest.sha256 in it

A manifest is in `sha256sum` format (`HASH  path`, sorted by path), so anyone can
also check an edition without this tool: `cd DIR && sha256sum -c manifest.sha256`.
A folder may hold several manifests (an exported tree: one per edition and one at
the root for mike's files); each file is checked against the nearest manifest
above it. `verify` names every file that differs, is missing or is not listed,
and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path, PurePosixPath

NAME = "manifest.sha256"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _owner(root: Path, rel: PurePosixPath) -> PurePosixPath:
    """The folder whose manifest lists rel: the nearest one above it that has a manifest.

    A manifest is listed by the manifest of the folder above its own; the root counts
    as having one."""
    start = rel.parent.parent if rel.name == NAME else rel.parent
    for folder in [start, *start.parents]:
        if folder == PurePosixPath(".") or (root / folder / NAME).is_file():
            return folder
    return PurePosixPath(".")


def _all_files(root: Path) -> list[PurePosixPath]:
    return sorted(PurePosixPath(p.relative_to(root).as_posix()) for p in root.rglob("*")
                  if (p.is_file() or p.is_symlink()) and p != root / NAME)


def write(root: Path) -> Path:
    """Write root/manifest.sha256 for every file under root not listed by a deeper manifest."""
    root = Path(root)
    lines = []
    for rel in _all_files(root):
        if _owner(root, rel) != PurePosixPath("."):
            continue
        if "\n" in str(rel) or "\\" in str(rel):
            raise ValueError(f"file name not allowed in a manifest: {str(rel)!r}")
        lines.append(f"{sha256(root / rel)}  {rel}\n")
    target = root / NAME
    target.write_text("".join(lines), encoding="utf-8")
    return target


def read(manifest: Path) -> dict[str, str]:
    out = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        digest, sep, rel = line.partition("  ")
        if not sep or len(digest) != 64:
            raise ValueError(f"not a sha256sum line: {line!r}")
        out[rel] = digest
    return out


def verify(root: Path) -> list[str]:
    """Every problem found under root, one line each, sorted; empty when all is well."""
    root = Path(root)
    if not root.is_dir():
        return [f"{root}: 不是文件夹 (not a folder)"]
    manifests: dict[PurePosixPath, dict[str, str]] = {}
    problems = []
    for path in sorted(root.rglob(NAME)):
        folder = PurePosixPath(path.parent.relative_to(root).as_posix())
        try:
            manifests[folder] = read(path)
        except ValueError as exc:
            problems.append(f"{folder / NAME}: 清单格式错误 (malformed): {exc}")
            manifests[folder] = {}
    if not manifests:
        return [f"{NAME}: 没有清单 (no manifest)"]
    seen = set()
    for rel in _all_files(root):
        owner = _owner(root, rel)
        key = rel.relative_to(owner).as_posix()
        expected = manifests.get(owner, {})
        seen.add((owner, key))
        if key not in expected:
            problems.append(f"{rel}: 清单中没有此文件 (extra)")
        elif (root / rel).is_symlink() or sha256(root / rel) != expected[key]:
            problems.append(f"{rel}: 内容与清单不符 (differs)")
    for owner, expected in manifests.items():
        problems.extend(f"{owner / key}: 缺失 (missing)" for key in expected if (owner, key) not in seen)
    return sorted(problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="manifest")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("write").add_argument("dir")
    sub.add_parser("verify").add_argument("dir")
    args = parser.parse_args(argv)
    root = Path(args.dir)
    if args.command == "write":
        print(write(root))
        return 0
    problems = verify(root)
    for problem in problems:
        print(f"{root}/{problem}")
    if problems:
        print(f"校验失败:{len(problems)} 处不符。", file=sys.stderr)
        return 1
    count = sum(len(read(p)) for p in root.rglob(NAME))
    print(f"校验通过:{count} 个文件与清单一致。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
