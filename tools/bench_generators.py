"""The generators' part of the benchmark, run by tools/bench.py in a process of its own.

    python -m tools.bench_generators DATA_DIR [--pages-out DIR] [--skip-incremental]

Times validation (generators.load.load) and page generation (generators.pages.generate)
of each audience, then an incremental rebuild as `mkdocs serve` does it: one data file
changes (one item's description in items.yaml) and the warm process, which keeps what the
hook keeps under serve (each record's validation and each page with the inputs it was made
from: generators.pipeline.keep_between_builds), loads and generates the public pages again.
The file is restored afterwards. With --pages-out the generated
pages of each audience are written to DIR/<audience>/ (what `python -m generators pages`
writes) for the plain MkDocs build. Prints one JSON object on stdout; peak memory is this
process's peak resident set size, before the incremental rebuild (`peak_rss_mib`) and after
it (`incremental.peak_rss_mib`: the rebuild keeps what the preview keeps).

validation_s and generation_s are the first round's: a cold process, as in `mkdocs build`
(imports, templates compiled). Short measurements are noisy on a shared machine: while a
round takes under QUICK seconds it is repeated (up to REPEAT rounds); warm_validation_s and
warm_generation_s are the fastest later round (a warm process, as in `mkdocs serve`), and
the incremental rebuild is the fastest of EDITS edits at every scale (its edit costs seconds,
not minutes, even at x100). Every round is under "rounds".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

AUDIENCES = ("public", "internal")
QUICK, REPEAT = 5.0, 3
EDITS = 3  # one-file rebuilds timed at every scale, the fastest counts (one edit at x10 swung 0.5-0.7 s)
# index pages whose size grows with the data (the navigation itself lists only section indexes)
WATCHED_INDEXES = ("rounds/index.md", "organisations/index.md", "inspections/index.md", "items/index.md",
                   "rules/index.md")


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def page_stats(pages) -> dict:
    md = [p for p in pages if p.path.endswith(".md")]
    sizes = {p.path: len(p.encoded) for p in pages}
    largest = max(md, key=lambda p: (sizes[p.path], p.path), default=None)
    return {
        "pages": len(md),
        "other_files": len(pages) - len(md),
        "markdown_bytes": sum(sizes[p.path] for p in md),
        "other_bytes": sum(sizes[p.path] for p in pages if not p.path.endswith(".md")),
        "largest_markdown": {"path": largest.path, "bytes": sizes[largest.path]} if largest else None,
        "index_markdown_bytes": {path: sizes[path] for path in WATCHED_INDEXES if path in sizes},
    }


def write_pages(pages, out: Path) -> None:
    for page in pages:
        path = out / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(page.encoded)


def change_one_item(data_dir: Path, k: int, old: bytes | None = None) -> tuple[Path, bytes]:
    """Edit the first item's description in items.yaml (edit k differs from edit k-1);
    return the file and its bytes before the first edit. Bytes, as an editor's process would
    touch them: no string of the file is made in the process measured (at x100 that string
    and its decoding took 0.3 GiB, which the rebuild's peak was charged with)."""
    path = data_dir / "items.yaml"
    old = path.read_bytes() if old is None else old
    marker = b"  description: "
    at = old.index(marker) + len(marker)
    path.write_bytes(old[:at] + f"(第{k}次修改)".encode() + old[at:])
    return path, old


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_generators")
    parser.add_argument("data")
    parser.add_argument("--pages-out")
    parser.add_argument("--skip-incremental", action="store_true")
    args = parser.parse_args(argv)
    data = Path(args.data)

    t0 = time.perf_counter()
    from generators.pipeline import keep_between_builds, validate
    from generators.pipeline import pages as generate

    def load(data_dir):
        ds, problems = validate(data_dir)
        if ds is None:
            raise SystemExit("\n".join(map(str, problems)))
        return ds

    out: dict = {"import_s": round(time.perf_counter() - t0, 3), "rounds": []}
    while True:
        first = not out["rounds"]
        times: dict = {"generation_s": {}}
        t0 = time.perf_counter()
        ds = load(data)
        times["validation_s"] = round(time.perf_counter() - t0, 3)
        for audience in AUDIENCES:
            t0 = time.perf_counter()
            pages = generate(ds, audience)
            times["generation_s"][audience] = round(time.perf_counter() - t0, 3)
            if first:
                out["records"] = {k: len(v) for k, v in sorted(ds.records.items())}
                out.setdefault("generated", {})[audience] = page_stats(pages)
                if args.pages_out:
                    write_pages(pages, Path(args.pages_out) / audience)
                    os.sync()  # on disk before the next audience is timed (x100: 0.6 GB a side)
            del pages
        del ds
        out["rounds"].append(times)
        spent = times["validation_s"] + sum(times["generation_s"].values())
        if spent >= QUICK or len(out["rounds"]) >= REPEAT:
            break
    out["validation_s"], out["generation_s"] = out["rounds"][0]["validation_s"], out["rounds"][0]["generation_s"]
    warm = out["rounds"][1:] or out["rounds"]
    out["warm_validation_s"] = min(r["validation_s"] for r in warm)
    out["warm_generation_s"] = {a: min(r["generation_s"][a] for r in warm) for a in AUDIENCES}
    out["peak_rss_mib"] = peak_rss_mib()

    if not args.skip_incremental:
        keep_between_builds()  # as the hook does under `mkdocs serve`
        generate(load(data), "public")  # the build before the edit
        path, old, best = data / "items.yaml", None, None
        try:
            for k in range(EDITS):
                path, old = change_one_item(data, k + 1, old)
                t0 = time.perf_counter()
                ds = load(data)
                t1 = time.perf_counter()
                generate(ds, "public")
                t2 = time.perf_counter()
                del ds
                if best is None or t2 - t0 < best[2] - best[0]:
                    best = (t0, t1, t2)
        finally:
            if old is not None:
                path.write_bytes(old)
        t0, t1, t2 = best
        out["incremental"] = {"changed": "items.yaml", "audience": "public", "validation_s": round(t1 - t0, 3),
                              "generation_s": round(t2 - t1, 3), "total_s": round(t2 - t0, 3)}
        # the process's peak from here on is the rebuild's, which keeps what the preview keeps
        out["incremental"]["peak_rss_mib"] = peak_rss_mib()
    json.dump(out, sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
