"""`make bench` (search part, issue #16): the site's search engines side by side.

    python -m tools.bench_search [--scales 1,10] [--out bench/search-results.json] [--work DIR]

For each scale (x1: data/; larger: tools/sample_data.py --scale N) the public site is built
three times from a snapshot of the project, and each build is measured in Debian's chromium:

- material: Material's search plugin as it was configured before Pagefind (lunr index, jieba
  with search/jieba_user.txt, every page but the notices);
- tuned: Material's search tuned (search/material_tuning.py: the pages Pagefind leaves out are
  left out, detail pages boosted, jieba's user dictionary extended with the domain terms);
- pagefind: the site as shipped (hooks/search_pagefind.py, overrides/partials/pagefind.html).

Figures per engine: the build time (for Pagefind, the MkDocs build and the Pagefind run
apart; Material's index is built inside its build, so its cost is that build minus the
Pagefind build without its index), the bytes a reader's browser transfers for search before
its first result shows (the index, the worker and the search scripts; the page itself is not
counted) and two times to the first result, on a throttled phone (CPU x4, DevTools' Fast 3G):
cold, from the first key when the keys follow the opening of the box at once (every request
of search in the way), and as a reader types, from the last key when the reader has paused
1.5 s after opening the box and types a key every 200 ms; and the precision on the 30 queries of search/queries.yaml
(expected page within the expected rank), unthrottled.

Timing is noisy on a shared machine: compare the engines within one run, not across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from .bench import ROOT, snapshot

ENGINES = ("material", "tuned", "pagefind")
FIRST_QUERY = "整改完成率"
# Chrome DevTools' "Fast 3G" preset and a mid-range phone's CPU (x4 slower than this machine).
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 180_000, "uploadThroughput": 84_375}
CPU_SLOWDOWN = 4
SEARCH_URLS = ("/search/", "/pagefind/", "/workers/", "/javascripts/lunr/", "/assets/search.")

# Material's search as configured before this change (mkdocs.yml of 42461f6).
MATERIAL = {"lang": "zh", "separator": r"[\s\u200b\u3000\-、。，．？！；：〔〕《》“”（）()【】·,.:;!?]+",
            "jieba_dict_user": "search/jieba_user.txt"}
VARIANTS = {
    "material": {"plugins": [{"search": MATERIAL}], "hooks": ["hooks/mkdocs_adapter.py"],
                 "extra": {"search": "material"}},
    "tuned": {"plugins": [{"search": {**MATERIAL, "jieba_dict_user": "search/jieba_user_tuned.txt"}}],
              "hooks": ["hooks/mkdocs_adapter.py", "search/material_tuning.py"], "extra": {"search": "material"}},
    "pagefind": {"hooks": ["hooks/mkdocs_adapter.py"]},  # the index is built and timed apart
}


def queries() -> list[dict]:
    return yaml.safe_load((ROOT / "search" / "queries.yaml").read_text(encoding="utf-8"))["queries"]


def build(project: Path, engine: str, data: Path, out: Path, env: dict) -> dict:
    config = project / f"bench-search-{engine}.yml"
    config.write_text(yaml.safe_dump({"INHERIT": "mkdocs.yml", **VARIANTS[engine]}, allow_unicode=True),
                      encoding="utf-8")
    if engine == "tuned":
        base = (project / "search" / "jieba_user.txt").read_text(encoding="utf-8")
        extra = (project / "search" / "jieba_domain.txt").read_text(encoding="utf-8")
        (project / "search" / "jieba_user_tuned.txt").write_text(base + extra, encoding="utf-8")
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)],
                          cwd=project, env={**env, "LUOHE_DATA": str(data)}, capture_output=True, text=True)
    result = {"build_s": round(time.monotonic() - start, 1)}
    if done.returncode:
        raise SystemExit(f"bench_search: the {engine} build failed:\n{done.stderr[-3000:]}")
    if engine == "pagefind":
        sys.path.insert(0, str(project))
        from hooks.search_pagefind import command

        start = time.monotonic()
        subprocess.run(command(str(out)), cwd=project, env=env, check=True, capture_output=True)
        result["index_s"] = round(time.monotonic() - start, 1)
    index = out / ("pagefind" if engine == "pagefind" else "search")
    result["index_files"] = sum(1 for p in index.rglob("*") if p.is_file())
    result["index_bytes"] = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
    return result


def _open_search(page, engine: str) -> None:
    page.keyboard.press("/")
    page.locator("input.md-search__input").wait_for(state="visible")


def _type(page, engine: str, query: str) -> None:
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material searches on a key release


def _results(page, timeout: float = 60.0) -> list[str]:
    """The results' addresses once they stop changing (Material fills its list in steps)."""
    last, same, start = None, 0, time.monotonic()
    while time.monotonic() - start < timeout:
        meta = page.locator(".md-search-result__meta").inner_text()
        hrefs = page.locator(".md-search-result__item > a:first-child").evaluate_all(
            "links => links.map(a => new URL(a.href).pathname)")
        if meta and "初始化" not in meta and "键入" not in meta:
            same = same + 1 if hrefs == last else 0
            if same >= 3:
                return hrefs
        last = hrefs
        page.wait_for_timeout(150)
    return last or []


