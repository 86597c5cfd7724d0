"""Build the public and internal sites atomically and reproducibly.

    python -m publishing.build [--site DIR] [--only public|internal] [--edition NAME]

Validates data/ first; builds each site into DIR/.staging/ and swaps the new
folders in only when every build succeeded. A failed or interrupted build leaves
DIR as it was (a swap cut short is undone by the next run). MkDocs itself empties
site_dir before building, so never point plain `mkdocs build` at a published
folder you need to keep.

Reproducible: the same commit and data build byte-identical sites.
SOURCE_DATE_EPOCH (MkDocs' page dates, the sitemap and its gzip header) is taken
from the environment, else from `as_of` in data/site.yaml, else from the last
commit of data/. Each site gets edition.json (edition, data commit, previous
edition) and manifest.sha256 (the SHA-256 of every file; see publishing/manifest.py).

With --edition the build is that edition (publishing/publish.py passes it): the footer
names it and a changelog page compares the data with the previous published
edition of the same audience (see publishing/editions.py).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from . import editions as changelog
from . import manifest
from .editions import ROOT

CONFIGS = {"public": "mkdocs.yml", "internal": "mkdocs.internal.yml"}


def run(cmd: list[str], env: dict | None = None) -> int:
    return subprocess.call(cmd, cwd=ROOT, env=env)


def data_commit(data: Path) -> str:
    """The last commit that touched data/, or 'uncommitted' if data/ differs from it."""
    try:
        status = changelog.git("status", "--porcelain", "--", ".", cwd=data).stdout
        commit = changelog.git("log", "-1", "--format=%H", "--", ".", cwd=data).stdout.strip()
    except (changelog.GitError, OSError):
        return "uncommitted"
    return commit if commit and not status.strip() else "uncommitted"


def source_date_epoch(data: Path) -> str | None:
    """Seconds since 1970 for the data's as-of date (midnight UTC), else data/'s last commit."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        as_of = yaml.safe_load((data / "site.yaml").read_text(encoding="utf-8"))[0]["as_of"]
        day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(str(as_of))
        return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))
    except (OSError, LookupError, TypeError, ValueError, yaml.YAMLError):
        pass
    try:
        return changelog.git("log", "-1", "--format=%ct", "--", ".", cwd=data).stdout.strip() or None
    except (changelog.GitError, OSError):
        return None


def normalise_sitemap_gz(site: Path, epoch: str | None) -> None:
    """Rewrite sitemap.xml.gz with a fixed header time, so the bytes depend on the data only."""
    gz = site / "sitemap.xml.gz"
    if gz.exists():
        payload = gzip.decompress(gz.read_bytes())
        with gz.open("wb") as raw, gzip.GzipFile(filename="sitemap.xml", mode="wb", fileobj=raw,
                                                 mtime=int(epoch or 0)) as out:
            out.write(payload)


def restore_interrupted(site: Path, audiences: list[str]) -> None:
    """Undo a swap cut short: put back a previous site that was moved aside."""
    for audience in audiences:
        final, old = site / audience, site / f".old-{audience}"
        if old.exists() and not final.exists():
            old.rename(final)
        shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_site")
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--only", choices=sorted(CONFIGS))
    parser.add_argument("--edition", help="build as this edition (footer, changelog page)")
    args = parser.parse_args(argv)
    site = Path(args.site).resolve()
    audiences = [args.only] if args.only else ["public", "internal"]

    data = Path(os.environ.get("LUOHE_DATA", str(ROOT / "data")))
    if run([sys.executable, "-m", "generators", "validate", "--strict", "--data", str(data)]) != 0:
        print("构建中止:数据未通过校验,site/ 保持原样。", file=sys.stderr)
        return 1

    created = not site.exists()
    site.mkdir(parents=True, exist_ok=True)
    lock = os.open(site, os.O_RDONLY)  # a lock on the folder itself: no file added to it
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build of this folder at a time: the next one waits
        code = swap_in(site, audiences, data, args.edition)
    finally:
        os.close(lock)
    if code and created:
        with contextlib.suppress(OSError):
            site.rmdir()  # only if still empty
    return code


def swap_in(site: Path, audiences: list[str], data: Path, edition: str | None) -> int:
    """Build every audience into site/.staging/, then move each into place."""
    with tempfile.TemporaryDirectory() as tmp:
        restore_interrupted(site, audiences)
        staging = site / ".staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        try:
            for audience in audiences:
                if not build(audience, staging / audience, data, edition, Path(tmp)):
                    print(f"构建中止:{audience} 站点构建失败,site/ 保持原样。", file=sys.stderr)
                    return 1
            for audience in audiences:
                final, old = site / audience, site / f".old-{audience}"
                if final.exists():
                    final.rename(old)
                (staging / audience).rename(final)
                shutil.rmtree(old, ignore_errors=True)
                print(f"{audience}: {final}")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return 0


def build(audience: str, out: Path, data: Path, edition: str | None, tmp: Path) -> bool:
    """Build one site into out, with its edition.json and manifest.sha256."""
    epoch = source_date_epoch(data)
    info = {"audience": audience, "edition": edition, "data_commit": data_commit(data),
            "source_date_epoch": int(epoch) if epoch else None,
            "previous_edition": None, "previous_data_commit": None}
    env = {**os.environ, "LUOHE_DATA_COMMIT": info["data_commit"]}
    for name in ("LUOHE_EDITION", "LUOHE_PREVIOUS_EDITION", "LUOHE_PREVIOUS_DATA"):
        env.pop(name, None)
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    if edition:
        env["LUOHE_EDITION"] = edition
        try:
            previous, folder = changelog.previous_data(audience, edition, tmp)
        except changelog.GitError as exc:
            print(f"构建中止:读不到已发布的版本:{exc}", file=sys.stderr)
            return False
        if previous:
            env["LUOHE_PREVIOUS_EDITION"] = info["previous_edition"] = previous
            info["previous_data_commit"] = changelog.edition_info(audience, previous).get("data_commit")
        if folder:
            env["LUOHE_PREVIOUS_DATA"] = str(folder)
    code = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", CONFIGS[audience], "-d", str(out)], env)
    if code != 0:
        return False
    normalise_sitemap_gz(out, epoch)
    (out / "edition.json").write_text(json.dumps(info, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                      encoding="utf-8")
    manifest.write(out)
    return True


if __name__ == "__main__":
    sys.exit(main())
