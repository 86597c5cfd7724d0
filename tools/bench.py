"""`make bench`: build cost as the data grows (issue #8).

    python -m tools.bench [--scales 1,10,100] [--budget 1200] [--total 1800]
                          [--out bench/results.json] [--work DIR] [--keep]

For each scale: the data (`tools/sample_data.py --scale N`; at x1 the records of data/),
validation and page generation of each audience and an incremental rebuild after one
data file changes (tools/bench_generators.py, in a process of its own), then four MkDocs
builds: per audience, plain `mkdocs build` on the generated Markdown written to disk
(same theme, plugins and extensions, no hook) and the real build with the hook reading
the scaled data (LUOHE_DATA); then per audience the preview: save-to-browser under
`mkdocs serve` as make serve runs it, in chromium, median of 5 edits (tools/bench_preview.py),
at the scales issue #18 sets a preview goal for (x1, x10; elsewhere "skipped", with why).
Each step's wall time and peak memory (RSS of its process)
are measured; each build's pages, size and largest page are read from its output.

Short steps are noisy on a shared machine: quick generator rounds, cold generator
processes and builds are repeated and the fastest counts (every run is in the JSON).

The snapshot starts like a fresh checkout: no Python bytecode and no compiled templates
(generators/render.py caches them between runs). The first step ("first_run") generates
both audiences of the shipped data once, in processes of their own, and reports that
time: it is what the first build on a new checkout pays on top. Every later step runs
as an author's every later build does, with those caches written.

Budgets: before a step runs, its time is estimated from the smaller scales (proportional
to the largest one measured, in the scale or, for builds, the page count). A step that would overrun the scale's
budget (--budget seconds) or the run's (--total) is not run and is reported with that
estimate; one that overruns anyway is stopped and reported the same way. Nothing is
silently dropped. Prints a table and writes the JSON (tools/bench_report.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .bench_report import PREVIEW_LIMITS, evaluate_targets, table

ROOT = Path(__file__).resolve().parent.parent
AUDIENCES = ("public", "internal")
CONFIGS = {"public": "mkdocs.yml", "internal": "mkdocs.internal.yml"}
PREVIEW_EDITS = 5  # saves timed per preview: the median of 5 (3 swung by 0.3 s at x10 with the first save slowest)
SKIP = {".git", ".venv", "site", "build", "bench", "tests", ".cache", ".ci", ".hypothesis",
        ".ruff_cache", ".pytest_cache", "__pycache__", "node_modules"}
QUICK_BUILD, REPEAT_BUILD = 20.0, 3
WATCHED_HTML = ("rounds/index.html", "organisations/index.html", "inspections/index.html", "items/index.html")


class Clock:
    """The run's and the current scale's remaining time."""

    def __init__(self, budget: float, total: float):
        self.budget, self.total = budget, total
        self.start = self.scale_start = time.monotonic()

    def remaining(self) -> float:
        now = time.monotonic()
        return min(self.budget - (now - self.scale_start), self.total - (now - self.start))


def run(cmd: list[str], cwd: Path, env: dict, timeout: float, log: Path) -> dict:
    """Run a command; its wall time, its peak RSS (wait4), exit code and output files."""
    out, err = log.with_suffix(".out"), log.with_suffix(".err")
    start = time.monotonic()
    with out.open("wb") as fo, err.open("wb") as fe:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=fo, stderr=fe, start_new_session=True)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                return {"status": "timed_out", "seconds": round(time.monotonic() - start, 2)}
            time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    result = {"status": "measured" if proc.returncode == 0 else "failed",
              "seconds": round(time.monotonic() - start, 2),
              "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}
    if proc.returncode:
        result["error"] = err.read_text(encoding="utf-8", errors="replace")[-2000:]
    return result


class History:
    """Measured (size, seconds) per step, to extrapolate the next scale."""

    def __init__(self):
        self.points: dict[str, list[tuple[float, float]]] = {}

    def add(self, step: str, size: float, seconds: float) -> None:
        self.points.setdefault(step, []).append((size, seconds))

    def estimate(self, step: str, size: float) -> tuple[float, str] | None:
        """Proportional to the largest size measured. A line through two points would
        take the fixed costs into account, but the smallest scale's times are too noisy on a
        shared machine to anchor it; proportional errs on the long side, as a budget should."""
        pts = sorted(self.points.get(step, []))
        if not pts:
            return None
        x, y = pts[-1]
        return y * size / x, f"proportional to the measured {x:g} -> {size:g}"


def step(name: str, size: float, hist: History, clock: Clock, action, guess=None) -> dict:
    """Run `action(timeout)` unless its estimate overruns the budget; record what happened."""
    guess = guess or hist.estimate(name, size)
    left = clock.remaining()
    if guess and guess[0] > left:
        return {"status": "estimated", "seconds": round(guess[0], 1), "basis": guess[1],
                "reason": f"estimated {guess[0]:.0f} s > {max(left, 0):.0f} s left in the budget"}
    if left <= 0:
        return {"status": "estimated", "seconds": None, "reason": "no budget left"}
    # the last step's files (x100: 142 MB of data, 2-4 GB of site) on disk before this one is
    # timed, so the kernel's write-back of them is not charged to it
    os.sync()
    result = action(left)
    if result["status"] == "measured":
        hist.add(name, size, result["seconds"])
    elif result["status"] == "timed_out":
        stopped = result["seconds"]
        result["reason"] = f"stopped after {stopped:.0f} s (budget): takes longer than that"
        result["stopped_after_s"] = stopped
        result["seconds"] = round(guess[0], 1) if guess and guess[0] > stopped else None
        result["basis"] = guess[1] if result["seconds"] else "stopped: at least stopped_after_s"
        result["status"] = "estimated"
    return result


def snapshot(work: Path) -> Path:
    """A copy of the project's code and config, so edits made during the run do not leak in."""
    project = work / "project"
    project.mkdir(parents=True)
    for item in sorted(ROOT.iterdir()):
        if item.name in SKIP:
            continue
        if item.is_dir():
            shutil.copytree(item, project / item.name, ignore=shutil.ignore_patterns(*SKIP))
        else:
            shutil.copy2(item, project / item.name)
    return project