HUMAN_PAUSE_MS = 1500  # between opening the search box and the first key
KEY_DELAY_MS = 200  # between keys


def first_query(browser, base: str, engine: str, human: bool = False) -> dict:
    """On a throttled phone: open the home page, open search with `/` once it has loaded, type
    FIRST_QUERY. Cold (human=False): the keys follow at once, and the time runs from the first
    key, so it holds every request search makes. Human: the reader pauses HUMAN_PAUSE_MS after
    opening the box (which starts loading the search), types a key every KEY_DELAY_MS, and the
    time runs from the last key. Also the bytes search transferred."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", FAST_3G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    sizes: list[tuple[str, int]] = []  # Playwright sees the requests of the page's workers too
    page.on("requestfinished", lambda r: sizes.append((r.url, r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"])))
    page.goto(base, wait_until="load", timeout=600_000)
    start = time.monotonic()
    _open_search(page, engine)
    box = page.locator("input.md-search__input")
    if human:
        page.wait_for_timeout(HUMAN_PAUSE_MS)
    box.press_sequentially(FIRST_QUERY, delay=KEY_DELAY_MS if human else 0)
    box.press("End")  # Material searches on a key release; for Pagefind it is one more key
    if human:
        start = time.monotonic()
    page.locator(".md-search-result__item").first.wait_for(timeout=600_000)
    seconds = time.monotonic() - start
    page.wait_for_timeout(500)
    search_bytes = sum(n for url, n in sizes if any(s in url for s in SEARCH_URLS))
    all_bytes = sum(n for _, n in sizes)
    context.close()
    if human:
        return {"after_intent_s": round(seconds, 2)}
    return {"first_result_s": round(seconds, 2), "search_bytes": search_bytes, "all_bytes": all_bytes}


def precision(browser, base: str, engine: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base)
    _open_search(page, engine)
    rows = []
    for q in queries():
        _type(page, engine, "")
        page.wait_for_timeout(100)
        _type(page, engine, q["q"])
        hrefs = _results(page)
        rank = next((n for n, h in enumerate(hrefs, 1) if h.lstrip("/").startswith(q["expect"])), None)
        rows.append({**q, "rank": rank, "ok": rank is not None and rank <= q["within"], "top": hrefs[:3]})
    context.close()
    return {"hits": sum(r["ok"] for r in rows), "of": len(rows), "queries": rows}


def measure(site: Path, engine: str) -> dict:
    from playwright.sync_api import sync_playwright

    from .screenshots import launch, serve

    with serve(site) as base, sync_playwright() as p:
        browser = launch(p)
        try:
            return {**first_query(browser, base, engine), **first_query(browser, base, engine, human=True),
                    **precision(browser, base, engine)}
        finally:
            browser.close()


def table(results: dict) -> str:
    lines = ["scale  engine    build s  index s  index MB  files  search KB (1st query)  1st result s (phone)  "
             "after last key s  precision"]
    for scale in results["scales"]:
        for engine, r in scale["engines"].items():
            index_s = r.get("index_s", r.get("index_cost_s", "—"))
            lines.append(f"x{scale['scale']:<5} {engine:<9} {r['build_s']:<8} {index_s!s:<8} "
                         f"{r['index_bytes'] / 1e6:<9.2f} {r['index_files']:<6} {r['search_bytes'] / 1024:<22.0f} "
                         f"{r['first_result_s']:<21} {r.get('after_intent_s', '—')!s:<17} {r['hits']}/{r['of']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_search")
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--out", default=str(ROOT / "bench" / "search-results.json"))
    parser.add_argument("--work", help="working folder (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    engines = [e for e in ENGINES if e in args.engines.split(",")]
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="luohe-bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LUOHE_")}
    env.update(NO_MKDOCS_2_WARNING="1")
    results: dict = {"first_query": FIRST_QUERY, "network": FAST_3G, "cpu_slowdown": CPU_SLOWDOWN, "scales": []}
    try:
        project = snapshot(work) if not (work / "project").exists() else work / "project"
        for n in sorted({int(s) for s in args.scales.split(",")}):
            data = ROOT / "data"
            if n > 1:
                data = work / f"data-x{n}"
                if not data.exists():
                    subprocess.run([sys.executable, "-m", "tools.sample_data", "--scale", str(n), "--out", str(data)],
                                   cwd=project, env=env, check=True, capture_output=True)
            scale: dict = {"scale": n, "engines": {}}
            for engine in engines:
                print(f"bench_search: x{n} {engine} ...", file=sys.stderr, flush=True)
                site = work / f"site-x{n}-{engine}"
                shutil.rmtree(site, ignore_errors=True)
                r = build(project, engine, data, site, env)
                r.update(measure(site, engine))
                scale["engines"][engine] = r
            if "pagefind" in scale["engines"]:
                plain = scale["engines"]["pagefind"]["build_s"]
                for engine in ("material", "tuned"):
                    if engine in scale["engines"]:
                        scale["engines"][engine]["index_cost_s"] = round(scale["engines"][engine]["build_s"] - plain, 1)
            results["scales"].append(scale)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(table(results))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
