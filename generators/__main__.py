"""Command line: `python -m generators validate|pages`.

    python -m generators validate [--data DIR] [--strict]
    python -m generators pages OUT_DIR [--data DIR] [--audience public|internal|both] [--edition NAME]
    python -m generators schema [DIR]   (JSON Schema of every data file, for editors; default schema/)

Both call `generators.build()`. Exit codes: 0 fine, 1 data errors (or warnings with
--strict), 2 usage.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from . import schema
from .audience import AUDIENCES, Page
from .edition import Edition
from .pipeline import build, has_errors, validate
from .problems import Problem


def _report(problems: list[Problem]) -> None:
    for p in problems:
        print(p, file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    ds, problems = validate(Path(args.data))
    _report(problems)
    if ds is None:
        errors = sum(p.severity == "error" for p in problems)
        print(f"数据有 {errors} 处错误,未做任何构建。", file=sys.stderr)
        return 1
    failing = [p for p in problems if p.severity == "warning"]
    counts = ", ".join(f"{k} {len(v)}" for k, v in sorted(ds.records.items()))
    print(f"数据校验通过:{counts}")
    return 1 if args.strict and failing else 0


def _pages(args: argparse.Namespace) -> int:
    audiences = AUDIENCES if args.audience == "both" else (args.audience,)
    edition = Edition.from_env(os.environ) if args.edition is None else Edition(name=args.edition)
    out = Path(args.out)
    built: dict[str, list[Page]] = {}
    for audience in audiences:
        pages, problems = build(Path(args.data), audience, edition)
        if has_errors(problems):
            _report(problems)
            return 1
        built[audience] = pages
    if out.exists():
        shutil.rmtree(out)
    for audience, pages in built.items():
        folder = out / audience if len(audiences) > 1 else out
        for page in pages:
            path = folder / page.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(page.encoded)
    print(f"pages written to {out}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    for path in schema.write(Path(args.out)):
        print(path)
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
    p.add_argument("--audience", choices=[*AUDIENCES, "both"], default="public")
    p.add_argument("--edition", help="build as this edition (its changelog page); default: LUOHE_EDITION")
    s = sub.add_parser("schema", help="write the JSON Schema of every data file (editor support)")
    s.add_argument("out", nargs="?", default="schema")
    args = parser.parse_args(argv)
    return {"validate": _validate, "pages": _pages, "schema": _schema}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
