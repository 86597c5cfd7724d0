"""Golden checksums of every generated page: what a change changed, in a second.

    python -m tools.golden            compare the pages of data/ with tests/golden/ (exit 1 on a difference)
    python -m tools.golden --update   write tests/golden/ anew (`make golden`), when a change is meant

tests/golden/AUDIENCE.sha256 holds one line per page of `generators.build(data/, AUDIENCE)`,
`SHA256  path`, sorted by path, the format of `sha256sum`. tests/test_golden.py fails on
any difference and names each page added, removed or changed; commit the updated files
with the change that meant it, so the diff shows which pages it touched.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from generators import build
from generators.audience import AUDIENCES

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"


def checksums(data_dir: Path, audience: str) -> dict[str, str]:
    pages, problems = build(data_dir, audience)
    if not pages:
        raise SystemExit("\n".join(map(str, problems)))
    return {p.path: hashlib.sha256(p.markdown.encode("utf-8")).hexdigest() for p in pages}


def render(sums: dict[str, str]) -> str:
    return "".join(f"{digest}  {path}\n" for path, digest in sorted(sums.items()))


def parse(text: str) -> dict[str, str]:
    return {path: digest for digest, path in (line.split("  ", 1) for line in text.splitlines() if line)}


def differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    out = [f"added: {p}" for p in sorted(actual.keys() - expected.keys())]
    out += [f"removed: {p}" for p in sorted(expected.keys() - actual.keys())]
    out += [f"changed: {p}" for p in sorted(expected.keys() & actual.keys()) if expected[p] != actual[p]]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.golden")
    parser.add_argument("--update", action="store_true", help="write tests/golden/ from the pages of now")
    parser.add_argument("--data", default=str(ROOT / "data"))
    args = parser.parse_args(argv)
    found = 0
    for audience in AUDIENCES:
        sums = checksums(Path(args.data), audience)
        path = GOLDEN / f"{audience}.sha256"
        if args.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(sums), encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: {len(sums)} pages")
            continue
        diff = differences(parse(path.read_text(encoding="utf-8")) if path.exists() else {}, sums)
        for line in diff:
            print(f"{audience}: {line}")
        found += len(diff)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
