"""Build the public and internal sites atomically.

    python tools/build_site.py [--site DIR] [--only public|internal]

Validates data/ first; builds each site into DIR/.staging/ and swaps the new
folders in only when every build succeeded. A failed build leaves DIR exactly
as it was. MkDocs itself empties site_dir before building, so never point plain
`mkdocs build` at a published folder you need to keep.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {"public": "mkdocs.yml", "internal": "mkdocs.internal.yml"}


def run(cmd: list[str]) -> int:
    return subprocess.call(cmd, cwd=ROOT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_site")
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--only", choices=sorted(CONFIGS))
    args = parser.parse_args(argv)
    site = Path(args.site).resolve()
    audiences = [args.only] if args.only else ["public", "internal"]

    data = os.environ.get("LUOHE_DATA", str(ROOT / "data"))
    if run([sys.executable, "-m", "generators", "validate", "--strict", "--data", data]) != 0:
        print("构建中止:数据未通过校验,site/ 保持原样。", file=sys.stderr)
        return 1

    staging = site / ".staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for audience in audiences:
            out = staging / audience
            code = run([sys.executable, "-m", "mkdocs", "build", "--strict",
                        "-f", CONFIGS[audience], "-d", str(out)])
            if code != 0:
                print(f"构建中止:{audience} 站点构建失败,site/ 保持原样。", file=sys.stderr)
                return 1
        for audience in audiences:
            final, old = site / audience, site / f".old-{audience}"
            shutil.rmtree(old, ignore_errors=True)
            if final.exists():
                final.rename(old)
            (staging / audience).rename(final)
            shutil.rmtree(old, ignore_errors=True)
            print(f"{audience}: {final}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