def docs_for_plain(project: Path, generated: Path, audience: str) -> None:
    """Add the hand-written pages the hook's build has (on_files) to the generated ones."""
    sources = [project / "content" / audience] + ([project / "content" / "public"] if audience == "internal" else [])
    for src in sources:
        for path in sorted(src.rglob("*")):
            dest = generated / path.relative_to(src)
            if path.is_file() and not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)


def plain_config(project: Path, docs: Path, audience: str) -> Path:
    """Plain MkDocs + Material with its built-in search (lunr, jieba) on the generated pages:
    the peer of issue #18's goal 2, configured as mkdocs.yml had it before Pagefind."""
    from .bench_search import MATERIAL

    path = project / f"mkdocs.plain-{audience}.yml"
    config = {"INHERIT": CONFIGS[audience], "docs_dir": str(docs), "hooks": [], "plugins": [{"search": MATERIAL}],
              "extra": {"search": "material"}}
    path.write_text(json.dumps(config, ensure_ascii=False) + "\n", encoding="utf-8")  # JSON is YAML
    return path


def site_stats(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    html = [p for p in files if p.suffix == ".html" and p.name != "404.html"]
    largest = max(html, key=lambda p: (p.stat().st_size, str(p)), default=None)
    rel = {p.relative_to(site).as_posix(): p.stat().st_size for p in html}
    search = site / "search" / "search_index.json"
    return {
        "html_pages": len(html),
        "site_bytes": sum(p.stat().st_size for p in files),
        "html_bytes": sum(rel.values()),
        "largest_html": {"path": largest.relative_to(site).as_posix(), "bytes": largest.stat().st_size}
        if largest else None,
        "index_html_bytes": {k: rel[k] for k in WATCHED_HTML if k in rel},
        "search_index_bytes": search.stat().st_size if search.exists() else 0,
    }


def mkdocs(project: Path, config: str, site: Path, env: dict, log: Path, keep: bool):
    """A build as a step. A build under QUICK_BUILD seconds is run up to REPEAT_BUILD times
    (small times are noisy on a shared machine): the fastest counts, every run is listed."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--no-strict", "-f", config, "-d", str(site)]
    return repeated(cmd, project, site, env, log, keep, site_stats)


def real_sites(project: Path, audiences: list[str], site: Path, data: Path, env: dict, log: Path, keep: bool):
    """`python -m publishing.build` (make site) on the scale's data, as a step: its sites'
    figures are summed, the largest page is the larger of theirs."""
    cmd = [sys.executable, "-m", "publishing.build", "--site", str(site)]
    cmd += ["--only", audiences[0]] if len(audiences) == 1 else []

    def stats(folder: Path) -> dict:
        each = {a: site_stats(folder / a) for a in audiences}
        out = {k: sum(e[k] for e in each.values()) for k in ("html_pages", "site_bytes", "html_bytes")}
        out["largest_html"] = max((e["largest_html"] for e in each.values() if e["largest_html"]),
                                  key=lambda x: x["bytes"], default=None)
        out["sites"] = {a: {k: e[k] for k in ("html_pages", "site_bytes")} for a, e in each.items()}
        return out
    return repeated(cmd, project, site, {**env, "LUOHE_DATA": str(data)}, log, keep, stats)


def repeated(cmd: list[str], project: Path, site: Path, env: dict, log: Path, keep: bool, stats):
    def action(timeout: float) -> dict:
        start = time.monotonic()
        result = run(cmd, project, env, timeout, log)
        if result["status"] == "measured":
            result.update(stats(site))
            err = log.with_suffix(".err").read_text(encoding="utf-8", errors="replace")
            result["warnings"] = sum(line.startswith("WARNING") for line in err.splitlines())
            result["runs"] = [result["seconds"]]
            while result["seconds"] < QUICK_BUILD and len(result["runs"]) < REPEAT_BUILD:
                again = run(cmd, project, env, timeout - (time.monotonic() - start), log)
                if again["status"] != "measured":
                    break
                result["runs"].append(again["seconds"])
                result["seconds"] = min(result["seconds"], again["seconds"])
                result["peak_rss_mib"] = max(result["peak_rss_mib"], again["peak_rss_mib"])
            result["per_page_ms"] = round(1000 * result["seconds"] / max(result["html_pages"], 1), 2)
        if not keep:
            shutil.rmtree(site, ignore_errors=True)
        return result
    return action


def bench_scale(n: int, work: Path, project: Path, env: dict, hist: History, clock: Clock, opts) -> dict:
    clock.scale_start = time.monotonic()
    out: dict = {"scale": n}
    data = work / f"data-x{n}"
    logs = work / f"logs-x{n}"
    logs.mkdir(parents=True, exist_ok=True)

    def make_data(timeout: float) -> dict:
        shutil.rmtree(data, ignore_errors=True)
        cmd = [sys.executable, "-m", "tools.sample_data", "--scale", str(n), "--out", str(data)]
        result = run(cmd, project, env, timeout, logs / "sample_data")
        result["source"] = f"tools/sample_data.py --scale {n}" + (" (the same records as data/)" if n == 1 else "")
        return result

    out["data"] = step("data", n, hist, clock, make_data)
    if out["data"]["status"] != "measured":
        out["generators"] = {"status": "estimated", "reason": "no data at this scale"}
        return _estimate_builds(out, n, hist, opts)

    pages_dir = work / f"pages-x{n}"

    def generators(timeout: float) -> dict:
        cmd = [sys.executable, "-m", "tools.bench_generators", str(data), "--pages-out", str(pages_dir)]
        start = time.monotonic()
        result = run(cmd, project, env, timeout, logs / "generators")
        if result["status"] != "measured":
            return result
        result.update(json.loads(logs.joinpath("generators.out").read_text(encoding="utf-8")))
        # a cold process is one sample of a noisy machine: while the step is quick, run it
        # again (up to REPEAT_BUILD processes, as for builds); the fastest cold round counts
        result["cold_runs"] = [_cold(result)]
        again_cmd = cmd[:4] + ["--skip-incremental"]  # the data folder, without --pages-out
        while result["seconds"] < QUICK_BUILD and len(result["cold_runs"]) < REPEAT_BUILD:
            again = run(again_cmd, project, env, timeout - (time.monotonic() - start), logs / "generators-again")
            if again["status"] != "measured":
                break
            cold = _cold(json.loads(logs.joinpath("generators-again.out").read_text(encoding="utf-8")))
            result["cold_runs"].append(cold)
        best = min(result["cold_runs"], key=lambda c: c["validation_s"] + sum(c["generation_s"].values()))
        result["validation_s"], result["generation_s"] = best["validation_s"], best["generation_s"]
        return result

    shutil.rmtree(pages_dir, ignore_errors=True)
    out["generators"] = g = step("generators", n, hist, clock, generators)
    out["valid"] = g["status"] == "measured" or (None if g["status"] == "estimated" else False)
    if g["status"] != "measured":
        return _estimate_builds(out, n, hist, opts)
    out["records"] = g.pop("records")
    for audience in AUDIENCES:
        docs_for_plain(project, pages_dir / audience, audience)
    builds: dict = {}
    pages = {a: g["generated"][a]["pages"] for a in AUDIENCES}
    # public first (the published site), each audience's plain build before its hook build:
    # with the generators' times it gives the hook build's estimate if that cannot run
    order = [(k, a) for a in opts.audiences for k in opts.builds]
    for kind, audience in order:
        site = work / f"site-x{n}-{kind}-{audience}"
        config = plain_config(project, pages_dir / audience, audience).name if kind == "plain" else CONFIGS[audience]
        build_env = {**env, "LUOHE_DATA": str(data)} if kind == "hook" else env
        action = mkdocs(project, config, site, build_env, logs / f"mkdocs-{kind}-{audience}", opts.keep)
        builds.setdefault(audience, {})[kind] = step(f"mkdocs-{kind}-{audience}", pages[audience], hist, clock, action,
                                                     _hook_guess(kind, builds.get(audience, {}), g, audience))
    if "site" in opts.kinds:
        peer = [builds.get(a, {}).get("plain", {}).get("seconds") for a in opts.audiences]
        guess = ((sum(peer), "the plain builds one after the other at this scale") if all(peer) else None)
        out["site"] = step("site", sum(pages[a] for a in opts.audiences), hist, clock,
                           real_sites(project, opts.audiences, work / f"site-x{n}-real", data, env,
                                      logs / "publishing-build", opts.keep), guess)
        out["site"]["audiences"] = opts.audiences
    for audience in opts.audiences if "preview" in opts.kinds else ():
        if (skipped := preview_skipped(n)) is not None:
            builds.setdefault(audience, {})["preview"] = skipped
            continue
        hook = builds.get(audience, {}).get("hook", {})
        guess = ((hook["seconds"] * 1.5 + 30, "the hook build (serve's first build) x1.5 + 30 s for the edits")
                 if hook.get("seconds") else None)
        builds.setdefault(audience, {})["preview"] = step(
            f"preview-{audience}", pages[audience], hist, clock, preview(project, data, audience, env, logs), guess)
    out["builds"] = builds
    if not opts.keep:
        shutil.rmtree(pages_dir, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
    return out


def preview_skipped(n: int) -> dict | None:
    """The preview's record at a scale it does not run at, or None where it runs: only where
    issue #18's goal 1 sets a figure. Elsewhere serve's first build is the whole build (at x100
    it outran serve's 10-minute start and took the budget the real build of the sites needed)."""
    if n in PREVIEW_LIMITS:
        return None
    return {"status": "skipped", "seconds": None,
            "reason": f"no preview goal at x{n} (goal 1 sets x{' and x'.join(map(str, sorted(PREVIEW_LIMITS)))})"}


def preview(project: Path, data: Path, audience: str, env: dict, logs: Path):
    """Save-to-browser under `mkdocs serve` as make serve runs it, median of 5 edits
    (tools/bench_preview.py: a real serve and chromium), on a copy of the scale's data."""
    def action(timeout: float) -> dict:
        copy = data.with_name(data.name + "-preview")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(data, copy)
        log = logs / f"preview-{audience}"
        cmd = [sys.executable, "-m", "tools.bench_preview", "--data", str(copy), "--project", str(project),
               "--config", CONFIGS[audience], "--edits", str(PREVIEW_EDITS)]
        result = run(cmd, project, env, timeout, log)
        if result["status"] == "measured":
            result.update(json.loads(log.with_suffix(".out").read_text(encoding="utf-8")))
        shutil.rmtree(copy, ignore_errors=True)
        return result
    return action


def _cold(generators: dict) -> dict:
    """The first (cold-process) round of one tools/bench_generators.py run."""
    return {"validation_s": generators["validation_s"], "generation_s": generators["generation_s"]}


def _hook_guess(kind: str, done: dict, g: dict, audience: str) -> tuple[float, str] | None:
    """The hook's build is the plain build plus validation and generation (measured at this
    scale): a better estimate than the smaller scales' hook builds."""
    plain = done.get("plain", {})
    if kind != "hook" or not plain.get("seconds"):
        return None
    how = "measured" if plain["status"] == "measured" else "estimated"
    return (plain["seconds"] + g["validation_s"] + g["generation_s"][audience],
            f"plain build at this scale ({how}) + validation + generation (measured)")


def _estimate_builds(out: dict, n: int, hist: History, opts) -> dict:
    """Builds that cannot run at this scale: estimates only, with their basis."""
    builds: dict = {}
    for kind in opts.builds:
        for audience in opts.audiences:
            guess = hist.estimate(f"mkdocs-{kind}-{audience}-scale", n)
            builds.setdefault(audience, {})[kind] = {
                "status": "estimated", "seconds": round(guess[0], 1) if guess else None,
                "basis": guess[1] if guess else "no smaller scale", "reason": "earlier steps did not run"}
    for audience in opts.audiences if "preview" in opts.kinds else ():
        builds.setdefault(audience, {})["preview"] = {"status": "estimated", "seconds": None,
                                                      "reason": "earlier steps did not run"}
    if "site" in opts.kinds:
        guess = hist.estimate("site-scale", n)
        out["site"] = {"status": "estimated", "seconds": round(guess[0], 1) if guess else None,
                       "basis": guess[1] if guess else "no smaller scale", "reason": "earlier steps did not run",
                       "audiences": opts.audiences}
    out["builds"] = builds
    return out


def first_run(project: Path, work: Path, env: dict) -> dict:
    """Generate the shipped data's pages once per audience, from a fresh checkout (no
    bytecode, no compiled templates): the one-off cost of a first build, and the caches
    that every later build of the checkout has."""
    out: dict = {"data": "data/ (x1)"}
    for audience in AUDIENCES:
        cmd = [sys.executable, "-m", "generators", "pages", str(work / "first-run" / audience),
               "--data", str(project / "data"), "--audience", audience]
        out[audience] = run(cmd, project, env, 600, work / f"first-run-{audience}")
    return out


def machine() -> dict:
    from importlib.metadata import version

    import mkdocs as mk

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "mkdocs": mk.__version__, "mkdocs_material": version("mkdocs-material"),
            "commit": commit.stdout.strip() or None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--scales", default="1,10,100", help="comma-separated scale factors")
    parser.add_argument("--budget", type=float, default=1200, help="seconds per scale")
    parser.add_argument("--total", type=float, default=1800, help="seconds for the whole run")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--work", help="working folder (default: a temporary one, removed)")
    parser.add_argument("--keep", action="store_true", help="keep data, pages and sites in --work")
    parser.add_argument("--audiences", default="public,internal", help="MkDocs builds of these audiences")
    parser.add_argument("--builds", default="plain,site,preview",
                        help="plain (the peer: no hook, Markdown on disk, Material's search), site (the real "
                             "build of the sites: publishing.build), hook (mkdocs build with the hook, per "
                             "audience), preview (save-to-browser under serve)")
    args = parser.parse_args(argv)
    args.audiences = [a for a in AUDIENCES if a in args.audiences.split(",")]
    args.kinds = [k for k in ("plain", "hook", "site", "preview") if k in args.builds.split(",")]
    args.builds = [k for k in args.kinds if k in ("plain", "hook")]
    scales = sorted({int(s) for s in args.scales.split(",")})
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="luohe-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUOHE_")}
    env.update(NO_MKDOCS_2_WARNING="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # the snapshot keeps its bytecode, as a checkout does
    clock, hist = Clock(args.budget, args.total), History()
    results = {"settings": {"scales": scales, "budget_s": args.budget, "total_budget_s": args.total,
                            "audiences": args.audiences, "builds": args.builds, "preview": "preview" in args.kinds,
                            "site": "site" in args.kinds},
               "machine": machine(), "scales": []}
    try:
        project = snapshot(work)
        results["first_run"] = first_run(project, work, env)
        for n in scales:
            print(f"bench: scale x{n} ...", file=sys.stderr, flush=True)
            res = bench_scale(n, work, project, env, hist, clock, args)
            for audience, kinds in res.get("builds", {}).items():
                for kind, b in kinds.items():
                    if b["status"] == "measured":
                        hist.add(f"mkdocs-{kind}-{audience}-scale", n, b["seconds"])
            if res.get("site", {}).get("status") == "measured":
                hist.add("site-scale", n, res["site"]["seconds"])
            results["scales"].append(res)
    finally:
        if not args.work and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    results["elapsed_s"] = round(time.monotonic() - clock.start, 1)
    results["targets"] = evaluate_targets(results)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table(results))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
