"""Command line: `python -m generators validate|pages`.

    python -m generators validate [--data DIR] [--strict]
    python -m generators pages OUT_DIR [--data DIR] [--audience public|internal]

Exit codes: 0 fine, 1 data errors (or warnings with --strict), 2 usage.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .load import load
from .pages import generate
from .problems import DataError


def _validate(args) -> int:
    try:
        ds = load(Path(args.data))
    except DataError as exc:
        for p in exc.problems:
            print(p, file=sys.stderr)
        errors = sum(p.severity == "error" for p in exc.problems)
        print(f"数据有 {errors} 处错误,未做任何构建。", file=sys.stderr)
        return 1
    for p in ds.warnings:
        print(p, file=sys.stderr)
    failing = [p for p in ds.warnings if p.severity == "warning"]
    counts = ", ".join(f"{k} {len(v)}" for k, v in sorted(ds.records.items()))
    print(f"数据校验通过:{counts}")
    return 1 if args.strict and failing else 0


def _pages(args) -> int:
    try:
        ds = load(Path(args.data))
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    for page in generate(ds, args.audience):
        path = out / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, encoding="utf-8")
    print(f"pages written to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generators")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check every file in data/ and print all problems")
    v.add_argument("--data", default="data")
    v.add_argument("--strict", action="store_true", help="fail on warnings too")
    p = sub.add_parser("pages", help="write the generated Markdown pages to a folder")
    p.add_argument("out")
    p.add_argument("--data", default="data")
    p.add_argument("--audience", choices=["public", "internal"], default="public")
    args = parser.parse_args(argv)
    return {"validate": _validate, "pages": _pages}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
