"""Build the public and internal sites atomically and reproducibly.

    python -m publishing.build [--site DIR] [--only public|internal] [--edition NAME] [--jobs N]

Validates data/ first; builds each site into DIR/.staging/ (the sites at the same time, in
processes of their own, --jobs at a time: two by default, so `make site` takes about as long
as the longer build; --jobs 1 builds one after the other, where memory is short) and swaps the new
folders in only when every build succeeded, all of them as one step: a journal
(DIR/.swap.json) is written before the first rename and removed after the last, so
a swap that fails is rolled back at once and one cut short (a kill, a power cut) is
rolled back by the next run, which also removes what a killed build left
(DIR/.staging/, DIR/.old-*). Either every site is new or every site is as it was:
never a new public site beside an old internal one. MkDocs itself empties site_dir
before building, so never point plain `mkdocs build` at a published folder you
need to keep.

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
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from . import editions as changelog
from . import manifest
from .editions import ROOT

CONFIGS = {"public": "mkdocs.yml", "internal": "mkdocs.internal.yml"}


def run(cmd: list[str], env: dict | None = None) -> int:
    return subprocess.call(cmd, cwd=ROOT, env=env)


_output = threading.Lock()


def run_quoted(cmd: list[str], env: dict | None = None) -> int:
    """Run cmd with its output held back, then written out in one piece: builds running at the
    same time never interleave their lines, and every build's problems are shown whole."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        code = subprocess.call(cmd, cwd=ROOT, env=env, stdout=out, stderr=err)
        with _output:
            for held, stream in ((out, sys.stdout), (err, sys.stderr)):
                held.seek(0)
                stream.write(held.read().decode("utf-8", "replace"))
                stream.flush()
    return code


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


JOURNAL = ".swap.json"  # present from before the first rename of a swap until after the last
STAGING = ".staging"


