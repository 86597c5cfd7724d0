"""`make offline`: the sites packaged to be read from disk (file://), issue #16.

    python -m publishing.offline [--audience internal|public|both] [--out build/offline]

Builds the site once more for reading without a server, and zips it:

- links end in index.html (`use_directory_urls: false`), since a browser opening a folder
  from disk shows a file listing;
- search is Material's own (its `offline` plugin ships the index as a script, which file://
  allows), not Pagefind, whose index is fetched, which file:// forbids;
- everything else is the normal build: the same data, pages, self-checks and checklists
  (their progress kept in the reader's browser).

The internal package is for cadres in training (trainings, handouts, curricula, cases and the
rules they cite are all in it, with the rest of the internal reference); the public package
is for a village service point. The zip is reproducible: sorted entries, fixed timestamps.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {"public": "mkdocs.yml", "internal": "mkdocs.internal.yml"}
NAMES = {"public": "luohe-public-offline.zip", "internal": "luohe-training-offline.zip"}
FOLDERS = {"public": "阳光漯河", "internal": "漯河巡察培训资料"}
# Material's search as it was before Pagefind, for file:// (tools/bench_search.py measures it)
SEARCH = {"lang": "zh", "separator": r"[\s\u200b\u3000\-、。，．？！；：〔〕《》“”（）()【】·,.:;!?]+",
          "jieba_dict_user": "search/jieba_user.txt"}
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# iframe-worker 1.0.4 (npm, MIT, by Material's author): lets Material's search worker run from
# file://; Material's offline plugin would load it from unpkg.com, a request off the reader's network
SHIM = "assets/javascripts/iframe-worker-shim.js"
LINKED = ["mkdocs.yml", "mkdocs.internal.yml", "content", "data", "generators", "hooks", "overrides", "search"]


def config(audience: str, folder: Path) -> Path:
    """An MkDocs config for the offline build in `folder`, next to links to the project's
    folders: the audience's own config, with directory URLs off, Material's search and
    offline plugins, and no Pagefind hook."""
    for name in LINKED:
        (folder / name).symlink_to(ROOT / name)
    offline = {
        "INHERIT": CONFIGS[audience],
        "use_directory_urls": False,
        "hooks": ["hooks/mkdocs_adapter.py"],
        "plugins": [{"search": SEARCH}, "offline"],
        # no edition selector (it fetches versions.json); the worker shim from the package, not unpkg.com
        "extra": {"search": "material", "offline": True, "version": None, "polyfills": [SHIM]},
    }
    path = folder / f"mkdocs.offline.{audience}.yml"
    path.write_text(yaml.safe_dump(offline, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build(audience: str, out: Path, work: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config(audience, work)),
                           "-d", str(out)], cwd=work, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"离线包构建失败({audience}):\n{done.stderr[-4000:]}")
    shutil.copyfile(ROOT / "search" / "iframe-worker-shim.js", out / SHIM)


def pack(site: Path, zip_path: Path, folder: str) -> None:
    """Zip site/ under one folder, entries sorted, fixed times: the same input gives the same zip."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = zip_path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, path.read_bytes())
    tmp.replace(zip_path)


def make(audience: str, out_dir: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="luohe-offline-") as tmp:
        work = Path(tmp)
        site = work / "site"
        build(audience, site, work)
        zip_path = out_dir / NAMES[audience]
        pack(site, zip_path, FOLDERS[audience])
    return zip_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="offline", description="离线包:可直接从磁盘打开的网站压缩包")
    parser.add_argument("--audience", choices=["internal", "public", "both"], default="both")
    parser.add_argument("--out", default=str(ROOT / "build" / "offline"))
    args = parser.parse_args(argv)
    audiences = ["internal", "public"] if args.audience == "both" else [args.audience]
    for audience in audiences:
        path = make(audience, Path(args.out))
        print(f"{audience}: {path}(解压后打开 {FOLDERS[audience]}/index.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