def _sync(folder: Path) -> None:
    """Make the renames in `folder` durable (a journal is only as good as its order on disk)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def restore_interrupted(site: Path, audiences: list[str] | None = None) -> None:
    """Undo a swap cut short and clear what a killed build left behind.

    With a journal, the swap had not finished: every site it names is put back as it was
    (a site that is new is removed, the previous one moved back), whichever renames had
    happened. Without one, a `.old-*` folder is a previous site that a finished swap had
    not yet removed, or (left by an older version of this script) one whose new site was
    never moved in. Safe to run again if cut short itself. (`audiences` is not needed:
    the journal names the sites.)"""
    journal = site / JOURNAL
    (site / (JOURNAL + ".tmp")).unlink(missing_ok=True)  # a journal never finished: nothing was renamed
    if journal.exists():
        plan = json.loads(journal.read_text(encoding="utf-8"))
        for audience in plan["audiences"]:
            final, old = site / audience, site / f".old-{audience}"
            if old.exists():
                shutil.rmtree(final, ignore_errors=True)
                if final.exists():
                    raise OSError(f"{final} 无法删除")
                old.rename(final)
            elif audience not in plan["previous"]:
                shutil.rmtree(final, ignore_errors=True)
        _sync(site)
        journal.unlink()
        _sync(site)
    for old in sorted(site.glob(".old-*")):
        final = site / old.name.removeprefix(".old-")
        if not final.exists():
            old.rename(final)
        else:
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(site / STAGING, ignore_errors=True)


def commit(site: Path, staging: Path, audiences: list[str]) -> None:
    """Move every built site from `staging` into `site` as one step, or raise with `site`
    as it was. The journal names the sites and which of them existed before."""
    plan = {"audiences": audiences, "previous": [a for a in audiences if (site / a).exists()]}
    tmp = site / (JOURNAL + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        json.dump(plan, out)
        out.flush()
        os.fsync(out.fileno())
    tmp.rename(site / JOURNAL)
    _sync(site)
    try:
        for audience in plan["previous"]:
            (site / audience).rename(site / f".old-{audience}")
        for audience in audiences:
            (staging / audience).rename(site / audience)
        _sync(site)
        (site / JOURNAL).unlink()  # the step: from here on every site is the new one
        _sync(site)
    except BaseException:
        with contextlib.suppress(OSError):  # if this fails too, the journal stays for the next run
            restore_interrupted(site, audiences)
        raise
    for audience in plan["previous"]:
        shutil.rmtree(site / f".old-{audience}", ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_site")
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--only", choices=sorted(CONFIGS))
    parser.add_argument("--edition", help="build as this edition (footer, changelog page)")
    parser.add_argument("--jobs", type=int, default=2, help="sites built at the same time (default 2)")
    args = parser.parse_args(argv)
    site = Path(args.site).resolve()
    audiences = [args.only] if args.only else ["public", "internal"]

    data = Path(os.environ.get("LUOHE_DATA", str(ROOT / "data")))
    created = not site.exists()
    site.mkdir(parents=True, exist_ok=True)
    lock = os.open(site, os.O_RDONLY)  # a lock on the folder itself: no file added to it
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build of this folder at a time: the next one waits
        try:
            restore_interrupted(site, audiences)  # first of all, whatever comes next
        except (OSError, ValueError) as exc:
            print(f"构建中止:无法恢复上次中断的换入({exc});请检查 {site} 后重试。", file=sys.stderr)
            return 1
        if run([sys.executable, "-m", "generators", "validate", "--strict", "--data", str(data)]) != 0:
            print("构建中止:数据未通过校验,site/ 保持原样。", file=sys.stderr)
            code = 1
        else:
            code = swap_in(site, audiences, data, args.edition, jobs=args.jobs)
    finally:
        os.close(lock)
    if code and created:
        with contextlib.suppress(OSError):
            site.rmdir()  # only if still empty
    return code


def swap_in(site: Path, audiences: list[str], data: Path, edition: str | None, jobs: int = 2) -> int:
    """Build every audience into site/.staging/ (up to `jobs` at the same time, each to its
    end even when another fails, so every problem shows at once), then move them all into
    place as one step, or none of them."""
    staging = site / STAGING
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        work = staging / ".work"  # the previous edition's data: inside staging, so nothing is left elsewhere

        def one(audience: str) -> bool:
            return build(audience, staging / audience, data, edition, work)

        if jobs > 1 and len(audiences) > 1:
            with ThreadPoolExecutor(max_workers=jobs) as pool:  # each build is a process: threads only wait
                built = list(pool.map(one, audiences))
        else:
            built = [one(audience) for audience in audiences]
        failed = [a for a, ok in zip(audiences, built, strict=True) if not ok]
        for audience in failed:
            print(f"构建中止:{audience} 站点构建失败,site/ 保持原样。", file=sys.stderr)
        if failed:
            return 1
        try:
            commit(site, staging, audiences)
        except OSError as exc:
            after = ("还没能恢复原样,下次运行 make site 时会先恢复" if (site / JOURNAL).exists()
                     else "site/ 已恢复原样")
            print(f"构建中止:换入新站点时出错({exc});{after}。", file=sys.stderr)
            return 1
        for audience in audiences:
            print(f"{audience}: {site / audience}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return 0


def build(audience: str, out: Path, data: Path, edition: str | None, tmp: Path) -> bool:
    """Build one site into out, with its edition.json and manifest.sha256. Called by a worker
    thread while another build runs, it holds MkDocs' output back and writes it out whole."""
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
    beside_another = threading.current_thread() is not threading.main_thread()
    code = (run_quoted if beside_another else run)(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", CONFIGS[audience], "-d", str(out)], env)
    if code != 0:
        return False
    normalise_sitemap_gz(out, epoch)
    (out / "edition.json").write_text(json.dumps(info, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                      encoding="utf-8")
    manifest.write(out)
    return True


if __name__ == "__main__":
    sys.exit(main())
